/**
 * Law (row): the entry price is trusted only when a readable PnL ties it to the mark.
 *
 * Entry and Mark are the two close prices a relabelled page swaps most easily, and only a PnL
 * that matches (mark − entry) × size (./pnl-matches-prices.ts) tells them apart: a cross margin
 * ties the mark to size and leverage only within its tolerance, a break-even price the entry only
 * within 5 %. Without one the entry price cannot be trusted, and every figure built on it would
 * be a guess.
 */
import type { Fixed } from '../../fixed';

/** @returns null when both a PnL and a mark price were read, else the problem (row left out). */
export function entryToldFromMark(pnl: Fixed | null, mark: Fixed | null): string | null {
  return pnl && mark ? null : 'entry price cannot be told from the mark price without a readable PnL (Entry and Mark columns could be swapped)';
}
