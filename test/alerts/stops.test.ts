// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { stopAlertStep, ODDS_REARM } from '../../lib/alerts/stops';
import type { PositionStop } from '../../lib/engine/stops';
import type { AccountOdds } from '../../lib/engine/liquidationOdds';

const stop = (status: PositionStop['status'], symbol = 'BTCUSDT'): PositionStop => ({
  position: 0, symbol, side: 'long', status, order: null, triggerPrice: status === 'never-fires' ? '60000' : null, distanceFromMark: null,
  liquidationPrice: '61000', gapToLiquidation: null, marginLeftAtStop: null, coverage: null, partial: null, reasons: [],
});
const odds = (p: string | null): AccountOdds => ({
  positions: [{ position: 0, symbol: 'BTCUSDT', sigma: '0.05', sigmaDistance: '1.2', touch24h: p, window: 'w', reason: null }],
  touch24h: p, sigmaDistance: '1.2', worst: p === null ? null : 0, unknown: 0,
});
const ON = { stopAlerts: true, liquidationOddsAlert: 0.1 };
const OFF = { stopAlerts: false, liquidationOddsAlert: null };

describe('stop alerts', () => {
  it('off by default: nothing', () => {
    expect(stopAlertStep({ fired: [] }, 'A', [stop('never-fires')], odds('0.9'), OFF).notices).toEqual([]);
  });
  it('a stop beyond liquidation notifies once, re-arms when it fires first again, then notifies again', () => {
    let s = stopAlertStep({ fired: [] }, 'Binance', [stop('never-fires')], null, ON);
    expect(s.notices.map((n) => n.title)).toEqual(['Binance: BTCUSDT long stop-loss will never fire']);
    expect(s.notices[0]!.detail).toBe('stop|BTCUSDT long');
    s = stopAlertStep(s.state, 'Binance', [stop('never-fires')], null, ON);
    expect(s.notices).toEqual([]);
    s = stopAlertStep(s.state, 'Binance', [stop('unknown')], null, ON); // unknown neither alerts nor re-arms
    expect(s.state.fired).toEqual(['stop:BTCUSDT long:never-fires']);
    s = stopAlertStep(s.state, 'Binance', [stop('fires-first')], null, ON);
    expect(s.state.fired).toEqual([]);
    expect(stopAlertStep(s.state, 'Binance', [stop('never-fires')], null, ON).notices).toHaveLength(1);
  });
  it('a position without a stop-loss notifies once', () => {
    const s = stopAlertStep({ fired: [] }, 'B', [stop('no-stop'), stop('fires-first', 'ETHUSDT')], null, ON);
    expect(s.notices.map((n) => n.title)).toEqual(['B: BTCUSDT long has no stop-loss']);
  });
  it('24 h probability above the threshold: once; re-armed below 80 % of it', () => {
    let s = stopAlertStep({ fired: [] }, 'C', null, odds('0.15'), ON);
    expect(s.notices[0]!.title).toBe('C: 15.0 % chance of liquidation within 24 h');
    s = stopAlertStep(s.state, 'C', null, odds('0.09'), ON);
    expect(s.state.fired).toEqual(['odds']); // between 8 % and 10 %: still fired
    s = stopAlertStep(s.state, 'C', null, odds(String(0.1 * ODDS_REARM - 0.001)), ON);
    expect(s.state.fired).toEqual([]);
    s = stopAlertStep(s.state, 'C', null, odds(null), ON); // unknown: nothing
    expect(s.notices).toEqual([]);
  });
});
