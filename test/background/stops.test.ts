// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../lib/engine';
import { riskExtras } from '../../lib/background/stops';
import { DEFAULT_WINDOW, windowLabel } from '../../lib/engine/volatility';
import { account, pos } from '../engine/helpers';

describe('riskExtras: what the worker stores beside the risk', () => {
  const snap = account({
    walletBalance: '1000',
    positions: [pos({ symbol: 'BTCUSDT', size: '0.1', entryPrice: '60000', markPrice: '60000', tier: { mmr: '0.004', maintAmount: '0' } })],
    orders: [{ symbol: 'BTCUSDT', side: 'sell', type: 'stop-market', triggerPrice: '50000', closePosition: true, reduceOnly: true }],
  });
  it('stop beyond liquidation and σ figures from the estimate given', () => {
    const risk = evaluate(snap, {});
    const est = { sigma: '0.1', sigmaPerInterval: '0.006', returns: 168, from: 0, to: 0, window: DEFAULT_WINDOW, label: windowLabel(DEFAULT_WINDOW) };
    const x = riskExtras(snap, risk, {}, { BTCUSDT: est });
    expect(x.stops![0]!.status).toBe('never-fires');
    expect(Number(x.odds!.positions[0]!.touch24h)).toBeGreaterThan(0);
    expect(x.odds!.positions[0]!.window).toBe('1-day σ from 1-hour log returns over 7 days');
  });
  it('no estimate: σ unknown with the reason; no risk: nothing', () => {
    const x = riskExtras(snap, evaluate(snap, {}), {}, {});
    expect(x.odds!.positions[0]!.touch24h).toBeNull();
    expect(x.odds!.positions[0]!.reason).toMatch(/no candles/);
    expect(riskExtras(snap, null, {}, {})).toEqual({ stops: null, odds: null });
  });
});
