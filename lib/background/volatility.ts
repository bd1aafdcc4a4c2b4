/**
 * Realized volatility for the background: per exchange and symbol, the 1-day σ from the last 7
 * days of public 1-hour candles (lib/exchanges/<id>/candles.ts, sources in
 * lib/exchanges/candle-sources.ts; the estimate by lib/engine/volatility.ts), cached in
 * storage.local with its fetch time and refreshed **at most once an hour** per symbol (10 min
 * after a failure). A symbol with no source, no answer or too few candles has no estimate:
 * its σ is unknown with the reason, never a default.
 */
import * as v from 'valibot';
import type { ExchangeId } from '../engine/exchanges';
import { realizedVolatility, windowLabel, DEFAULT_WINDOW, type VolatilityEstimate } from '../engine/volatility';
import { MAX_SYMBOLS_PER_EXCHANGE } from '../exchanges/common/stream';
import { CANDLE_SOURCES } from '../exchanges/candle-sources';
import { candleUrl, type EndpointOverride } from '../exchanges/endpoints';
import type { VolatilityCache, VolatilityEntry } from '../storage/records';

/** Refresh an estimate after this long (ms): at most hourly. */
export const VOLATILITY_MAX_AGE_MS = 3_600_000;
/** After a failed fetch, wait this long before trying that symbol again (ms). */
export const VOLATILITY_RETRY_MS = 10 * 60_000;
/** Requests in flight at once per exchange. */
const BATCH = 5;

export type { VolatilityCache, VolatilityEntry } from '../storage/records';

const Window = v.object({ intervalMs: v.number(), horizonMs: v.number(), lookbackMs: v.number(), minReturns: v.number() });
const Estimate = v.union([
  v.object({ sigma: v.string(), sigmaPerInterval: v.string(), returns: v.number(), from: v.number(), to: v.number(), window: Window, label: v.string() }),
  v.object({ sigma: v.null(), reason: v.string(), window: Window }),
]);
const Entry = v.object({
  fetchedAt: v.nullable(v.number()),
  lastAttemptAt: v.number(),
  estimate: v.nullable(Estimate),
  price: v.nullable(v.picklist(['mark', 'index', 'trade'])),
  error: v.nullable(v.string()),
});

/** A stored cache, checked entry by entry: a bad entry is dropped (it is refetched), never trusted. */
export function checkVolatilityCache(raw: unknown): VolatilityCache {
  const out: VolatilityCache = {};
  if (typeof raw !== 'object' || raw === null) return out;
  for (const [ex, bySymbol] of Object.entries(raw)) {
    if (!(ex in CANDLE_SOURCES) || typeof bySymbol !== 'object' || bySymbol === null) continue;
    const kept: Record<string, VolatilityEntry> = {};
    for (const [sym, e] of Object.entries(bySymbol)) {
      const r = v.safeParse(Entry, e);
      if (r.success) kept[sym] = r.output as VolatilityEntry;
    }
    out[ex as ExchangeId] = kept;
  }
  return out;
}

export interface VolatilityServiceDeps {
  fetch?: typeof fetch;
  now: () => number;
  override: () => EndpointOverride | null;
  save: (cache: VolatilityCache) => Promise<void>;
}

export class VolatilityService {
  private inflight = new Map<ExchangeId, Promise<void>>();
  constructor(
    private cache: VolatilityCache,
    private readonly deps: VolatilityServiceDeps,
  ) {}

  /**
   * Symbol → estimate for an exchange (symbols never fetched are absent: "no candles").
   * An estimate older than 3 × the refresh age is dropped: σ then says unknown rather than stale.
   */
  estimates(exchange: ExchangeId): Record<string, VolatilityEstimate> {
    const out: Record<string, VolatilityEstimate> = {};
    const now = this.deps.now();
    for (const [sym, e] of Object.entries(this.cache[exchange] ?? {})) {
      if (e.estimate && e.fetchedAt !== null && now - e.fetchedAt < 3 * VOLATILITY_MAX_AGE_MS) out[sym] = e.estimate;
    }
    return out;
  }

  /** The symbols of `symbols` due a fetch: never fetched or older than an hour, and no failure in the last 10 min. */
  dueSymbols(exchange: ExchangeId, symbols: readonly string[]): string[] {
    if (!CANDLE_SOURCES[exchange]) return [];
    const now = this.deps.now();
    const mine = this.cache[exchange] ?? {};
    return [...new Set(symbols)].sort().filter((s) => {
      const e = mine[s];
      if (!e) return true;
      if (e.error && now - e.lastAttemptAt < VOLATILITY_RETRY_MS) return false;
      return e.fetchedAt === null || now - e.fetchedAt >= VOLATILITY_MAX_AGE_MS;
    }).slice(0, MAX_SYMBOLS_PER_EXCHANGE);
  }

  /**
   * Fetch the due symbols' candles and store their estimates; a failure is recorded on that symbol
   * (its previous estimate is kept until it ages out). Never throws. Returns how many were fetched.
   */
  async refresh(exchange: ExchangeId, symbols: readonly string[]): Promise<number> {
    const src = CANDLE_SOURCES[exchange];
    if (!src) return 0;
    const running = this.inflight.get(exchange);
    if (running) {
      await running;
      return 0;
    }
    const due = this.dueSymbols(exchange, symbols);
    if (due.length === 0) return 0;
    const job = (async () => {
      const override = this.deps.override();
      const fetchFn = this.deps.fetch ?? globalThis.fetch.bind(globalThis);
      for (let i = 0; i < due.length; i += BATCH) {
        await Promise.all(
          due.slice(i, i + BATCH).map(async (symbol) => {
            const now = this.deps.now();
            const prev = this.cache[exchange]?.[symbol];
            let entry: VolatilityEntry;
            try {
              const candles = await src.fetchCandles(symbol, { fetch: fetchFn, url: (path, query) => candleUrl(exchange, path, query, override), now });
              entry = { fetchedAt: now, lastAttemptAt: now, estimate: realizedVolatility(candles, DEFAULT_WINDOW), price: src.price, error: null };
            } catch (e) {
              entry = { fetchedAt: prev?.fetchedAt ?? null, lastAttemptAt: now, estimate: prev?.estimate ?? null, price: prev?.price ?? null, error: (e instanceof Error ? e.message : String(e)).slice(0, 300) };
            }
            this.cache = { ...this.cache, [exchange]: { ...(this.cache[exchange] ?? {}), [symbol]: entry } };
          }),
        );
      }
      await this.deps.save(this.cache);
    })();
    this.inflight.set(exchange, job);
    try {
      await job;
    } finally {
      this.inflight.delete(exchange);
    }
    return due.length;
  }

  /** The whole cache (storage, diagnostics). */
  snapshot(): VolatilityCache {
    return this.cache;
  }
}

/** The window every estimate uses, in words (the UI tooltip). */
export const VOLATILITY_WINDOW_LABEL = windowLabel(DEFAULT_WINDOW);
