/**
 * The account registry's rules: which account a page read belongs to, and how a read updates it.
 *
 * - **Keys.** A page account is keyed by the identity the page shows (`<exchange>/uid:…`,
 *   `<exchange>/sub:…`, `<exchange>/addr:…`) and otherwise by the tab it was read in
 *   (`<exchange>/tab:<id>`), so a second tab of the same exchange (sub-account, demo account,
 *   another wallet) is a second account instead of replacing the first. Address-watched accounts
 *   keep their own keys (`hyperliquid:<address>`).
 * - **Unreadable is not empty.** A read the reader knows is incomplete (`health.positionsComplete`
 *   false: rows left out, a `Positions(2)` tab over an empty grid) never shrinks the position list:
 *   the account keeps its last known positions (still priced by the streams), and carries
 *   `unreadable` with the reason, which the alert machine turns into a stale state and one notice.
 */
import type { ExchangeId } from '../engine/exchanges';
import type { AccountSnapshot, PositionSnapshot } from '../engine/snapshot';
import { EXCHANGE_NAMES } from '../engine/exchanges';
import type { AccountRecord } from '../storage';
import type { AcceptedRead } from './intake';

/** A tab that sent nothing for this long (ms) while positions are open makes its account stale. */
export const PAGE_SILENCE_MS = 90_000;

/** Key of the account a page read belongs to: by identity where the page shows one, else by tab. */
export function pageAccountKey(exchange: ExchangeId, identity: string | null, tabId: number | null): string {
  if (identity) return `${exchange}/${identity}`;
  return `${exchange}/tab:${tabId ?? 'none'}`;
}

/** Display label: the exchange, plus the identity or tab when the exchange has several accounts. */
export function pageAccountLabel(exchange: ExchangeId, identity: string | null, tabId: number | null, several: boolean): string {
  const name = EXCHANGE_NAMES[exchange];
  if (identity) {
    const [kind, value = ''] = identity.split(/:(.*)/s);
    const shown = value.length > 14 ? `${value.slice(0, 6)}…${value.slice(-4)}` : value;
    return `${name} ${kind === 'uid' ? 'UID ' : ''}${shown}`;
  }
  return several && tabId !== null ? `${name} (tab ${tabId})` : name;
}

export function emptyRecord(key: string, exchange: ExchangeId, label: string): AccountRecord {
  return {
    key,
    exchange,
    label,
    snapshot: null,
    snapshotAt: null,
    health: null,
    tabId: null,
    windowId: null,
    url: null,
    risk: null,
    riskAt: null,
    marks: {},
    tierSources: {},
    stale: null,
    level: null,
    identity: null,
    unreadable: null,
    pageSeenAt: null,
    tabClosed: false,
  };
}

const posKey = (p: PositionSnapshot) => `${p.symbol}|${p.side}|${p.marginMode}`;

/** True when `next` holds every position of `prev` (same symbol, side and margin mode). */
function covers(next: AccountSnapshot, prev: AccountSnapshot): boolean {
  const have = new Set(next.positions.map(posKey));
  return prev.positions.every((p) => have.has(posKey(p)));
}

/** Why the positions of this read cannot be trusted as the whole list, or null when they can. */
export function unreadableReason(read: AcceptedRead): string | null {
  const h = read.health;
  if (!h || h.positionsComplete !== false) return null;
  const expected = h.positionsExpected;
  const got = read.snapshot?.positions.length ?? 0;
  const why = h.problems.slice(0, 3).join('; ');
  const count = expected !== null && expected !== undefined && expected > got ? `the page shows ${expected} open position${expected === 1 ? '' : 's'}, ${got} could be read` : 'some open positions could not be read';
  return `positions could not be read: ${count}${why ? ` (${why})` : ''}`.slice(0, 300);
}

/**
 * The account record after a page read at `now` (ms epoch). `prev` is the account's record, if
 * any. A refused snapshot keeps the previous one (the health says "not recognised"); an incomplete
 * read replaces the snapshot only when it still holds every known position.
 */
export function applyPageRead(prev: AccountRecord | undefined, key: string, label: string, read: AcceptedRead, now: number): AccountRecord {
  const base = prev ?? emptyRecord(key, read.exchange, label);
  const unreadable = unreadableReason(read);
  let snapshot = base.snapshot;
  let snapshotAt = base.snapshotAt;
  if (read.snapshot) {
    const keepOld = unreadable !== null && base.snapshot !== null && !covers(read.snapshot, base.snapshot);
    if (!keepOld) {
      snapshot = read.snapshot;
      snapshotAt = now;
    }
  }
  return {
    ...base,
    label,
    identity: read.identity,
    health: read.health,
    tabId: read.tabId ?? base.tabId,
    windowId: read.windowId ?? base.windowId,
    url: read.url ?? base.url,
    snapshot,
    snapshotAt,
    unreadable,
    pageSeenAt: now,
    tabClosed: false,
  };
}

/** Whether the account has (or is known to have) open positions. */
export function holdsPositions(a: AccountRecord): boolean {
  return (a.snapshot?.positions.length ?? 0) > 0 || a.unreadable != null;
}

/**
 * Why the account's page is silent (its tab is open but its content script sent nothing for
 * {@link PAGE_SILENCE_MS} while positions are open), or null.
 */
export function pageSilence(a: AccountRecord, now: number): string | null {
  if (a.tabId === null || a.tabClosed || a.pageSeenAt == null || !holdsPositions(a)) return null;
  const quiet = now - a.pageSeenAt;
  return quiet > PAGE_SILENCE_MS ? `the exchange page (tab ${a.tabId}) has sent nothing for ${Math.round(quiet / 1000)} s: reader stopped or page changed` : null;
}

/**
 * The identity-less account of `exchange` that a read from a new tab takes over, if any: one
 * whose tab is closed or silent, or one stored under the exchange-only key of older versions.
 * It is the same account reopened; taking it over keeps its alert state (cooldowns) and history.
 */
export function orphanOf(records: Readonly<Record<string, AccountRecord>>, exchange: ExchangeId, now: number): AccountRecord | undefined {
  return Object.values(records).find(
    (a) => a.exchange === exchange && a.health !== null && !a.identity && (a.key === exchange || a.tabClosed === true || (a.pageSeenAt ?? 0) < now - PAGE_SILENCE_MS),
  );
}
