/**
 * The page-read message: the one message a content script sends to the worker, with every page
 * read, and the worker's reply, which retunes how often the page's price-only changes are read.
 * Light on purpose (no valibot): the content script bundles this file; the worker checks the
 * message's shape (./schemas.ts).
 */
import type { ExchangeId } from '../engine/exchanges';
import type { AccountSnapshot } from '../engine/snapshot';
import type { ReaderHealth } from '../exchanges/health';

/** The one message a content script sends to the background. */
export interface PageReadMessage {
  type: 'page-read';
  exchange: ExchangeId;
  /** null when the page was not recognised. */
  snapshot: AccountSnapshot | null;
  health: ReaderHealth;
  /** The account identity the page shows (`uid:12345678`, `sub:<name>`, `addr:0x…` lowercase), or null/absent when none is shown. */
  identity?: string | null;
}

/**
 * How often the background wants the page's price-only changes (mark, PnL, liquidation
 * price…) read, in ms: {@link PAGE_PRICES_LIVE_MS} while some position has no fresh stream
 * mark (the page is then its live price source), {@link PAGE_PRICES_RECONCILE_MS} while every
 * position is priced by a live stream (the page's figures only serve reconciliation).
 */
export const PAGE_PRICES_LIVE_MS = 500;
/**
 * See {@link PAGE_PRICES_LIVE_MS}. While streams price every position, what the page's price
 * figures add is the exchange's own liquidation price, margin ratio and MM beside ours, compared
 * at the marks the page showed (lib/background reconciliation): they may be up to
 * 60 s old, which keeps the extension's cost to a ticking page within 2 % of the page's own
 * script (`npm run bench`). Capped by {@link pagePricesReconcileMs}.
 */
export const PAGE_PRICES_RECONCILE_MS = 60_000;

/**
 * The price refresh while streams price every position: {@link PAGE_PRICES_RECONCILE_MS}, but at
 * most a third of the user's page staleness limit (`snapshotMaxAgeMs`, ms), so that a ticking
 * page is never reported as "not read" because of this interval.
 */
export function pagePricesReconcileMs(snapshotMaxAgeMs: number): number {
  return Math.max(PAGE_PRICES_LIVE_MS, Math.min(PAGE_PRICES_RECONCILE_MS, Math.floor(snapshotMaxAgeMs / 3)));
}

/** The background's answer to a {@link PageReadMessage}. */
export type PageReadReply = { ok: true; priceRefreshMs: number } | { ok: false; error: string };

/**
 * The price-read interval in a reply to a page read, or null when the reply carries none
 * (refused read, unexpected shape): the content script then keeps its default.
 */
export function priceRefreshOf(reply: unknown): number | null {
  if (typeof reply !== 'object' || reply === null) return null;
  const ms = (reply as { priceRefreshMs?: unknown }).priceRefreshMs;
  return typeof ms === 'number' && Number.isFinite(ms) && ms >= 0 && ms <= PAGE_PRICES_RECONCILE_MS ? ms : null;
}
