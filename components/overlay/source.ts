/**
 * The overlay's data: a runtime port to the background ({@link OVERLAY_PORT}), which posts the
 * badge texts of this page host's accounts when a shown text changes (lib/background/overlay-feed.ts).
 * The badge placement is saved through lib/storage/overlay.ts `overlayPlacementItem`.
 */
import { isOverlayFeedMessage, OVERLAY_PORT, type OverlayFeedMessage } from '../../lib/protocol/overlay-feed';

/** The parts of `runtime.Port` the overlay uses. */
export interface OverlayPortLike {
  onMessage: { addListener(cb: (m: unknown) => void): void };
  onDisconnect: { addListener(cb: () => void): void };
  disconnect(): void;
}

export interface FeedClientDeps {
  /** `runtime.connect({ name })`; throws when the extension context is invalidated. */
  connect(name: string): OverlayPortLike;
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(id: unknown): void;
  /** First reconnect delay after the port closes (ms, default 1 000; doubles up to 30 000, reset by a message). */
  reconnectMs?: number;
}

/** Longest wait between two reconnect attempts (ms). */
export const FEED_RECONNECT_MAX_MS = 30_000;

/** What the feed reports: each message, and when it closed (ms epoch; a later message means it is open again). */
export interface FeedHandlers {
  message(m: OverlayFeedMessage): void;
  lost(at: number): void;
}

/**
 * Subscribe to the background's overlay feed. The port closes when the service worker stops or
 * restarts; the client reports it ({@link FeedHandlers.lost}, once per outage) and reconnects
 * (1 s, doubling up to 30 s), which wakes the worker and gets the current view at once. Stops
 * reconnecting for good when the extension context is invalidated (extension reloaded or
 * updated: `connect` throws), so the overlay stays marked as not watched. Messages that fail
 * {@link isOverlayFeedMessage} are ignored. Returns an unsubscribe function.
 */
export function watchOverlayFeed(deps: FeedClientDeps, on: FeedHandlers): () => void {
  const first = deps.reconnectMs ?? 1_000;
  let delay = first;
  let port: OverlayPortLike | null = null;
  let timer: unknown = null;
  let stopped = false;
  let lost = false;
  const loseOnce = () => {
    if (lost) return;
    lost = true;
    on.lost(deps.now());
  };
  const open = () => {
    timer = null;
    if (stopped) return;
    let p: OverlayPortLike;
    try {
      p = deps.connect(OVERLAY_PORT);
    } catch {
      stopped = true; // extension context invalidated: nothing will ever answer
      loseOnce();
      return;
    }
    port = p;
    p.onMessage.addListener((m) => {
      if (port !== p || !isOverlayFeedMessage(m)) return;
      delay = first;
      lost = false;
      on.message(m);
    });
    p.onDisconnect.addListener(() => {
      if (port !== p) return;
      port = null;
      if (stopped) return;
      loseOnce();
      timer = deps.setTimeout(open, delay);
      delay = Math.min(delay * 2, FEED_RECONNECT_MAX_MS);
    });
  };
  open();
  return () => {
    stopped = true;
    if (timer !== null) deps.clearTimeout(timer);
    const p = port;
    port = null;
    p?.disconnect();
  };
}
