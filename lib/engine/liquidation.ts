/**
 * Liquidation and bankruptcy prices, and the uniform market move that liquidates a cross
 * account, all from the one condition "equity = maintenance requirement":
 *
 *   cross:    WB + Σ_others (UPNL − MM) + Σ_legs (UPNL(P) − MM(P)) = 0, solved for P, other
 *             positions held at their current marks (Binance FAQ b3c689c1…: "TMM1 / UPNL1 of all
 *             other contracts"); hedge legs of one symbol share this P.
 *   isolated: isolated wallet + UPNL(P) − MM(P) = 0, the position alone.
 *   bankruptcy: the same with no maintenance margin (equity = 0).
 *   uniform move: every mark × (1 + x), solved for x.
 *
 * Binance USDⓈ-M closed form for one position (checked in tests):
 *   LP = (WB − TMM1 + UPNL1 + cum − s·Q·EP) / (Q·MMR − s·Q)
 * https://www.binance.com/en/support/faq/b3c689c1f50a44cabb3a84e663b81d93
 */
import { D, ONE, ZERO } from './decimal';
import type { PositionModel } from './position';
import { firstRoot, valueAt, type SolverTerm } from './solve';

/** The solver term of a position whose price is `k·t`. */
export function termOf(m: PositionModel, k: D, withMaintenance: boolean, kF: number = k.toNumber()): SolverTerm {
  const unit = k.eq(1);
  return {
    pieceAtFloat: (t) => m.pieceFloat(kF, t, withMaintenance),
    edgeCount: withMaintenance ? m.edgeCount : 0,
    edgeAt: (j) => (unit ? m.priceEdge(j) : m.priceEdge(j).div(k)),
    edgesFloat: !withMaintenance ? [] : unit ? m.priceEdgesFloat() : m.priceEdgesFloat().map((e) => e / kF),
    pieceAt: (t, tF) => {
      if (!withMaintenance) return m.piece(k, null, false, unit);
      const at = (): D => {
        const x = typeof t === 'function' ? t() : t;
        return unit ? x : k.times(x);
      };
      return m.piece(k, m.tierAtPrice(at, tF === undefined ? Number.NaN : kF * tF), true, unit);
    },
  };
}

export type PriceSolution =
  | { price: D; past: boolean; note?: string }
  /** No such price exists (not unknown): fully hedged, or margin covers any move. */
  | { price: null; reason: string };

/**
 * Price of one symbol at which `constant + Σ legs` reaches zero, first reached moving the
 * price against the legs' net direction from `mark`.
 *
 * @param constant equity not depending on this symbol's price (settlement asset)
 * @param legs the positions on this symbol (one, or the two legs of a hedge)
 * @param mark current mark price of the symbol
 * @param withMaintenance false for the bankruptcy price
 * @param nowValue the function's value at `mark` when the caller already knows it
 * @returns `past: true` when the condition already holds at `mark` (price = nearest root)
 */
export function solveSymbolPrice(constant: D, legs: PositionModel[], mark: D, withMaintenance: boolean, nowValue?: D): PriceSolution {
  let net = ZERO;
  for (const m of legs) net = net.isZero() ? m.sq : net.plus(m.sq);
  if (net.isZero()) {
    return { price: null, reason: 'fully hedged: long and short legs are equal, no price liquidates them' };
  }
  const terms = legs.map((m) => termOf(m, ONE, withMaintenance, 1));
  // float64 of the mark (legs share it; a caller-given mark that differs is converted)
  const markF = legs[0]!.mark !== null && legs[0]!.mark.eq(mark) ? legs[0]!.markF : mark.toNumber();
  const now = nowValue ?? valueAt(constant, terms, mark);
  if (!now.gt(0)) {
    const below = firstRoot(constant, terms, mark, 'down', null, markF);
    const above = firstRoot(constant, terms, mark, 'up', null, markF);
    const nearest =
      below && above ? (mark.minus(below).lte(above.minus(mark)) ? below : above) : (below ?? above);
    if (nearest) return { price: nearest, past: true };
    return { price: mark, past: true };
  }
  const netLong = net.gt(0);
  const adverse = firstRoot(constant, terms, mark, netLong ? 'down' : 'up', null, markF);
  if (adverse) return { price: adverse, past: false };
  const other = firstRoot(constant, terms, mark, netLong ? 'up' : 'down', null, markF);
  if (other) {
    return {
      price: other,
      past: false,
      note: 'liquidated by a move in the direction of the net position: maintenance margin outgrows the profit',
    };
  }
  return {
    price: null,
    reason: net.gt(0) ? 'margin covers a fall of the price to 0: no liquidation price' : 'no liquidation price: margin covers any rise',
  };
}

