/**
 * Our figures beside the exchange's own, with a stated tolerance per kind of figure.
 *
 * Tolerances allow for what legitimately differs between a page read and our evaluation:
 * tick rounding of displayed prices, the page's figures being taken at a slightly different
 * mark, and 2-decimal display rounding of amounts and percentages.
 */
import { D } from './decimal';
import type { Reconciliation } from './types';

export type FigureKind = 'price' | 'amount' | 'ratio';

/**
 * Tolerance for a figure: prices max(0.1 % of theirs, one tick when `tick` is given); amounts
 * max(0.01, 0.2 % of theirs); ratios (fractions) max(0.0005, 1 % of theirs), i.e. 0.05 percentage points.
 * @param tick the symbol's tick size (prices only): a price read at the page's mark can differ from
 *   ours at that mark by one tick of the inputs' own rounding (entry price, margin)
 */
export function toleranceFor(kind: FigureKind, theirs: D, tick?: D | null): D {
  const abs = theirs.abs();
  switch (kind) {
    case 'price':
      return tick ? D.max(abs.times('0.001'), tick) : abs.times('0.001');
    case 'amount':
      return D.max('0.01', abs.times('0.002'));
    case 'ratio':
      return D.max('0.0005', abs.times('0.01'));
  }
}

/**
 * Compare one figure. Returns null when the exchange shows nothing for it.
 * @param ours our value as a decimal string, or null when unknown
 * @param theirs the exchange's displayed value (decimal string) or null/undefined
 * @param tick prices: the symbol's tick size (decimal string) when known, see {@link toleranceFor}
 */
export function reconcile(field: string, kind: FigureKind, ours: string | null, theirs: string | null | undefined, tick?: string | null): Reconciliation | null {
  if (theirs === null || theirs === undefined) return null;
  const t = new D(theirs);
  const tol = toleranceFor(kind, t, tick ? new D(tick) : null);
  if (ours === null) {
    return { field, ours: null, theirs, diff: null, tolerance: tol.toFixed(), mismatch: true };
  }
  const diff = new D(ours).minus(t);
  return { field, ours, theirs, diff: diff.toFixed(), tolerance: tol.toFixed(), mismatch: diff.abs().gt(tol) };
}
