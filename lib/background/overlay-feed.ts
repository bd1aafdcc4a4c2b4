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
 * - when only figures change (ratio, distance to liquidation, liquidation prices), at most every
 *   {@link OVERLAY_FIGURES_INTERVAL_MS}, the latest figures (a trailing post keeps the last
 *   change from being lost). Alerts do not wait for this: notifications and the toolbar badge
 *   come from the monitor directly.
 * Position rows are sent only while the badge is expanded.
 */
import { accountsForHost, OVERLAY_PORT, overlayAccountOf, type OverlayFeedMessage, type OverlayPlacement } from '../../components/overlay/view';
import type { AccountRecord } from '../storage';
import { overlaySenderProblem, type SenderLike } from './senders';

/** Least time between two posts to an overlay whose only change is in its figures (ms). */
export const OVERLAY_FIGURES_INTERVAL_MS = 5_000;

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
  /** Alert levels (fractions), for the band colour. */
  levels(): readonly number[];
  /** Where the user put the badge, and whether it is collapsed. */
  placement(): OverlayPlacement;
  /** A refused port: count it (the monitor's rejected-sender counter). */
  rejected(why: string): void;
}

interface Subscriber {
  host: string;
  /** Last posted: what is posted at once when it changes, as JSON. */
  urgent: string;
  /** Last posted: the badges, as JSON. */
  shown: string;
  sentAt: number;
  /** Pending trailing post of changed figures. */
  timer: unknown;
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
    const sub: Subscriber = { host: new URL(port.sender!.url!).hostname, urgent: '', shown: '', sentAt: -Infinity, timer: null };
    this.subscribers.set(port, sub);
    port.onDisconnect.addListener(() => this.drop(port));
    this.post(port, sub, true);
    return true;
  }

  /** The records, settings or placement changed: post each overlay what changed in its view (see the module comment for when). */
  publish(): void {
    for (const [port, sub] of this.subscribers) this.post(port, sub, false);
  }

  private drop(port: FeedPort): void {
    const sub = this.subscribers.get(port);
    if (sub?.timer != null) this.deps.clearTimeout(sub.timer);
    this.subscribers.delete(port);
  }

  private post(port: FeedPort, sub: Subscriber, force: boolean): void {
    const placement = this.deps.placement();
    const levels = this.deps.levels();
    const msg: OverlayFeedMessage = {
      type: 'overlay-feed',
      accounts: accountsForHost(this.deps.accounts(), sub.host).map((r) => overlayAccountOf(r, levels, placement.collapsed)),
      placement,
    };
    const urgent = JSON.stringify([msg.accounts.map((a) => [a.badge.key, a.badge.name, a.badge.band, a.badge.rows.map((r) => r.key), { ...a.status, at: null }]), placement]);
    const shown = JSON.stringify(msg.accounts.map((a) => a.badge));
    if (!force && urgent === sub.urgent) {
      if (shown === sub.shown) return; // evaluation times alone are not sent
      const wait = sub.sentAt + OVERLAY_FIGURES_INTERVAL_MS - this.deps.now();
      if (wait > 0) {
        sub.timer ??= this.deps.setTimeout(() => {
          sub.timer = null;
          if (this.subscribers.get(port) === sub) this.post(port, sub, false);
        }, wait);
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
