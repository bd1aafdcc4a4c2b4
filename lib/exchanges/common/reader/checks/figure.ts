/** A figure read from the account panel: a decimal string and the decimals it is displayed with. */
export interface ShownFigure {
  value: string;
  decimals: number;
}

/**
 * The margin balance the account laws compare with: shown (its ulp is its last displayed digit)
 * or derived as wallet + unrealised PnL (its ulp is the sum of theirs). Quote currency.
 */
export interface MarginBalanceFigure {
  value: string;
  /** Unit of the last displayed digit(s) behind `value`: the rounding it may carry. */
  ulp: string;
}
