/**
 * Law (row): the PnL shown equals side × size × (mark − entry).
 *
 * Tolerance: the PnL's own display rounding, the price roundings times the size, plus 1 % of
 * |PnL| (a last-price/mark tick between cells). A neighbouring column read as entry or mark
 * (break-even, liq. price, last price…) moves the implied PnL by far more, so the row is left out
 * as mislabelled. (A canonical string's scale is its decimal count with trailing zeros dropped: a
 * lower bound of the display decimals, so the rounding allowance below is never too wide.)
 */
import type { Direction } from '../../dom';
import { fx, fxAbs, fxAdd, fxCmp, fxMul, fxNeg, fxSub, fxUlp, type Fixed } from '../../fixed';

/** Relative margin on a row's PnL cross-check: 1 % of |PnL|. */
export const PNL_TOLERANCE = fx('0.01');

/**
 * @param side - the row's direction.
 * @param size - |size| in base units.
 * @param entry - entry price (quote per base unit); `mark` likewise.
 * @param pnl - unrealised PnL shown (quote, signed: + is a gain).
 * @param pnlDecimals - decimals the PnL is displayed with.
 * @returns null when the law holds, else the problem (the row is then left out).
 */
export function pnlMatchesPrices(side: Direction, size: Fixed, entry: Fixed, mark: Fixed, pnl: Fixed, pnlDecimals: number): string | null {
  const move = fxSub(mark, entry);
  const implied = fxMul(side === 'long' ? move : fxNeg(move), size);
  const diff = fxAbs(fxSub(implied, pnl));
  const rounding = fxAdd(fxUlp(pnlDecimals), fxMul(size, fxAdd(fxUlp(mark.scale), fxUlp(entry.scale))));
  const tol = fxAdd(rounding, fxMul(fxAbs(pnl), PNL_TOLERANCE));
  return fxCmp(diff, tol) <= 0 ? null : 'PnL does not match entry, mark and size (columns mislabelled?)';
}
