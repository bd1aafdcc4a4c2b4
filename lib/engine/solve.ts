/**
 * Exact root finder for "equity − maintenance requirement = 0".
 *
 * With every tier fixed, each position contributes `a + b·t + c/t` to that function of
 * one price variable `t` (linear contracts give `b·t`, inverse ones `c/t`). Tiers change
 * only at known edges, so the function is piecewise of that form: on each segment between
 * edges we solve `b·t² + a·t + c = 0` exactly and keep the roots that lie in the segment.
 * This is Binance's "iterate over brackets until the bracket at the liquidation price is the
 * one assumed" (https://www.binance.com/en/support/faq/b3c689c1f50a44cabb3a84e663b81d93),
 * done without iteration limits or oscillation.
 */
import { D, ZERO } from './decimal';
import type { Piece } from './position';

export interface SolverTerm {
  /** Values of t at which this term's tier changes, any order. */
  edges: D[];
  /** Coefficients valid on the segment containing `sample`. */
  pieceAt(sample: D): Piece;
}

const EPS = new D('1e-30');

function sumPieces(constant: D, terms: SolverTerm[], sample: D): Piece {
  let a = constant;
  let b = ZERO;
  let c = ZERO;
  for (const term of terms) {
    const p = term.pieceAt(sample);
    a = a.plus(p.a);
    b = b.plus(p.b);
    c = c.plus(p.c);
  }
  return { a, b, c };
}

/** Value of `constant + Σ terms` at `t` (t > 0). */
export function valueAt(constant: D, terms: SolverTerm[], t: D): D {
  const { a, b, c } = sumPieces(constant, terms, t);
  return a.plus(b.times(t)).plus(c.div(t));
}

/** Positive real roots of a + b·t + c/t = 0. */
function pieceRoots({ a, b, c }: Piece): D[] {
  if (b.isZero() && c.isZero()) return [];
  if (b.isZero()) return a.isZero() ? [] : [c.neg().div(a)];
  if (c.isZero()) return [a.neg().div(b)];
  const disc = a.times(a).minus(b.times(c).times(4));
  if (disc.isNeg()) return [];
  const sq = disc.sqrt();
  // Numerically stable quadratic roots.
  const q = a.isNeg() ? a.neg().plus(sq).div(2) : a.plus(sq).neg().div(2);
  if (q.isZero()) return [];
  return [q.div(b), c.div(q)];
}

/**
 * All t > 0 where `constant + Σ terms(t) = 0`, ascending, without duplicates.
 * @param constant the part that does not depend on t (wallet balance, other positions)
 */
export function allRoots(constant: D, terms: SolverTerm[]): D[] {
  const edges = [...new Set(terms.flatMap((t) => t.edges).filter((e) => e.gt(0)).map((e) => e.toString()))]
    .map((e) => new D(e))
    .sort((x, y) => x.comparedTo(y));
  const bounds: [D, D | null][] = [];
  let lo = ZERO;
  for (const e of edges) {
    bounds.push([lo, e]);
    lo = e;
  }
  bounds.push([lo, null]);

  const found: D[] = [];
  for (const [lo, hi] of bounds) {
    const sample = hi === null ? (lo.isZero() ? new D(1) : lo.times(2)) : lo.isZero() ? hi.div(2) : lo.plus(hi).div(2);
    for (const r of pieceRoots(sumPieces(constant, terms, sample))) {
      if (!r.gt(0)) continue;
      const tol = r.abs().times(EPS);
      if (r.lt(lo.minus(tol))) continue;
      if (hi !== null && r.gt(hi.plus(tol))) continue;
      found.push(r);
    }
  }
  found.sort((x, y) => x.comparedTo(y));
  const out: D[] = [];
  for (const r of found) {
    const prev = out[out.length - 1];
    if (prev && r.minus(prev).abs().lte(r.abs().times(new D('1e-24')))) continue;
    out.push(r);
  }
  return out;
}

/**
 * The root nearest to `now` on each side: the first value of t at which the function
 * reaches zero moving down from `now`, and moving up.
 */
export function nearestRoots(constant: D, terms: SolverTerm[], now: D): { below: D | null; above: D | null } {
  const roots = allRoots(constant, terms);
  let below: D | null = null;
  let above: D | null = null;
  for (const r of roots) {
    if (r.lte(now)) below = r;
    else if (above === null) above = r;
  }
  return { below, above };
}
