/**
 * Law (account): an account that is not being liquidated has its maintenance margin below its
 * margin balance (by more than the margin balance's rounding).
 */
import { addDec, cmpDec } from '../../fixed';
import type { MarginBalanceFigure, ShownFigure } from './figure';

/** @returns null when the law holds, else the failure (the account panel is then distrusted). */
export function mmBelowMarginBalance(mm: ShownFigure, mb: MarginBalanceFigure): string | null {
  return cmpDec(addDec(mm.value, mb.ulp), mb.value) >= 0 ? 'maintenance margin not below margin balance' : null;
}