/**
 * Bankruptcy price of one symbol: where `constant + Σ legs UPNL(P) = 0` (no maintenance margin,
 * so no tiers). Closed form, the legs of one symbol being all linear or all inverse:
 *   linear:  constant + Σ(s·q)·P − Σ(s·q·EP) = 0   →  P = (Σ s·q·EP − constant) / Σ s·q
 *   inverse: constant + Σ(s·N/EP) − Σ(s·N)/P = 0  →  P = Σ s·N / (constant + Σ s·N/EP)
 * Same answers as {@link solveSymbolPrice} without maintenance, at a fraction of the cost.
 */
export function solveBankruptcyPrice(constant: D, legs: PositionModel[], mark: D): PriceSolution {
  let sq = ZERO;
  let sqe = ZERO;
  for (const m of legs) {
    sq = sq.plus(m.sq);
    sqe = sqe.plus(m.sqe);
  }
  if (sq.isZero()) return { price: null, reason: 'fully hedged: long and short legs are equal, no price liquidates them' };
  const inverse = legs[0]!.inverse;
  const denom = inverse ? constant.plus(sqe) : sq;
  if (denom.isZero()) return { price: null, reason: 'no bankruptcy price: equity does not depend on the price' };
  const price = inverse ? sq.div(denom) : sqe.minus(constant).div(denom);
  const equityNow = inverse ? constant.plus(sqe).minus(sq.div(mark)) : constant.plus(sq.times(mark)).minus(sqe);
  if (!equityNow.gt(0)) return price.gt(0) ? { price, past: true } : { price: mark, past: true };
  if (!price.gt(0)) {
    return { price: null, reason: sq.gt(0) ? 'margin covers a fall of the price to 0: no bankruptcy price' : 'no bankruptcy price: margin covers any rise' };
  }
  return { price, past: false };
}

/** Largest uniform rise searched: +1000 %. A rise beyond it is reported as "no rise liquidates". */
export const MAX_UNIFORM_RISE = new D(10);

/**
 * Uniform move x (every mark × (1 + x)) at which `constant + Σ positions` reaches zero.
 * @param nowValue the function's value now (x = 0) when the caller already knows it
 * @returns `down` ≤ 0 ≤ `up` as fractions, each null when no such move exists (price would reach 0,
 * or no finite rise liquidates); `past` when the account is at or past liquidation now.
 */
export function solveUniformMove(
  constant: D,
  models: PositionModel[],
  nowValue?: D,
): { down: D | null; up: D | null; past: boolean } {
  const terms = models.map((m) => termOf(m, m.mark!, true, m.markF));
  const now = nowValue ?? valueAt(constant, terms, ONE);
  if (!now.gt(0)) return { down: ZERO, up: ZERO, past: true };
  const below = firstRoot(constant, terms, ONE, 'down', null, 1);
  const above = firstRoot(constant, terms, ONE, 'up', MAX_UNIFORM_RISE.plus(1), 1);
  return { down: below ? below.minus(1) : null, up: above ? above.minus(1) : null, past: false };
}
