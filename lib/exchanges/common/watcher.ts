/**
 * The content script's read loop, kept free of WXT and browser APIs so it can be tested in
 * happy-dom: observe only the panels the reader used (positions table, account values,
 * positions tab), throttle reads to at most one per `minIntervalMs` (default 500 ms:
 * 2 reads/s), and read changes that only move prices (mark, PnL, liquidation price…: the
 * reader's `marketDriven` elements) at most once per `marketIntervalMs`, which the background
 * sets in its reply to each read (0.5 s while the page is some position's live price source,
 * 60 s while streams price every position; 5 s until it answers), so a ticking page with live
 * streams costs a read a minute while an opened, closed or resized position is read within
 * 0.5 s (and so is a price the page stops showing, `******` or `--`, when it is the first change
 * after a read; otherwise at the next price read); send a {@link PageReadMessage} only when the snapshot or health changed
 * (plus a keep-alive every `keepAliveMs` so the background can tell "unchanged" from
 * "stale"), re-read on visibility → visible and on SPA navigation, and stop for good when
 * the extension context is invalidated (the extension reloaded or removed: `browser.runtime.id`
 * gone, or a send failing with "Extension context invalidated"), never because the page says so
 * (see {@link guardLifetime}).
 *
 * Open orders (issue 17): the last read of the open-orders table (a reader's `openOrders`) is
 * kept and attached to the position reads that follow while it is fresh (≤ 60 s, the open-orders
 * tab count unchanged, the same account shown; see reader/orders.ts `attachOpenOrders`), and the
 * page is read again when it expires so stale orders are never sent.
 */
import { priceRefreshOf, type PageReadMessage } from '../../protocol/page-read';
import { attachOpenOrders, OPEN_ORDERS_FRESH_MS, type OpenOrdersRead } from './reader/orders';
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
   * 0.5 s while the page is some position's live price source, 60 s while streams price every
   * position). Default 5 000.
   */
  marketIntervalMs?: number;
  /** Re-send an unchanged read after this long (ms). Default 30 000. */
  keepAliveMs?: number;
  /** How often to check that the observed panels are still attached (ms, default 5000). */
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

const ATTRIBUTES = ['class', 'style', 'aria-selected', 'aria-hidden'];
/** Observe a node and everything under it. */
const WHOLE: MutationObserverInit = { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ATTRIBUTES };
/** Observe a node's own child list and attributes only. */
const OWN: MutationObserverInit = { childList: true, attributes: true, attributeFilter: ATTRIBUTES };

