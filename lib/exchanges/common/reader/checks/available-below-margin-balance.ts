/**
 * Law (account): with positions open, some margin is in use, so the available balance is below
 * the margin balance. (Without positions the two may be equal: the caller checks only with
 * positions open.)
 */
import { cmpDec } from '../../fixed';
import type { MarginBalanceFigure, ShownFigure } from './figure';

/** @returns null when the law holds, else the failure (the account panel is then distrusted). */
export function availableBelowMarginBalance(available: ShownFigure, mb: MarginBalanceFigure): string | null {
  return cmpDec(available.value, mb.value) >= 0 ? 'available balance not below margin balance with positions open' : null;
}
