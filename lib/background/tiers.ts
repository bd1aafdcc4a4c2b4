/**
 * Tier tables for the background: live tables from the exchanges' public endpoints (via
 * lib/exchanges/<id>/tier-source.ts), cached with their fetch time in storage.local, on top of
 * the bundled fallback tables (lib/exchanges/tiers.ts). Records, per symbol, which one was used.
 */
import type { ExchangeId } from '../engine/snapshot';
import type { TierTable, TierTables } from '../engine/tiers';
import { restUrl, type EndpointOverride } from '../exchanges/endpoints';
import { defaultTierTables } from '../exchanges/tiers';
import type { TierCacheEntry, TierSourceUsed } from '../storage';
import { bybitTierSource } from '../exchanges/bybit/tier-source';
import { okxTierSource } from '../exchanges/okx/tier-source';
import { hyperliquidTierSource } from '../exchanges/hyperliquid/tier-source';
import { binanceUsdmTierSource } from '../exchanges/binance-usdm/tier-source';

/** What a tier-source module gets to do its work: a fetch, and URLs from the endpoints module. */
export interface TierFetchContext {
  fetch: typeof fetch;
  url: (path: string, query?: string) => string;
}

/** One exchange's live tier endpoint. */
export interface TierSource {
  exchange: ExchangeId;
  /**
   * Fetch, validate (valibot) and convert tier tables for these snapshot symbols.
   * @throws Error naming the endpoint and the field when the response does not validate.
   */
  fetchTables(symbols: readonly string[], ctx: TierFetchContext): Promise<TierTable[]>;
}

/** Exchanges with a public, keyless tier endpoint. */
export const TIER_SOURCES: Partial<Record<ExchangeId, TierSource>> = {
  'binance-usdm': binanceUsdmTierSource,
  bybit: bybitTierSource,
  okx: okxTierSource,
  hyperliquid: hyperliquidTierSource,
};

/** Refresh live tables after this long (ms). */
export const TIER_MAX_AGE_MS = 12 * 3_600_000;
/** After a failed refresh, wait this long before trying again (ms). */
export const TIER_RETRY_MS = 10 * 60_000;

export interface TierServiceDeps {
  fetch?: typeof fetch;
  now: () => number;
  override: () => EndpointOverride | null;
  save: (cache: Partial<Record<ExchangeId, TierCacheEntry>>) => Promise<void>;
}

/** Live-over-bundled tier tables with a storage-backed cache. */
export class TierService {
  private inflight = new Map<ExchangeId, Promise<void>>();
  constructor(
    private cache: Partial<Record<ExchangeId, TierCacheEntry>>,
    private readonly deps: TierServiceDeps,
  ) {}

  /** Tables for an exchange: cached live tables override bundled ones symbol by symbol. */
  tablesFor(exchange: ExchangeId): TierTables {
    return { ...defaultTierTables(exchange), ...(this.cache[exchange]?.tables ?? {}) };
  }

  /** Which table a symbol uses, and whether it is live (fetched within the max age), cached (older), bundled or none. */
  used(exchange: ExchangeId, symbol: string): TierSourceUsed {
    const entry = this.cache[exchange];
    const live = entry?.tables[symbol];
    if (live) {
      const fresh = entry.fetchedAt !== null && this.deps.now() - entry.fetchedAt < TIER_MAX_AGE_MS;
      return { source: live.source, asOf: live.asOf, kind: fresh ? 'live' : 'cached' };
    }
    const b = defaultTierTables(exchange)[symbol];
    return b ? { source: b.source, asOf: b.asOf, kind: 'bundled' } : { source: null, asOf: null, kind: 'none' };
  }

  /** True when a refresh should run: a source exists and the cache is old, or misses a symbol, and no recent failure. */
  due(exchange: ExchangeId, symbols: readonly string[]): boolean {
    if (!TIER_SOURCES[exchange] || symbols.length === 0) return false;
    const e = this.cache[exchange];
    const now = this.deps.now();
    if (e?.lastAttemptAt != null && e.error && now - e.lastAttemptAt < TIER_RETRY_MS) return false;
    if (!e || e.fetchedAt === null || now - e.fetchedAt >= TIER_MAX_AGE_MS) return true;
    return symbols.some((s) => !e.tables[s]) && (e.lastAttemptAt === null || now - e.lastAttemptAt >= TIER_RETRY_MS);
  }

  /**
   * Fetch tables for the symbols held and store them; on failure keep what is cached, record the
   * error and the attempt time. Never throws. Returns the entry afterwards.
   */
  async refresh(exchange: ExchangeId, symbols: readonly string[]): Promise<TierCacheEntry | undefined> {
    const src = TIER_SOURCES[exchange];
    if (!src) return this.cache[exchange];
    const running = this.inflight.get(exchange);
    if (running) {
      await running;
      return this.cache[exchange];
    }
    const job = (async () => {
      const now = this.deps.now();
      const prev = this.cache[exchange] ?? { fetchedAt: null, tables: {}, error: null, lastAttemptAt: null };
      const override = this.deps.override();
      const ctx: TierFetchContext = {
        fetch: this.deps.fetch ?? globalThis.fetch.bind(globalThis),
        url: (path, query) => restUrl(exchange, path, query, override),
      };
      try {
        const tables = await src.fetchTables(symbols, ctx);
        const byS: Record<string, TierTable> = { ...prev.tables };
        for (const t of tables) byS[t.symbol] = t;
        const missing = symbols.filter((s) => !byS[s]);
        this.cache = {
          ...this.cache,
          [exchange]: { fetchedAt: now, tables: byS, error: missing.length ? `no live table for ${missing.join(', ')}` : null, lastAttemptAt: now },
        };
      } catch (e) {
        this.cache = { ...this.cache, [exchange]: { ...prev, error: e instanceof Error ? e.message : String(e), lastAttemptAt: now } };
      }
      await this.deps.save(this.cache);
    })();
    this.inflight.set(exchange, job);
    try {
      await job;
    } finally {
      this.inflight.delete(exchange);
    }
    return this.cache[exchange];
  }

  /** The whole cache (for storage and the popup). */
  snapshot(): Partial<Record<ExchangeId, TierCacheEntry>> {
    return this.cache;
  }
}
