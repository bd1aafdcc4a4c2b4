/**
 * The on-page overlay's data feed: each overlay (entrypoints/overlay.content.tsx) opens a
 * runtime port ({@link OVERLAY_PORT}); the background posts it the badge texts of its page
 * host's accounts ({@link OverlayFeedMessage}), built here from the account records.
 *
 * Why a port and not `storage.onChanged`: the account records are written about once a second
 * while prices tick, and every `storage.onChanged` listener in the page's content-script world
 * receives the whole old and new `accounts` value each time, deserialised inside the busy
 * trading page. The feed sends a host only what its badge shows, and only when that changes:
 * - at once when an account appears or goes, its band (alert colour), its data status, the
 *   set of positions shown, or the placement changes;
 * - when only figures change (ratio, distance to liquidation, liquidation prices): the latest
 *   figures at most every {@link OVERLAY_FIGURES_ELEVATED_MS} while some account of the host is
 *   elevated (at or over an alert level, ratio unknown, or a position within twice the
 *   position-distance alert of its liquidation price), else at most every
 *   {@link OVERLAY_FIGURES_CALM_MS}; a trailing post keeps the last change from being lost.
 *   Alerts do not wait for this: notifications and the toolbar badge come from the monitor directly.
 * Position rows are sent only while the badge is expanded. The watchdog also calls
 * {@link OverlayFeed.heartbeat}, which posts each overlay not posted for {@link FEED_HEARTBEAT_MS}:
 * an overlay that hears nothing for `FEED_QUIET_STALE_MS` (lib/protocol/overlay-feed.ts) shows its accounts stale.
 */
import { FEED_HEARTBEAT_MS, OVERLAY_PORT, type OverlayAccount, type OverlayFeedMessage, type OverlayPlacement } from '../protocol/overlay-feed';
import { accountsForHost, overlayAccountOf } from '../view/overlay';
import { bandOfRisk } from '../alerts/bands';
import type { AccountRecord } from '../storage';
import { overlaySenderProblem, type SenderLike } from './senders';

/** Least time between two posts to an overlay whose only change is in its figures, while all its accounts are calm (ms). */
export const OVERLAY_FIGURES_CALM_MS = 10_000;
/** The same while some account of the overlay's host is elevated (see {@link isElevated}) (ms). */
export const OVERLAY_FIGURES_ELEVATED_MS = 1_000;

/** The alert settings the feed needs for one account (per-account overrides applied). */
export interface FeedAlertSettings {
  /** Alert levels of the normalized risk ratio (fractions). */
  levels: readonly number[];
  /** Position distance-to-liquidation alert (fraction; 0 = off). */
  positionDistance: number;
}

/**
 * Whether an account needs its figures shown promptly: its band is not "ok" (at or over an
 * alert level, or the ratio unknown), or a position is closer to its liquidation price than
 * twice the position-distance alert.
 */
export function isElevated(r: AccountRecord, s: FeedAlertSettings): boolean {
  if (bandOfRisk(r.risk, s.levels) !== 'ok') return true;
  if (s.positionDistance <= 0) return false;
  // A threshold comparison only (like bandOf); the figures shown stay decimal strings.
  return (r.risk?.positions ?? []).some((p) => p.distanceToLiquidation !== null && Number(p.distanceToLiquidation) < 2 * s.positionDistance);
}

/**
 * The account an overlay's own page reads are keyed by: of the host's records, the one last read
 * from the overlay's tab (an open tab; the latest page read wins when a tab changed accounts), or
 * null (the overlay then shows every account of its host: never a blank badge for a mismatch).
 */
export function pageAccountOf(records: readonly AccountRecord[], tabId: number | null): string | null {
  if (tabId === null) return null;
  let best: AccountRecord | null = null;
  for (const r of records) if (r.tabId === tabId && !r.tabClosed && (best === null || (r.pageSeenAt ?? 0) > (best.pageSeenAt ?? 0))) best = r;
  return best?.key ?? null;
}

/** The parts of `runtime.Port` the feed uses. */
export interface FeedPort {
  name: string;
  sender?: SenderLike;
  postMessage(message: unknown): void;
  disconnect(): void;
  onDisconnect: { addListener(cb: () => void): void };
}

export interface OverlayFeedDeps {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(id: unknown): void;
  /** Our extension id (sender check). */
  extensionId: string;
  /** Current account records, by key. */
  accounts(): Record<string, AccountRecord>;
  /** Alert settings of an account (per-account overrides applied), for the band colour and the update pace. */
  alertSettings(accountKey: string): FeedAlertSettings;
  /** Where the user put the badge, and whether it is collapsed. */
  placement(): OverlayPlacement;
  /** A refused port: count it (the monitor's rejected-sender counter). */
  rejected(why: string): void;
  /**
   * Spot margin accounts shown on a host (./margin-watch.ts), and the one read in this tab, if any.
   * Absent: none.
   */
  marginAccounts?(host: string, tabId: number | null, collapsed: boolean): { accounts: OverlayAccount[]; pageAccount: string | null; elevated: boolean };
}

