/**
 * Law (account): margin balance = wallet balance + unrealised PnL (Binance "Margin Balance",
 * Bybit UTA "Margin Balance"/"Total Equity", OKX equity, Hyperliquid "Perps" equity), within the
 * three display roundings plus 0.5 % of the margin balance (the figures tick separately).
 */
import { absDec, addDec, cmpDec, mulDec, subDec, ulp } from '../../fixed';
import type { ShownFigure } from './figure';

/** @returns null when the law holds, else the failure (the account panel is then distrusted). */
export function walletPlusPnlIsMarginBalance(wallet: ShownFigure, pnl: ShownFigure, marginBalance: ShownFigure): string | null {
  const diff = absDec(subDec(addDec(wallet.value, pnl.value), marginBalance.value));
  const tol = addDec(addDec(ulp(wallet.decimals), ulp(pnl.decimals)), addDec(ulp(marginBalance.decimals), mulDec(absDec(marginBalance.value), '0.005')));
  return cmpDec(diff, tol) > 0 ? 'wallet balance + unrealized PnL ≠ margin balance' : null;
}
