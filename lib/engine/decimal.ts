/**
 * The engine's own Decimal constructor. Never call `Decimal.set` on the global
 * constructor: other code (and other extensions' code in the same realm) may rely on it.
 *
 * 32 significant digits is far beyond any exchange figure (prices have at most ~12
 * significant digits, balances ~18), so intermediate results in the liquidation
 * solvers are exact to well below one tick (1e-8) even for 1e15-sized products. Rounding is half-even for intermediate
 * values; figures shown to the user are rounded explicitly where they are formatted.
 */
import DecimalBase from 'decimal.js';

export const D = DecimalBase.clone({
  precision: 32,
  rounding: DecimalBase.ROUND_HALF_EVEN,
  toExpNeg: -30,
  toExpPos: 40,
});
export type D = InstanceType<typeof D>;

export const ZERO = new D(0);
export const ONE = new D(1);

/** Plain (non-exponent) decimal string of a Decimal, e.g. `'0.00012'`, never `'1.2e-4'`. */
export function str(x: D): string {
  return x.toFixed();
}
