/**
 * Live prices for spot margin accounts: one Binance public spot stream connection
 * (lib/exchanges/binance-margin/stream.ts, `<symbol>@miniTicker`) through the same stream client
 * as the futures marks (./stream-client.ts: reconnects, symbol gate, order and clock checks), and
 * the step that prices a page snapshot with it.
 *
 * Freshness is measured on the local receive time (`receivedAt`), as for futures marks; the
 * oldest price an account uses goes to the alert machine, which turns the account stale past
 * `priceMaxAgeMs`.
 */
import type { SpotMarginSnapshot } from '../engine/snapshot';
import { makeBinanceSpotAdapter, spotSymbolFor } from '../exchanges/binance-margin/stream';
import type { MarkTick, StreamStatus } from '../exchanges/common/stream';
import { spotStreamUrl, type EndpointOverride } from '../exchanges/endpoints';
import { MarkStreamClient, type StreamClientOptions } from './stream-client';

/** A price as received: decimal string, local receive time (ms epoch). */
export interface SpotPrice {
  price: string;
  receivedAt: number;
}

/** The spot symbols a snapshot needs: each exposed cross asset in the quote, each isolated pair. */
export function spotSymbolsOf(snap: SpotMarginSnapshot): string[] {
  const out = new Set<string>();
  if (snap.mode === 'cross') {
    for (const a of snap.assets) {
      const exposed = [a.free, a.locked, a.borrowed, a.interest].some((x) => /[1-9]/.test(x));
      const sym = spotSymbolFor(a.asset, snap.quoteAsset);
      if (exposed && sym) out.add(sym);
    }
  } else for (const p of snap.pairs) out.add(p.symbol);
  return [...out].sort();
}

/**
 * The snapshot priced at the stream's prices (a stream price replaces the page's; an asset the
 * stream has not priced keeps the page's price, or none), with the oldest stream price used and
 * the symbols still without any price.
 */
export function pricedSnapshot(
  snap: SpotMarginSnapshot,
  lookup: (symbol: string) => SpotPrice | null,
): { snapshot: SpotMarginSnapshot; oldestPriceAt: number | null; missing: string[] } {
  let oldest: number | null = null;
  const missing: string[] = [];
  const use = (sym: string, fallback: string | null): string | null => {
    const p = lookup(sym);
    if (p) {
      oldest = oldest === null ? p.receivedAt : Math.min(oldest, p.receivedAt);
      return p.price;
    }
    if (fallback === null) missing.push(sym);
    return fallback;
  };
  if (snap.mode === 'cross') {
    const assets = snap.assets.map((a) => {
      const sym = spotSymbolFor(a.asset, snap.quoteAsset);
      if (!sym || !spotSymbolsOf({ ...snap, assets: [a] }).length) return a;
      return { ...a, price: use(sym, a.price) };
    });
    return { snapshot: { ...snap, assets }, oldestPriceAt: missing.length ? null : oldest, missing };
  }
  const pairs = snap.pairs.map((p) => ({ ...p, price: use(p.symbol, p.price) }));
  return { snapshot: { ...snap, pairs }, oldestPriceAt: missing.length ? null : oldest, missing };
}

export interface SpotPriceFeedDeps {
  now: () => number;
  /** New prices arrived. */
  onPrices: (ticks: MarkTick[]) => void;
  onStatus?: (s: StreamStatus) => void;
  WebSocket?: unknown;
  backoff?: StreamClientOptions['backoff'];
}

/** The spot price stream: subscribe exactly the symbols the margin accounts need. */
export class SpotPriceFeed {
  private client: MarkStreamClient | null = null;
  private readonly prices = new Map<string, SpotPrice>();
  private override: EndpointOverride | null = null;
  private wanted: string[] = [];
  private since: number | null = null;

  constructor(private readonly deps: SpotPriceFeedDeps) {}

  /** Subscribe exactly these spot symbols (opens, updates or closes the connection). */
  sync(symbols: readonly string[]): void {
    const next = [...new Set(symbols)].sort();
    if (next.join() === this.wanted.join() && this.client) return;
    this.wanted = next;
    if (!this.client && next.length === 0) return;
    if (!this.client) {
      this.client = new MarkStreamClient(makeBinanceSpotAdapter(), {
        url: (q) => spotStreamUrl(q, this.override),
        onMarks: (ticks) => {
          for (const t of ticks) this.prices.set(t.symbol, { price: t.price, receivedAt: t.receivedAt });
          this.deps.onPrices(ticks);
        },
        onStatus: this.deps.onStatus,
        WebSocket: this.deps.WebSocket,
        backoff: this.deps.backoff,
        now: this.deps.now,
      });
    }
    this.since = this.deps.now();
    this.client.setSymbols(next);
    for (const k of [...this.prices.keys()]) if (!next.includes(k)) this.prices.delete(k);
  }

  /** The last price of a symbol, or null. */
  price(symbol: string): SpotPrice | null {
    return this.prices.get(symbol) ?? null;
  }

  /** When the current subscription was set (ms epoch), for "no price since". */
  subscribedSince(): number | null {
    return this.since;
  }

  status(): StreamStatus | null {
    return this.client?.status() ?? null;
  }

  /** Reconnect when closed (the worker's watchdog). */
  ensureConnected(): void {
    this.client?.ensureConnected();
  }

  /** Point at a loopback endpoint (tests, demo): the connection reopens at the next {@link sync}. */
  setOverride(o: EndpointOverride | null): void {
    this.override = o;
    this.client?.stop();
    this.client = null;
    const w = this.wanted;
    this.wanted = [];
    if (w.length) this.sync(w);
  }

  stop(): void {
    this.client?.stop();
    this.client = null;
  }
}
