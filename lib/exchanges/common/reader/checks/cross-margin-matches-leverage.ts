/**
 * Law (row): a cross position's margin is its initial margin, size × mark ÷ leverage, within a
 * wide band (a closing-fee estimate may be included, as on Bybit): margin × leverage lies in
 * [0.8, 1.25] × size × mark, after the display roundings. Catches a value or notional column
 * under the margin label.
 */
import { fx, fxAdd, fxCmp, fxMul, fxUlp, type Fixed } from '../../fixed';

const FOUR = fx('4');
const FIVE = fx('5');

/**
 * @param margin - the margin shown (quote), `marginDecimals` its display decimals.
 * @param leverage - the leverage shown (`20` for 20x).
 * @param size - |size| in base units; `mark` the mark price (quote per base unit).
 * @returns null when the law holds, else the problem (the row is then left out).
 */
export function crossMarginMatchesLeverage(margin: Fixed, marginDecimals: number, leverage: Fixed, size: Fixed, mark: Fixed): string | null {
  const levered = fxMul(margin, leverage);
  const implied = fxMul(size, mark);
  const rounding = fxAdd(fxMul(leverage, fxUlp(marginDecimals)), fxMul(size, fxUlp(mark.scale)));
  const tooHigh = fxCmp(fxMul(levered, FOUR), fxAdd(fxMul(implied, FIVE), fxMul(rounding, FOUR))) > 0;
  const tooLow = fxCmp(fxMul(fxAdd(levered, rounding), FIVE), fxMul(implied, FOUR)) < 0;
  return tooHigh || tooLow ? 'margin far from size × mark ÷ leverage (columns mislabelled?)' : null;
}
