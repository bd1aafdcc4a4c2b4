/**
 * Page-read intake: what the worker accepts from a content script, checked in order: the
 * sender (our extension, a tab, https, the exchange's own page host), whether the exchange is
 * enabled, the reader health (bounded) and the account identity the page shows, and the
 * snapshot (the engine's schema, naming the failing field). Pure: no storage, no clock.
 */
import type { ExchangeId } from '../engine/exchanges';
import type { AccountSnapshot } from '../engine/snapshot';
import { safeParseSnapshot } from '../engine/snapshot';
import type { ReaderHealth } from '../exchanges/health';
import { sanitizeHealth, sanitizeIdentity } from '../protocol/schemas';
import { contentSenderProblem, type SenderLike } from './senders';

export { sanitizeHealth } from '../protocol/schemas';

/** A page read the worker accepted (its snapshot may still have been refused: `rejected`). */
export interface AcceptedRead {
  kind: 'read';
  exchange: ExchangeId;
  /** The account identity the page shows (`uid:…`, `sub:…`, `addr:…`), or null. */
  identity: string | null;
  health: ReaderHealth | null;
  /** The validated snapshot, or null (page not recognised, or refused: see `rejected`). */
  snapshot: AccountSnapshot | null;
  /** Why the snapshot was refused (field named), or null. */
  rejected: string | null;
  tabId: number | null;
  windowId: number | null;
  url: string | null;
}

export type IntakeResult = { kind: 'refused'; problem: string } | { kind: 'disabled'; exchange: ExchangeId } | AcceptedRead;

/**
 * Check one `page-read` message.
 * @param ourId our extension id (sender check)
 * @param enabled the exchanges the user monitors (options)
 */
export function checkPageRead(msg: unknown, sender: SenderLike, ourId: string, enabled: readonly ExchangeId[]): IntakeResult {
  const m = (typeof msg === 'object' && msg !== null ? msg : {}) as { exchange?: unknown; snapshot?: unknown; health?: unknown; identity?: unknown };
  const problem = contentSenderProblem(sender, m.exchange, ourId);
  if (problem) return { kind: 'refused', problem };
  const exchange = m.exchange as ExchangeId;
  if (!enabled.includes(exchange)) return { kind: 'disabled', exchange };
  let health = sanitizeHealth(m.health, exchange);
  let snapshot: AccountSnapshot | null = null;
  let rejected: string | null = null;
  if (m.snapshot != null) {
    // The only validation of what the page reader sends (the content script does not repeat it:
    // valibot stays out of the exchange page). A rejected snapshot is stored nowhere and shown:
    // the account's page reads as not recognised, with the field named.
    const r = safeParseSnapshot(m.snapshot);
    if (!r.ok || r.snapshot.exchange !== exchange) {
      rejected = (r.ok ? `snapshot.exchange ${r.snapshot.exchange} does not match ${exchange}` : r.errors.map((e) => e.message).join('; ')).slice(0, 300);
      if (health) health = { ...health, status: 'unrecognized', problems: [...health.problems.slice(0, 49), `snapshot rejected: ${rejected}`] };
    } else snapshot = r.snapshot;
  }
  return {
    kind: 'read',
    exchange,
    identity: sanitizeIdentity(m.identity),
    health,
    snapshot,
    rejected,
    tabId: sender.tab?.id ?? null,
    windowId: sender.tab?.windowId ?? null,
    url: sender.url ?? null,
  };
}
