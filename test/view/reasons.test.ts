// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../lib/engine';
import type { AccountSnapshot } from '../../lib/engine/snapshot';
import type { Reason } from '../../lib/engine/types';
import { defaultTierTables } from '../../lib/exchanges/tiers';
import { noneFor, reasonFor, whyMissing } from '../../lib/view/reasons';
import { fixture } from '../components/helpers';

const risk = (s: AccountSnapshot) => evaluate(s, defaultTierTables(s.exchange));
/** The same reasons in other words (as a translation or a reworded engine message would be). */
const reworded = (rs: readonly Reason[]): Reason[] => rs.map((r, i) => ({ ...r, reason: `Grund ${i}` }));

/** Binance USDⓈ-M fixture in hedge mode with equal BTC long and short legs. */
function hedged(): AccountSnapshot {
  const s = fixture('binance-usdm');
  const btc = s.positions[0]!;
  return { ...s, positionMode: 'hedge', positions: [btc, { ...btc, side: 'short' }] };
}

describe('none vs unknown, from the engine', () => {
  it('a position whose margin covers a fall to 0 has no liquidation price: none, with the reason', () => {
    const btc = risk(fixture('binance-usdm')).positions.find((p) => p.symbol === 'BTCUSDT')!;
    expect(btc.liquidationPrice).toBeNull();
    expect(noneFor(btc.reasons, 'liquidationPrice')).toBe(true);
    // The distance has no reason of its own: it takes the liquidation price's.
    expect(whyMissing(btc.reasons, 'distanceToLiquidation', 'liquidationPrice')).toEqual({ reason: reasonFor(btc.reasons, 'liquidationPrice'), none: true });
  });

  it('fully hedged legs have no liquidation price, and no uniform move liquidates the account: none', () => {
    const r = risk(hedged());
    for (const p of r.positions) expect(noneFor(p.reasons, 'liquidationPrice')).toBe(true);
    expect(r.liquidationMove).toEqual({ down: null, up: null });
    expect(noneFor(r.reasons, 'liquidationMove.down')).toBe(true);
    expect(noneFor(r.reasons, 'liquidationMove.up')).toBe(true);
  });

  it('a figure the engine could not compute (mark unknown) is unknown, not none', () => {
    const s = fixture('binance-usdm');
    s.positions = s.positions.map((p) => ({ ...p, markPrice: null }));
    const r = risk(s);
    for (const p of r.positions) {
      expect(p.liquidationPrice).toBeNull();
      expect(reasonFor(p.reasons, 'liquidationPrice')).toBeTruthy();
      expect(noneFor(p.reasons, 'liquidationPrice')).toBe(false);
    }
  });

  it('isolated positions only: no cross positions, so no account-wide liquidation move (a parent field flags its parts)', () => {
    const s = fixture('binance-usdm');
    s.positions = s.positions.map((p) => ({ ...p, marginMode: 'isolated', isolatedMargin: '500' }));
    const r = risk(s);
    expect(r.liquidationMove.down).toBeNull();
    expect(r.reasons.some((x) => x.field === 'liquidationMove' && x.none === true)).toBe(true);
    expect(noneFor(r.reasons, 'liquidationMove.down')).toBe(true);
  });
});

describe('the flag decides, not the wording', () => {
  it('reworded engine reasons keep their meaning', () => {
    const btc = risk(fixture('binance-usdm')).positions.find((p) => p.symbol === 'BTCUSDT')!;
    expect(noneFor(reworded(btc.reasons), 'liquidationPrice')).toBe(true);
    const r = risk(hedged());
    expect(noneFor(reworded(r.reasons), 'liquidationMove.down')).toBe(true);
  });

  it('a reason that reads like "none" but carries no flag is unknown', () => {
    const rs: Reason[] = [{ field: 'liquidationPrice', reason: 'margin covers a fall of the price to 0: no liquidation price' }];
    expect(noneFor(rs, 'liquidationPrice')).toBe(false);
    expect(whyMissing(rs, 'liquidationPrice').none).toBe(false);
  });

  it('when in doubt, unknown: a flagged reason beside one that is not makes the figure unknown', () => {
    const rs: Reason[] = [
      { field: 'liquidationMove.down', reason: 'no fall (down to price 0) liquidates the cross account', none: true },
      { field: 'liquidationMove', reason: 'cross account figures unknown' },
    ];
    expect(noneFor(rs, 'liquidationMove.down')).toBe(false);
    expect(reasonFor(rs, 'liquidationMove.down')).toBe('no fall (down to price 0) liquidates the cross account; cross account figures unknown');
  });

  it('no reason at all is not none', () => {
    expect(noneFor([], 'liquidationPrice')).toBe(false);
    expect(noneFor(undefined, 'liquidationPrice')).toBe(false);
    expect(whyMissing([], 'distanceToLiquidation', 'liquidationPrice')).toEqual({ reason: undefined, none: false });
  });
});
