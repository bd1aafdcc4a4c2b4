/**
 * Law (account): the margin ratio shown is the exchange's quotient of maintenance margin and
 * margin balance: MM ÷ margin balance (`mm/mb`: Binance, Bybit, Hyperliquid; liquidation at
 * 100 %) or margin balance ÷ MM (`mb/mm`: OKX, higher is safer). Checked as
 * |ratio × denominator − numerator| within the roundings of all three figures plus 1 % of the
 * numerator.
 */
import { absDec, addDec, cmpDec, mulDec, subDec, ulp } from '../../fixed';
import type { MarginBalanceFigure, ShownFigure } from './figure';

/**
 * @param direction - the exchange's ratio direction (`ReaderConfig.ratioDirection`).
 * @param ratio - the ratio as a fraction (`0.0101` for 1.01 %), `decimals` those of the fraction.
 * @param mm - account maintenance margin (quote); `mb` the margin balance (quote).
 * @returns null when the law holds, else the failure (the account panel is then distrusted).
 */
export function marginRatioMatches(direction: 'mm/mb' | 'mb/mm', ratio: ShownFigure, mm: ShownFigure, mb: MarginBalanceFigure): string | null {
  const mmF = { value: mm.value, ulp: ulp(mm.decimals) };
  const [num, den] = direction === 'mm/mb' ? [mmF, mb] : [mb, mmF];
  const diff = absDec(subDec(mulDec(ratio.value, den.value), num.value));
  const tol = addDec(addDec(addDec(mulDec(absDec(den.value), ulp(ratio.decimals)), num.ulp), mulDec(ratio.value, den.ulp)), mulDec(absDec(num.value), '0.01'));
  return cmpDec(diff, tol) > 0 ? 'margin ratio ≠ maintenance margin vs margin balance' : null;
}
