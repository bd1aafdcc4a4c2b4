/**
 * Law (account): each position's MM is below its initial margin, so the account MM is below the
 * sum of the margins shown in the rows. Valid only when every row was read (a missing row would
 * lower the sum): the caller checks that.
 */
import { addDec, cmpDec, ulp } from '../../fixed';
import type { ShownFigure } from './figure';

/**
 * @param mm - account maintenance margin (quote).
 * @param margins - each position's margin shown (quote), every open position included.
 * @returns null when the law holds, else the failure (the account panel is then distrusted).
 */
export function accountMmBelowPositionMargins(mm: ShownFigure, margins: readonly string[]): string | null {
  let im = '0';
  for (const m of margins) im = addDec(im, m);
  return cmpDec(mm.value, addDec(im, ulp(mm.decimals))) > 0 ? "maintenance margin above the positions' margins" : null;
}
