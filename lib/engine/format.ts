/**
 * How engine figures leave the engine: plain decimal strings at a fixed scale.
 * 8 decimal places is the finest scale any supported exchange quotes (Binance API
 * liquidation prices, COIN-M coin amounts).
 */
import { D } from './decimal';

export const OUTPUT_DP = 8;

/** Amounts and ratios: half-even at 8 dp, plain notation, no trailing zeros. */
export function out(x: D): string {
  return trim(x.toFixed(OUTPUT_DP, D.ROUND_HALF_EVEN));
}

/** `'12.34000000'` → `'12.34'`, `'-0.00000000'` → `'0'` (one rounding, then string work only). */
function trim(fixed: string): string {
  let end = fixed.length;
  if (fixed.indexOf('.') >= 0) {
    while (fixed.charCodeAt(end - 1) === 48 /* 0 */) end--;
    if (fixed.charCodeAt(end - 1) === 46 /* . */) end--;
  }
  const s = fixed.slice(0, end);
  return s === '-0' ? '0' : s;
}

/**
 * A price rounded toward `mark` at 8 dp: a liquidation price is never shown further from
 * the mark than it is (Binance's API rounds liquidation prices toward the mark; formulas.md §10.6).
 */
export function outToward(x: D, mark: D): string {
  const mode = mark.gt(x) ? D.ROUND_CEIL : D.ROUND_FLOOR;
  return trim(x.toFixed(OUTPUT_DP, mode));
}
