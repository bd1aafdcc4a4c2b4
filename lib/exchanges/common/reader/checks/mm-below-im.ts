/**
 * Law (row): a position's maintenance margin is below its initial margin (the MM rate is below
 * 1 ÷ leverage at every tier). Swapped IM/MM labels break it.
 */
import { fxCmp, type Fixed } from '../../fixed';

/** @returns null when the law holds, else the problem (the row is then left out). */
export function mmBelowIm(mm: Fixed, im: Fixed): string | null {
  return fxCmp(mm, im) >= 0 ? 'MM not below IM (columns mislabelled?)' : null;
}
