/**
 * The margin level of a spot margin account and what solves it, on Decimals.
 *
 * Binance Cross Margin Classic (and each Isolated Margin pair):
 *   Margin Level = Total Asset Value / (Total Liabilities + Outstanding Interest)
 * where Total Asset Value = Σ (free + locked) × price over every asset, and
 * Total Liabilities + Outstanding Interest = Σ (borrowed + interest) × price
 * (https://www.binance.com/en/support/faq/binance-margin-level-and-margin-call-360030493931).
 * Binance values both sides in BTC; the level is a ratio of two values in one unit, so any
 * common quote (USDT here by default) gives the same level.
 *
 * Liquidation is `Margin Level ≤ T` (T = 1.1 by default, see spotMarginThresholds.ts), i.e.
 *   f = TA − T × TL ≤ 0,
 * which is linear in each price. Hence, for one asset i with holdings q and liability d
 * (asset units) and every other price held, with A₀ = TA − q·p and L₀ = TL − d·p:
 *   p* = (T·L₀ − A₀) / (q − T·d)
 * (below the price when q > T·d, above it when q < T·d, none when q = T·d or p* ≤ 0);
 * and for a uniform move of every non-stable price by (1 + x), with S/N the stable and
 * non-stable parts:  1 + x* = (T·L_S − A_S) / (A_N − T·L_N).
 */
import { D, ZERO } from './decimal';

/** One asset's exposure, Decimal, asset units; `price` in the account's quote. */
export interface Exposure {
  asset: string;
  /** free + locked */
  held: D;
  /** borrowed + interest */
  owed: D;
  price: D;
  /** Held fixed in uniform moves and never given a liquidation price. */
  stable: boolean;
}

export interface LevelTotals {
  totalAssetValue: D;
  totalLiability: D;
  /** null when there is no liability (the level is unbounded: no liquidation risk). */
  marginLevel: D | null;
}

/** Σ held × price, Σ owed × price and their ratio. */
export function levelTotals(xs: readonly Exposure[]): LevelTotals {
  let ta = ZERO;
  let tl = ZERO;
  for (const x of xs) {
    ta = ta.plus(x.held.times(x.price));
    tl = tl.plus(x.owed.times(x.price));
  }
  return { totalAssetValue: ta, totalLiability: tl, marginLevel: tl.gt(0) ? ta.div(tl) : null };
}

/** A solved price: a value, or none with why. */
export type Solved = { price: D; side: 'below' | 'above' } | { price: null; why: string };

/**
 * Price of `xs[i]` (others held) at which the margin level equals `t`.
 * @param t the liquidation level (ratio > 0)
 */
export function solveAssetPrice(xs: readonly Exposure[], i: number, t: D, totals: LevelTotals = levelTotals(xs)): Solved {
  const x = xs[i]!;
  if (x.held.isZero() && x.owed.isZero()) return { price: null, why: 'no holding and no debt in this asset' };
  const a0 = totals.totalAssetValue.minus(x.held.times(x.price));
  const l0 = totals.totalLiability.minus(x.owed.times(x.price));
  const slope = x.held.minus(t.times(x.owed));
  if (slope.isZero()) return { price: null, why: 'the margin level does not reach the liquidation level through this price alone' };
  const p = t.times(l0).minus(a0).div(slope);
  if (p.lte(0)) {
    return {
      price: null,
      why: totals.totalLiability.isZero() ? 'no liabilities: the account cannot be liquidated' : 'no positive price of this asset alone liquidates the account',
    };
  }
  return { price: p, side: slope.gt(0) ? 'below' : 'above' };
}

/** Uniform move x of every non-stable price, fraction; `down` ≤ 0 ≤ `up`; null with why when none exists. */
export function solveUniformMove(xs: readonly Exposure[], t: D): { down: D | null; up: D | null; why: string | null } {
  let as = ZERO;
  let ls = ZERO;
  let an = ZERO;
  let ln = ZERO;
  for (const x of xs) {
    const a = x.held.times(x.price);
    const l = x.owed.times(x.price);
    if (x.stable) {
      as = as.plus(a);
      ls = ls.plus(l);
    } else {
      an = an.plus(a);
      ln = ln.plus(l);
    }
  }
  if (ls.plus(ln).isZero()) return { down: null, up: null, why: 'no liabilities: the account cannot be liquidated' };
  const slope = an.minus(t.times(ln));
  if (slope.isZero()) return { down: null, up: null, why: 'the margin level does not depend on a uniform move of the non-stable prices' };
  const k = t.times(ls).minus(as).div(slope);
  const move = k.minus(1);
  if (slope.gt(0)) {
    return k.gt(0) ? { down: move, up: null, why: null } : { down: null, up: null, why: 'no fall of the non-stable prices liquidates the account' };
  }
  return { down: null, up: move, why: null };
}
