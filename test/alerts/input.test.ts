// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../lib/engine';
import { alertRatio } from '../../lib/background/monitor';

const snap = (wallet: string, mark: string) => ({
  exchange: 'binance-usdm' as const,
  positionMode: 'one-way' as const,
  walletBalance: wallet,
  positions: [{ symbol: 'BTCUSDT', side: 'long' as const, size: '1', contract: 'linear' as const, entryPrice: '100', markPrice: mark, marginMode: 'cross' as const, leverage: '10', tier: { mmr: '0.01', maintAmount: '0' } }],
});

describe('alertRatio', () => {
  it('is the engine risk ratio when it is known', () => {
    const r = evaluate(snap('100', '100'), {});
    expect(alertRatio(r)).toBe(Number(r.riskRatio));
  });
  it('an account past bankruptcy (margin balance ≤ 0) counts as at liquidation, not unknown', () => {
    const r = evaluate(snap('10', '80'), {});
    expect(r.riskRatio).toBeNull();
    expect(r.liquidated).toBe(true);
    expect(alertRatio(r)).toBe(1);
  });
  it('unknown stays unknown', () => {
    const r = evaluate({ ...snap('10', '80'), walletBalance: null }, {});
    expect(alertRatio(r)).toBeNull();
  });
});
