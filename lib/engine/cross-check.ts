/**
 * Page and API side by side (issue 18 §4): when one exchange account is both read from its page and
 * read through the read-only API, the two snapshots are compared, and every disagreement is
 * stated, never silently resolved (neither source overrides the other).
 *
 * Compared: the set of positions (symbol, side, margin mode), each position's size (0.5 %
 * tolerance: pages round sizes for display), and the cross wallet balance (the amount tolerance of
 * ./reconcile.ts: max(0.01, 0.2 %)). Pure; decimal.js.
 */
import { D } from './decimal';
import { toleranceFor } from './reconcile';
import type { AccountSnapshot, PositionSnapshot } from './snapshot';

/** Relative size tolerance between a page's displayed size and the API's exact one. */
export const SIZE_TOLERANCE = '0.005';

const keyOf = (p: PositionSnapshot) => `${p.symbol} ${p.side} ${p.marginMode}`;

/**
 * Disagreements between a page snapshot and an API snapshot of the same exchange, as sentences,
 * e.g. `ETHUSDT short cross: on the API, not on the page` or `BTCUSDT long cross size: page 0.1, API 0.2`.
 * Empty when they agree. A figure one side does not know (null) is not compared.
 */
export function crossCheck(page: AccountSnapshot, api: AccountSnapshot): string[] {
  const out: string[] = [];
  const pageByKey = new Map(page.positions.map((p) => [keyOf(p), p]));
  const apiByKey = new Map(api.positions.map((p) => [keyOf(p), p]));
  for (const [k, a] of apiByKey) {
    const p = pageByKey.get(k);
    if (!p) {
      out.push(`${k}: on the API, not on the page`);
      continue;
    }
    const diff = new D(a.size).minus(p.size).abs();
    if (diff.gt(new D(a.size).times(SIZE_TOLERANCE))) out.push(`${k} size: page ${p.size}, API ${a.size}`);
  }
  for (const k of pageByKey.keys()) if (!apiByKey.has(k)) out.push(`${k}: on the page, not on the API`);
  if (page.walletBalance !== null && api.walletBalance !== null) {
    const theirs = new D(api.walletBalance);
    if (new D(page.walletBalance).minus(theirs).abs().gt(toleranceFor('amount', theirs))) out.push(`wallet balance: page ${page.walletBalance}, API ${api.walletBalance}`);
  }
  return out;
}
