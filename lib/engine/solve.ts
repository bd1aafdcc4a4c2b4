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
  /** Number of tier edges of this term. */
  edgeCount: number;
  /** Exact value of edge j (values of t at which this term's tier changes; any order). Computed on demand. */
  edgeAt(j: number): D;
  /**
   * Coefficients valid on the segment containing `sample` (a decimal, or a thunk computing it
   * only if the tier must be confirmed exactly); `sampleF` is its float64 value when known.
   */
  pieceAt(sample: D | (() => D), sampleF?: number): Piece;
  /** float64 values of `edges`, same order. */
  edgesFloat: number[];
  /** float64 mirror of `pieceAt` as `[a, b, c]`: used only to find the segment that holds the root. */
  pieceAtFloat(sample: number): [number, number, number];
}

const EPS = new D('1e-30');

function sumPieces(constant: D, terms: SolverTerm[], sample: D | (() => D), sampleF?: number): Piece {
  let a = constant;
  let b = ZERO;
  let c = ZERO;
  for (const term of terms) {
    const p = term.pieceAt(sample, sampleF);
    a = a.plus(p.a);
    if (!p.b.isZero()) b = b.isZero() ? p.b : b.plus(p.b);
    if (!p.c.isZero()) c = c.isZero() ? p.c : c.plus(p.c);
  }
  return { a, b, c };
}

/** Value of `constant + Σ terms` at `t` (t > 0). */
export function valueAt(constant: D, terms: SolverTerm[], t: D): D {
  const { a, b, c } = sumPieces(constant, terms, t);
  return a.plus(b.times(t)).plus(c.div(t));
}