function sameNodes(a: readonly Node[], b: readonly Node[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

const DIGIT = /\d/;

/**
 * Whether a mutation of a market-driven element left it showing no figure: a text changed to one
 * without a digit (`******`, `--`, empty) or a node with such text added. Price ticks keep digits.
 */
function lostFigure(r: MutationRecord): boolean {
  if (r.type === 'characterData') return !DIGIT.test(r.target.nodeValue ?? '');
  if (r.type !== 'childList') return false;
  for (const n of r.addedNodes) if (!DIGIT.test(n.textContent ?? '')) return true;
  return false;
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
  // The last read of the open-orders table in this document (the positions table and it are
  // rarely shown at once): attached to position reads while fresh, see attachOpenOrders.
  let carried: OpenOrdersRead | null = null;
  /** The account the page showed when `carried` was read: another account's orders are never attached. */
  let carriedIdentity: string | null = null;
  let observed: Element[] = [];
  let observedMarket: Element[] = [];
  // Two observers, so that a ticking price costs no callback. The trader observer watches every
  // node of the panels except the market-driven elements (rows, symbols, sizes, entries, an
  // isolated margin, the wallet balance…): its changes are read within `minInterval`. The market
  // observer watches the whole panels but disconnects at its first callback, so price ticks cost
  // one callback per read; it is re-armed after each read, and its read waits `marketInterval`.
  // Set by any trader-lane change: the next read observes the panels afresh (a node added under a
  // row is then observed too, even when the reader returns the same elements).
  let traderChanged = false;
  const observer = new deps.MutationObserver(() => {
    traderChanged = true;
    schedule();
  });
  const marketObserver = new deps.MutationObserver((records) => {
    marketObserver.disconnect();
    // A figure turning into `******` or `--` is not a tick: the page stopped showing it (the
    // "hide balances" eye, a feed outage). Read at once, so an unreadable list is said promptly.
    if (records.some(lostFigure)) schedule();
    else schedule(0, marketInterval);
  });
  // A re-render above the panels' parents detaches them without a mutation we observe:
  // check every few seconds that the observed panels are still in the document.
  const guardMs = deps.detachCheckMs ?? 5_000;
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

  /**
   * Observe `panels` (and their parents' child lists: a re-render that replaces a panel happens
   * there) for the trader lane, leaving out the `market` elements and nothing else: an element
   * with no market element inside is observed whole; one with some is observed for its own child
   * list and attributes, and its children one by one (text nodes for their text). Then arm the
   * market observer on the whole panels. Unchanged panels and market elements keep the trader
   * observations (the reader returns the same elements while the page updates them in place).
   */
  function observe(panels: Element[], market: Element[] = []): void {
    if (traderChanged || !sameNodes(panels, observed) || !sameNodes(market, observedMarket)) {
      traderChanged = false;
      observer.disconnect();
      observed = panels;
      observedMarket = market;
      const marketSet = new Set<Node>(market);
      const panelSet = new Set<Node>(panels);
      // Panels and their ancestors down from a panel that hold a market element.
      const mixed = new Set<Node>();
      for (const m of market) {
        for (let n = m.parentNode; n && !mixed.has(n); n = n.parentNode) {
          mixed.add(n);
          if (panelSet.has(n)) break;
        }
      }
      // Observing a node again replaces its options: each node is observed once.
      const covered = new Set<Node>();
      const cover = (node: Node): void => {
        if (marketSet.has(node) || covered.has(node)) return;
        covered.add(node);
        if (node.nodeType === 3) observer.observe(node, { characterData: true });
        else if (node.nodeType !== 1) return;
        else if (!mixed.has(node)) observer.observe(node, WHOLE);
        else {
          observer.observe(node, OWN);
          for (let c = node.firstChild; c; c = c.nextSibling) cover(c);
        }
      };
      for (const p of panels) cover(p);
      for (const p of panels) {
        const parent = p.parentElement;
        if (parent && !covered.has(parent)) {
          covered.add(parent);
          observer.observe(parent, { childList: true });
        }
      }
    }
    marketObserver.disconnect();
    if (market.length) for (const p of panels) marketObserver.observe(p, WHOLE);
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
    marketObserver.disconnect();
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
        identity: null,
        health: {
          exchange: page.id,
          status: 'unrecognized' as const,
          url,
          readAt: lastReadAt,
          found: [],
          missing: [],
          problems: [`reader error: ${String((e as Error)?.message ?? e)}`],
          lastGoodReadAt,
          positionsComplete: false,
          positionsExpected: null,
        },
      };
    }
    if (result.health.status === 'ok') lastGoodReadAt = result.health.readAt;
    if (result.openOrders) {
      carried = result.openOrders;
      carriedIdentity = result.identity;
    } else if (carried && result.identity !== carriedIdentity) carried = null;
    else if (carried && result.snapshot?.orders !== undefined && result.rowOrdersReadable !== undefined && result.openOrders === null) {
      const a = attachOpenOrders(result.snapshot.orders, result.rowOrdersReadable, carried, result.ordersTabCount ?? null, lastReadAt);
      if (a.fresh) {
        result.snapshot.orders = a.orders;
        result.snapshot.ordersComplete = a.complete;
        // Read again when it expires, so the carried orders are never sent stale.
        schedule(carried.readAt + OPEN_ORDERS_FRESH_MS + 1 - lastReadAt);
      } else carried = null;
    }
    observe(result.panels, result.marketDriven);
    if (!result.panels.length || result.health.status === 'unrecognized') schedule(retry);
    const key = JSON.stringify([
      result.snapshot && { ...result.snapshot, source: { ...result.snapshot.source, readAt: 0 } },
      result.health.status,
      result.health.found,
      result.health.missing,
      result.health.problems,
      result.health.positionsComplete,
      result.health.positionsExpected,
      result.identity,
    ]);
    if (key === lastKey && lastReadAt - lastSentAt < keepAlive) return;
    const msg: PageReadMessage = { type: 'page-read', exchange: page.id, snapshot: result.snapshot, health: result.health, identity: result.identity };
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
      carried = null;
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

export interface LifetimeDeps {
  watcher: PageWatcher;
  /** Whether the extension runtime is still there (`browser.runtime?.id != null`); false if asking throws. */
  runtimeAlive(): boolean;
  /** Current page URL. */
  url(): string;
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(id: unknown): void;
  /** How often to look at the URL and the runtime (ms). Default 1 000. */
  pollMs?: number;
}

export interface Lifetime {
  /**
   * For WXT's `ctx.onInvalidated`: stop only if the runtime is really gone. WXT also invalidates
   * a context when a "content script started" event arrives on the document, and the page can
   * send that event itself: with the runtime still there, it is ignored.
   * @returns whether the watcher was stopped.
   */
  invalidated(): boolean;
  /** Stop polling and the watcher. Idempotent. */
  stop(): void;
}

/**
 * Keep a content script's watcher alive for as long as the extension is, whatever the page does:
 * polls the URL (SPA navigation → `watcher.navigated`; WXT's `wxt:locationchange` stops with a
 * context the page can invalidate) and the runtime (gone → stop), and answers WXT context
 * invalidation only when the runtime is gone. Stops polling when the watcher stops.
 */
export function guardLifetime(d: LifetimeDeps): Lifetime {
  let lastUrl = d.url();
  let timer: unknown = null;
  const alive = (): boolean => {
    try {
      return d.runtimeAlive();
    } catch {
      return false;
    }
  };
  const stop = (): void => {
    if (timer !== null) d.clearInterval(timer);
    timer = null;
    d.watcher.stop();
  };
  timer = d.setInterval(() => {
    if (d.watcher.stopped || !alive()) return stop();
    const url = d.url();
    if (url !== lastUrl) {
      lastUrl = url;
      d.watcher.navigated(url);
    }
  }, d.pollMs ?? 1_000);
  return {
    invalidated: () => {
      if (alive()) return false;
      stop();
      return true;
    },
    stop,
  };
}
