/**
 * The content script's read loop, kept free of WXT and browser APIs so it can be tested in
 * happy-dom: observe only the panels the reader used (positions table, account values,
 * positions tab), throttle reads to at most one per `minIntervalMs` (default 500 ms:
 * 2 reads/s), and read changes that only move prices (mark, PnL, liquidation price…: the
 * reader's `marketDriven` elements) at most once per `marketIntervalMs`, which the background
 * sets in its reply to each read (0.5 s while the page is some position's live price source,
 * 10 s while streams price every position; 5 s until it answers), so a ticking page with live
 * streams costs a read every 10 s while an opened, closed or resized position is read within
 * 0.5 s; send a {@link PageReadMessage} only when the snapshot or health changed
 * (plus a keep-alive every `keepAliveMs` so the background can tell "unchanged" from
 * "stale"), re-read on visibility → visible and on SPA navigation, and stop for good when
 * the extension context is invalidated.
 */
import { priceRefreshOf, type PageReadMessage } from '../health';
import type { ExchangePage } from '../pages';

export interface WatcherDeps {
  doc: Document;
  /** Current page URL. */
  url(): string;
  /** Reader for a URL (the registry's `pageFor`). */
  pageFor(url: string): ExchangePage | null;
  /** Deliver a message to the background (`browser.runtime.sendMessage`). */
  send(msg: PageReadMessage): Promise<unknown>;
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(id: unknown): void;
  MutationObserver: typeof MutationObserver;
  /** Minimum time between two reads (ms). Default 500 (2 reads per second). */
  minIntervalMs?: number;
  /**
   * Minimum time between two reads caused only by market-driven changes (ms), until the
   * background's reply to a read says how often it needs the page's prices (`priceRefreshMs`:
   * 0.5 s while the page is some position's live price source, 10 s while streams price every
   * position). Default 5 000.
   */
  marketIntervalMs?: number;
  /** Re-send an unchanged read after this long (ms). Default 30 000. */
  keepAliveMs?: number;
  /** How often to check that the observed panels are still attached (ms, default 2000). */
  detachCheckMs?: number;
  /** While the page is not recognised, retry this often (ms). Default 3 000. */
  retryMs?: number;
  /** Called once when the watcher stops itself (context invalidated). */
  onStop?(reason: string): void;
}

export interface PageWatcher {
  /** Schedule a read now (throttled): visibility → visible. */
  wake(): void;
  /** SPA navigation to `url`: forget the previous page's state and read again. */
  navigated(url: string): void;
  /** Stop observing and reading. Idempotent. */
  stop(): void;
  readonly stopped: boolean;
  /** Number of reads done (for tests and diagnostics). */
  readonly reads: number;
}

/** True for errors meaning the extension was reloaded/updated under this content script. */
export function isContextInvalidated(e: unknown): boolean {
  return /extension context invalidated/i.test(String((e as Error)?.message ?? e));
}

