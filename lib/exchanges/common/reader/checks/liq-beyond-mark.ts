/**
 * Law (row): the liquidation price lies on the losing side of the mark: below it for a long,
 * above it for a short (a position at its liquidation price is already gone). A price column on
 * the wrong side is another column under the liquidation label.
 */
import type { Direction } from '../../dom';
import { fxCmp, type Fixed } from '../../fixed';

/** @returns null when the law holds, else the problem (the row is then left out). */
export function liqBeyondMark(side: Direction, liq: Fixed, mark: Fixed): string | null {
  const wrong = side === 'long' ? fxCmp(liq, mark) >= 0 : fxCmp(liq, mark) <= 0;
  return wrong ? 'liq. price on the wrong side of mark (columns mislabelled?)' : null;
}