/** The root nearest to the float64 estimate `x` (for the two roots of a quadratic piece). */
function closestTo(roots: D[], x: number): D {
  let best = roots[0]!;
  let bestGap = Math.abs(best.toNumber() - x);
  for (const r of roots.slice(1)) {
    const gap = Math.abs(r.toNumber() - x);
    if (gap < bestGap) (best = r), (bestGap = gap);
  }
  return best;
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

/** Positive roots of `piece` lying in [lo, hi] (hi null = unbounded). */
function rootsIn(piece: Piece, lo: D, hi: D | null): D[] {
  return pieceRoots(piece).filter((r) => {
    if (!r.gt(0)) return false;
    const tol = r.abs().times(EPS);
    return !r.lt(lo.minus(tol)) && (hi === null || !r.gt(hi.plus(tol)));
  });
}

/**
 * The first t at which `constant + Σ terms(t)` reaches zero, moving from `now` in direction
 * `dir` (`down`: the largest root ≤ now; `up`: the smallest root > now, and ≤ `limit` when given),
 * or null if none.
 *
 * Fast path: a float64 walk finds the segment that holds the root; the root is then solved
 * exactly in decimal on that segment and checked to lie inside it (decimal bounds). If the
 * check fails (a root within float error of a tier edge) the exact decimal walk decides, so
 * every returned value is an exact decimal root. "No root" is float64's verdict: it can be
 * wrong only for a tangent (double) root, where equity touches maintenance without crossing.
 */
export function firstRoot(constant: D, terms: SolverTerm[], now: D, dir: 'down' | 'up', limit: D | null = null, nowF: number = now.toNumber()): D | null {
  const seg = floatSegment(constant.toNumber(), terms, now, nowF, dir, limit);
  if (seg === null) return null;
  const { sample, sampleF, lo, hi, loF, hiF, rootF } = seg;
  const piece = sumPieces(constant, terms, sample, sampleF);
  const pick = (roots: D[]) => {
    const ok = roots.filter((r) => (dir === 'down' ? r.lte(now) : r.gt(now)) && (limit === null || r.lte(limit)));
    return ok.length ? ok.reduce((best, r) => (dir === 'down' ? (r.gt(best) ? r : best) : r.lt(best) ? r : best)) : null;
  };
  // A root well inside the float64 bounds (margin ≫ float error) is inside the exact bounds
  // too: the float walk's root `rootF` tells which exact root that is, without conversions.
  const roots = pieceRoots(piece);
  const m = Math.abs(rootF) * 1e-9;
  if (rootF > 0 && rootF > loF + m && (hiF === null || rootF < hiF - m) && roots.length) {
    const near = roots.length === 1 ? roots[0]! : closestTo(roots, rootF);
    const inner = pick([near]);
    if (inner) return inner;
  }
  const exact = pick(rootsIn(piece, lo(), hi()));
  if (exact) return exact;
  // The float64 segment was off by a rounding at a tier edge: let the exact walk decide.
  return decimalWalk(constant, terms, now, dir, limit);
}

interface FloatEdge {
  t: number;
  term: number;
  j: number;
}

/**
 * float64 walk: the decimal bounds `[lo, hi]` (hi null = unbounded) of the segment holding the
 * first root, or null when float64 finds none. Margins are generous (1e-9 relative), so a
 * root near an edge is reported in a segment next to it, where the exact check runs.
 */
function floatSegment(
  constant: number,
  terms: SolverTerm[],
  nowD: D,
  now: number,
  dir: 'down' | 'up',
  limitD: D | null,
): { sample: () => D; sampleF: number; lo: () => D; hi: () => D | null; loF: number; hiF: number | null; rootF: number } | null {
  const limit = limitD === null ? null : limitD.toNumber();
  const exact = (e: FloatEdge) => terms[e.term]!.edgeAt(e.j);
  const edges: FloatEdge[] = [];
  terms.forEach((term, i) => {
    const ef = term.edgesFloat;
    for (let j = 0; j < ef.length; j++) {
      const t = ef[j]!;
      if (t > 0 && (limit === null || t < limit)) edges.push({ t, term: i, j });
    }
  });
  edges.sort((x, y) => x.t - y.t);
  const mid = (lo: number, hi: number | null) => (hi === null ? (lo === 0 ? now * 2 : lo * 2) : (lo + hi) / 2);
  let below = 0;
  while (below < edges.length && edges[below]!.t < now) below++;
  let above = 0;
  while (above < edges.length && !(edges[above]!.t > now)) above++;
  let lo = dir === 'down' ? (below > 0 ? edges[below - 1]!.t : 0) : now;
  let hi: number | null = dir === 'down' ? now : above < edges.length ? edges[above]!.t : limit;
  // bounds as edge references, resolved to exact decimals only for the segment returned
  type Bound = FloatEdge | D | null;
  const resolve = (x: Bound): D | null => (x === null || x instanceof D ? x : exact(x));
  let loD: Bound = dir === 'down' ? (below > 0 ? edges[below - 1]! : new D(0)) : nowD;
  let hiD: Bound = dir === 'down' ? nowD : above < edges.length ? edges[above]! : limitD;
  const sample = mid(lo, hi);
  const pieces = terms.map((t) => t.pieceAtFloat(sample));
  let a = constant, b = 0, c = 0;
  for (const p of pieces) {
    a += p[0];
    b += p[1];
    c += p[2];
  }
  let next = dir === 'down' ? below - 1 : above;
  for (;;) {
    if (hi === null || hi > lo) {
      let rootF: number | null = null;
      for (const r of floatRoots(a, b, c)) {
        // generous margins: the decimal check decides exactly
        const tol = Math.abs(r) * 1e-9;
        if (r > 0 && r >= lo - tol && (hi === null || r <= hi + tol) && (dir === 'down' ? r <= now + tol : r > now - tol)) {
          if (rootF === null || (dir === 'down' ? r > rootF : r < rootF)) rootF = r;
        }
      }
      if (rootF !== null) {
        const [l, h] = [loD, hiD];
        const sampleF = mid(lo, hi);
        let sampleD: D | null = null;
        const sample = () => (sampleD ??= new D(sampleF));
        return { sample, sampleF, lo: () => resolve(l)!, hi: () => resolve(h), loF: lo, hiF: hi, rootF };
      }
    }
    if (dir === 'down' ? next < 0 : next >= edges.length) return null;
    const at = edges[next]!;
    const crossing = new Set<number>();
    while (dir === 'down' ? next >= 0 && edges[next]!.t === at.t : next < edges.length && edges[next]!.t === at.t) {
      crossing.add(edges[next]!.term);
      next += dir === 'down' ? -1 : 1;
    }
    if (dir === 'down') {
      hi = at.t;
      hiD = at;
      lo = next >= 0 ? edges[next]!.t : 0;
      loD = next >= 0 ? edges[next]! : new D(0);
    } else {
      lo = at.t;
      loD = at;
      hi = next < edges.length ? edges[next]!.t : limit;
      hiD = next < edges.length ? edges[next]! : limitD;
    }
    const s2 = mid(lo, hi);
    for (const i of crossing) {
      const old = pieces[i]!;
      const fresh = terms[i]!.pieceAtFloat(s2);
      pieces[i] = fresh;
      a += fresh[0] - old[0];
      b += fresh[1] - old[1];
      c += fresh[2] - old[2];
    }
  }
}

function floatRoots(a: number, b: number, c: number): number[] {
  if (b === 0 && c === 0) return [];
  if (b === 0) return a === 0 ? [] : [-c / a];
  if (c === 0) return [-a / b];
  const disc = a * a - 4 * b * c;
  if (disc < 0) return [];
  const sq = Math.sqrt(disc);
  const q = a < 0 ? (-a + sq) / 2 : -(a + sq) / 2;
  return q === 0 ? [] : [q / b, c / q];
}

/**
 * Exact decimal walk (the reference the fast path falls back to): the first t at which `constant + Σ terms(t)` reaches zero, moving from `now` in direction
 * `dir` (`down`: the largest root ≤ now; `up`: the smallest root > now, and ≤ `limit` when given),
 * or null if none.
 *
 * Walks the segments between tier edges outward from `now`, keeping the running sum of
 * pieces and recomputing only the term whose edge was crossed: O(n + edges crossed).
 */
function decimalWalk(constant: D, terms: SolverTerm[], now: D, dir: 'down' | 'up', limit: D | null): D | null {
  const edges: { t: D; term: number }[] = [];
  terms.forEach((term, i) => {
    for (let j = 0; j < term.edgeCount; j++) {
      const t = term.edgeAt(j);
      if (t.gt(0) && (limit === null || t.lt(limit))) edges.push({ t, term: i });
    }
  });
  edges.sort((x, y) => x.t.comparedTo(y.t));
  const mid = (lo: D, hi: D | null): D => (hi === null ? (lo.isZero() ? now.times(2) : lo.times(2)) : lo.plus(hi).div(2));

  // First segment: down → [largest edge < now, now]; up → [now, smallest edge > now].
  let below = 0; // edges[0..below-1] < now
  while (below < edges.length && edges[below]!.t.lt(now)) below++;
  let above = 0; // edges[above..] > now
  while (above < edges.length && !edges[above]!.t.gt(now)) above++;
  let lo = dir === 'down' ? (below > 0 ? edges[below - 1]!.t : new D(0)) : now;
  let hi: D | null = dir === 'down' ? now : above < edges.length ? edges[above]!.t : limit;

  const sample = mid(lo, hi);
  const pieces = terms.map((t) => t.pieceAt(sample));
  let a = constant, b = new D(0), c = new D(0);
  for (const p of pieces) {
    a = a.plus(p.a);
    b = b.plus(p.b);
    c = c.plus(p.c);
  }
  let next = dir === 'down' ? below - 1 : above; // index of the edge at the far end of the segment
  for (;;) {
    if (hi === null || hi.gt(lo)) {
      const roots = rootsIn({ a, b, c }, lo, hi).filter((r) => (dir === 'down' ? r.lte(now) : r.gt(now)));
      if (roots.length) return roots.reduce((best, r) => (dir === 'down' ? (r.gt(best) ? r : best) : r.lt(best) ? r : best));
    }
    if (dir === 'down' ? next < 0 : next >= edges.length) return null;
    // Cross every edge at this t, then recompute the crossing terms on the new segment.
    const at = edges[next]!.t;
    const crossing = new Set<number>();
    while (dir === 'down' ? next >= 0 && edges[next]!.t.eq(at) : next < edges.length && edges[next]!.t.eq(at)) {
      crossing.add(edges[next]!.term);
      next += dir === 'down' ? -1 : 1;
    }
    if (dir === 'down') {
      hi = at;
      lo = next >= 0 ? edges[next]!.t : new D(0);
    } else {
      lo = at;
      hi = next < edges.length ? edges[next]!.t : limit;
    }
    const s2 = mid(lo, hi);
    for (const i of crossing) {
      const old = pieces[i]!;
      const fresh = terms[i]!.pieceAt(s2);
      pieces[i] = fresh;
      a = a.minus(old.a).plus(fresh.a);
      b = b.minus(old.b).plus(fresh.b);
      c = c.minus(old.c).plus(fresh.c);
    }
  }
}