/** Start watching the page. Performs a first read at once (subject to the throttle). */
export function startPageWatcher(deps: WatcherDeps): PageWatcher {
  const minInterval = deps.minIntervalMs ?? 500;
  let marketInterval = Math.max(deps.marketIntervalMs ?? 5_000, minInterval);
  const keepAlive = deps.keepAliveMs ?? 30_000;
  const retry = deps.retryMs ?? 3_000;
  let stopped = false;
  let reads = 0;
  let timer: unknown = null;
  /** When the pending read (`timer`) is due (ms, `deps.now()` clock). */
  let dueAt = Infinity;
  let lastReadAt = -Infinity;
  let lastKey: string | null = null;
  let lastSentAt = -Infinity;
  let lastGoodReadAt: number | null = null;
  let observed: Element[] = [];
  let observedSet = new Set<Node>();
  let marketDriven = new Set<Node>();
  const observer = new deps.MutationObserver((records) => {
    if (records.every((r) => isMarketDriven(r.target))) schedule(0, marketInterval);
    else schedule();
  });
  /** Is `node` inside a market-driven element (before reaching an observed panel's root)? */
  function isMarketDriven(node: Node): boolean {
    for (let n: Node | null = node; n; n = n.parentNode) {
      if (marketDriven.has(n)) return true;
      if (observedSet.has(n)) return false;
    }
    return false;
  }
  // A re-render above the panels' parents detaches them without a mutation we observe:
  // check every few seconds that the observed panels are still in the document.
  const guardMs = deps.detachCheckMs ?? 2_000;
  let guard: unknown = null;
  function armGuard(): void {
    if (stopped || guard !== null) return;
    guard = deps.setTimeout(() => {
      guard = null;
      if (stopped) return;
      if (observed.some((p) => !p.isConnected)) {
        observe([]);
        schedule();
      }
      armGuard();
    }, guardMs);
  }

  function observe(panels: Element[]): void {
    const same = panels.length === observed.length && panels.every((p, i) => p === observed[i]);
    if (same) return;
    observer.disconnect();
    observed = panels;
    observedSet = new Set(panels);
    const parents = new Set<Element>();
    for (const p of panels) {
      observer.observe(p, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ['class', 'style', 'aria-selected', 'aria-hidden'] });
      if (p.parentElement) parents.add(p.parentElement);
    }
    // A re-render that replaces a panel happens in its parent: watch the parents' child lists only.
    for (const parent of parents) observer.observe(parent, { childList: true });
  }

  /**
   * Read `delay` ms from now, and no sooner than `sinceLastRead` (at least the throttle) after
   * the last read. A read already pending keeps its time unless this one is due sooner.
   */
  function schedule(delay = 0, sinceLastRead = minInterval): void {
    if (stopped) return;
    const now = deps.now();
    const at = Math.max(now + delay, lastReadAt + Math.max(sinceLastRead, minInterval));
    if (timer !== null) {
      if (at >= dueAt) return;
      deps.clearTimeout(timer);
    }
    dueAt = at;
    timer = deps.setTimeout(() => {
      timer = null;
      dueAt = Infinity;
      readNow();
    }, Math.max(at - now, 0));
  }

  function stop(reason = 'stopped'): void {
    if (stopped) return;
    stopped = true;
    observer.disconnect();
    if (timer !== null) deps.clearTimeout(timer);
    if (guard !== null) deps.clearTimeout(guard);
    timer = null;
    dueAt = Infinity;
    guard = null;
    deps.onStop?.(reason);
  }

  function readNow(): void {
    if (stopped) return;
    const url = deps.url();
    const page = deps.pageFor(url);
    if (!page) {
      observe([]);
      return;
    }
    lastReadAt = deps.now();
    reads++;
    let result;
    try {
      result = page.read(deps.doc, url, { now: lastReadAt, lastGoodReadAt });
    } catch (e) {
      // A reader bug must not take the page down; report it as unrecognised.
      result = {
        snapshot: null,
        panels: [],
        health: { exchange: page.id, status: 'unrecognized' as const, url, readAt: lastReadAt, found: [], missing: [], problems: [`reader error: ${String((e as Error)?.message ?? e)}`], lastGoodReadAt },
      };
    }
    if (result.health.status === 'ok') lastGoodReadAt = result.health.readAt;
    observe(result.panels);
    marketDriven = new Set(result.marketDriven ?? []);
    if (!result.panels.length || result.health.status === 'unrecognized') schedule(retry);
    const key = JSON.stringify([
      result.snapshot && { ...result.snapshot, source: { ...result.snapshot.source, readAt: 0 } },
      result.health.status,
      result.health.found,
      result.health.missing,
      result.health.problems,
    ]);
    if (key === lastKey && lastReadAt - lastSentAt < keepAlive) return;
    const msg: PageReadMessage = { type: 'page-read', exchange: page.id, snapshot: result.snapshot, health: result.health };
    lastKey = key;
    lastSentAt = lastReadAt;
    let sent: Promise<unknown>;
    try {
      sent = deps.send(msg);
    } catch (e) {
      sent = Promise.reject(e);
    }
    sent.then((reply) => {
      const ms = priceRefreshOf(reply);
      if (ms !== null) marketInterval = Math.max(ms, minInterval);
    }, (e: unknown) => {
      if (isContextInvalidated(e)) stop('extension context invalidated');
      else lastKey = null; // background not reachable right now: send again on the next read
    });
  }

  schedule();
  armGuard();
  return {
    wake: () => schedule(),
    navigated: () => {
      lastKey = null;
      lastGoodReadAt = null;
      observe([]);
      schedule();
    },
    stop: () => stop(),
    get stopped() {
      return stopped;
    },
    get reads() {
      return reads;
    },
  };
}
