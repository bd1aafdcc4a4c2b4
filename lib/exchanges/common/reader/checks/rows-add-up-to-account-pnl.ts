/**
 * Law (page): the rows' unrealised PnLs add up to the account's unrealised PnL, within 0.1 % of
 * their gross sum, the account figure's rounding and 0.01 per row. Catches missing rows,
 * virtualised tables and "Hide Other Symbols" (or the account label on another figure).
 */
import { absDec, addDec, cmpDec, mulDec, subDec, ulp } from '../../fixed';
import type { ShownFigure } from './figure';

/**
 * @param rowPnls - every row's unrealised PnL shown (quote, signed).
 * @param account - the account's unrealised PnL shown (quote, signed).
 * @returns null when the law holds, else the problem (the account figure is then not shown and
 *   the position list is not known to be complete).
 */
export function rowsAddUpToAccountPnl(rowPnls: readonly string[], account: ShownFigure): string | null {
  let sum = '0';
  let gross = '0';
  for (const p of rowPnls) {
    sum = addDec(sum, p);
    gross = addDec(gross, absDec(p));
  }
  const tol = addDec(addDec(mulDec(gross, '0.001'), ulp(account.decimals)), mulDec(String(rowPnls.length), '0.01'));
  if (cmpDec(absDec(subDec(sum, account.value)), tol) <= 0) return null;
  return `positions shown add up to unrealized PnL ${sum} but the account shows ${account.value}: some positions are not listed (other symbols hidden?), or that label is on another figure: the account's unrealized PnL is not shown`;
}
