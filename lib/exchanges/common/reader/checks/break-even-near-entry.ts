/**
 * Law (row): the break-even price is the entry price moved by fees and funding, so it lies
 * within 5 % of the entry. Farther, the entry (or break-even) label is on another column.
 */
import { fx, fxAbs, fxCmp, fxMul, fxSub, type Fixed } from '../../fixed';

/** Relative distance of the break-even price from entry above which the column is mislabelled: 5 %. */
export const BREAK_EVEN_TOLERANCE = fx('0.05');

/** @returns null when the law holds, else the problem (the row is then left out). */
export function breakEvenNearEntry(breakEven: Fixed, entry: Fixed): string | null {
  return fxCmp(fxAbs(fxSub(breakEven, entry)), fxMul(entry, BREAK_EVEN_TOLERANCE)) > 0 ? 'break-even price far from entry (columns mislabelled?)' : null;
}