interface Subscriber {
  host: string;
  /** The overlay's tab (its page's reads are keyed by it unless the page shows an identity). */
  tabId: number | null;
  /** Last posted: what is posted at once when it changes, as JSON. */
  urgent: string;
  /** Last posted: the badges, as JSON. */
  shown: string;
  sentAt: number;
  /** Pending trailing post of changed figures, and when it is due (ms epoch). */
  timer: unknown;
  dueAt: number;
}

export class OverlayFeed {
  private readonly subscribers = new Map<FeedPort, Subscriber>();

  constructor(private readonly deps: OverlayFeedDeps) {}

  /** Number of connected overlays. */
  get size(): number {
    return this.subscribers.size;
  }

  /**
   * `runtime.onConnect`: ports named {@link OVERLAY_PORT} from our content scripts on an
   * exchange page host are subscribed and sent their host's view at once; any other sender on
   * that name is counted ({@link OverlayFeedDeps.rejected}) and disconnected. Other port names
   * are not ours to answer and are left alone. Returns whether the port was subscribed.
   */
  connect(port: FeedPort): boolean {
    if (port.name !== OVERLAY_PORT) return false;
    const problem = overlaySenderProblem(port.sender, this.deps.extensionId);
    if (problem) {
      this.deps.rejected(`overlay port from ${port.sender?.url ?? port.sender?.id ?? 'unknown sender'}: ${problem}`);
      port.disconnect();
      return false;
    }
    const sub: Subscriber = { host: new URL(port.sender!.url!).hostname, tabId: port.sender?.tab?.id ?? null, urgent: '', shown: '', sentAt: -Infinity, timer: null, dueAt: Infinity };
    this.subscribers.set(port, sub);
    port.onDisconnect.addListener(() => this.drop(port));
    this.post(port, sub, true);
    return true;
  }

  /** The records, settings or placement changed: post each overlay what changed in its view (see the module comment for when). */
  publish(): void {
    for (const [port, sub] of this.subscribers) this.post(port, sub, false);
  }

  /** The watchdog ran (every 30 s): post each overlay that has not been posted for {@link FEED_HEARTBEAT_MS}. */
  heartbeat(): void {
    const now = this.deps.now();
    for (const [port, sub] of this.subscribers) if (now - sub.sentAt >= FEED_HEARTBEAT_MS) this.post(port, sub, true);
  }

  private drop(port: FeedPort): void {
    const sub = this.subscribers.get(port);
    if (sub?.timer != null) this.deps.clearTimeout(sub.timer);
    this.subscribers.delete(port);
  }

  private post(port: FeedPort, sub: Subscriber, force: boolean): void {
    const placement = this.deps.placement();
    const records = accountsForHost(this.deps.accounts(), sub.host);
    let elevated = false;
    const accounts = records.map((r) => {
      const s = this.deps.alertSettings(r.key);
      elevated ||= isElevated(r, s);
      return overlayAccountOf(r, s.levels, placement.collapsed);
    });
    let pageAccount = pageAccountOf(records, sub.tabId);
    const margin = this.deps.marginAccounts?.(sub.host, sub.tabId, placement.collapsed);
    if (margin) {
      accounts.push(...margin.accounts);
      elevated ||= margin.elevated;
      pageAccount = margin.pageAccount ?? pageAccount;
    }
    const msg: OverlayFeedMessage = { type: 'overlay-feed', accounts, placement, pageAccount };
    const urgent = JSON.stringify([msg.accounts.map((a) => [a.badge.key, a.badge.name, a.badge.band, a.badge.rows.map((r) => r.key), { ...a.status, at: null }]), placement, msg.pageAccount]);
    const shown = JSON.stringify(msg.accounts.map((a) => a.badge));
    if (!force && urgent === sub.urgent) {
      if (shown === sub.shown) return; // evaluation times alone are not sent
      const now = this.deps.now();
      const due = sub.sentAt + (elevated ? OVERLAY_FIGURES_ELEVATED_MS : OVERLAY_FIGURES_CALM_MS);
      if (due > now) {
        // A trailing post at `due` (sooner if the account became elevated meanwhile).
        if (sub.timer == null || sub.dueAt > due) {
          if (sub.timer != null) this.deps.clearTimeout(sub.timer);
          sub.dueAt = due;
          sub.timer = this.deps.setTimeout(() => {
            sub.timer = null;
            if (this.subscribers.get(port) === sub) this.post(port, sub, false);
          }, due - now);
        }
        return;
      }
    }
    try {
      port.postMessage(msg);
    } catch {
      this.drop(port); // disconnected under us
      return;
    }
    if (sub.timer != null) this.deps.clearTimeout(sub.timer);
    sub.timer = null;
    sub.urgent = urgent;
    sub.shown = shown;
    sub.sentAt = this.deps.now();
  }
}
