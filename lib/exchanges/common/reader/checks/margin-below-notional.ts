/**
 * Law (row): a position's margin (and its initial margin) is below its notional, mark × size:
 * leverage is above 1. A value or notional column under the margin label breaks it.
 */
import { fxCmp, type Fixed } from '../../fixed';

/**
 * @param what - `margin` or `IM`, for the problem text.
 * @param margin - the margin shown (quote); `notional` = mark × |size| (quote).
 * @returns null when the law holds, else the problem (the row is then left out).
 */
export function marginBelowNotional(what: 'margin' | 'IM', margin: Fixed, notional: Fixed): string | null {
  return fxCmp(margin, notional) >= 0 ? `${what} not below notional (columns mislabelled?)` : null;
}
