/**
 * Tier tables for the background: live tables from the exchanges' public endpoints (via
 * lib/exchanges/<id>/tier-source.ts), cached with their fetch time in storage.local, on top of
 * the bundled fallback tables (lib/exchanges/tiers.ts). Records, per symbol, which one was used.
 * A live table that fails {@link tierTableProblem} (lib/exchanges/common/tier-source.ts) is refused:
 * the cached or bundled table stays in use and the problem is reported in the entry's `error`.
 */
import type { ExchangeId } from '../engine/exchanges';
import type { TierTable, TierTables } from '../engine/tiers';
import { MAX_SYMBOLS_PER_EXCHANGE } from '../exchanges/common/stream';
import { tierTableProblem, type TierFetchContext } from '../exchanges/common/tier-source';
import { restUrl, type EndpointOverride } from '../exchanges/endpoints';
import { TIER_SOURCES } from '../exchanges/tier-sources';
import { defaultTierTables } from '../exchanges/tiers';
import type { TierCacheEntry, TierSourceUsed } from '../storage';

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
   *
   * At most {@link MAX_SYMBOLS_PER_EXCHANGE} symbols are fetched (the first in sorted order); the
   * rest are named in `error`. Every fetched table is checked with {@link tierTableProblem}
   * against the bundled table of its symbol: an implausible one is refused (the cached or bundled
   * table stays in use) and named in `error` with its problem.
   */
  async refresh(exchange: ExchangeId, symbols: readonly string[]): Promise<TierCacheEntry | undefined> {
    const src = TIER_SOURCES[exchange];
    if (!src) return this.cache[exchange];
    const running = this.inflight.get(exchange);
    if (running) {
      await running;
      return this.cache[exchange];
    }
    const wanted = [...new Set(symbols)].sort();
    const asked = wanted.slice(0, MAX_SYMBOLS_PER_EXCHANGE);
    const overCap = wanted.slice(MAX_SYMBOLS_PER_EXCHANGE);
    const job = (async () => {
      const now = this.deps.now();
      const prev = this.cache[exchange] ?? { fetchedAt: null, tables: {}, error: null, lastAttemptAt: null };
      const override = this.deps.override();
      const ctx: TierFetchContext = {
        fetch: this.deps.fetch ?? globalThis.fetch.bind(globalThis),
        url: (path, query) => restUrl(exchange, path, query, override),
      };
      try {
        const tables = await src.fetchTables(asked, ctx);
        const byS: Record<string, TierTable> = { ...prev.tables };
        const refused: string[] = [];
        const bundled = defaultTierTables(exchange);
        for (const t of tables) {
          const problem = tierTableProblem(t, bundled[t.symbol]);
          if (problem === null) byS[t.symbol] = t;
          else refused.push(`live table for ${t.symbol} refused: ${problem}`);
        }
        const missing = asked.filter((s) => !tables.some((t) => t.symbol === s) && !byS[s]);
        const problems = [
          ...(overCap.length ? [`${overCap.length} symbols over the cap of ${MAX_SYMBOLS_PER_EXCHANGE} not fetched: ${listed(overCap)}`] : []),
          ...refused.slice(0, 3),
          ...(refused.length > 3 ? [`${refused.length - 3} more live tables refused`] : []),
          ...(missing.length ? [`no live table for ${listed(missing)}`] : []),
        ];
        this.cache = {
          ...this.cache,
          // A refused table leaves older ones in use: keep the old fetch time so they are not shown as live.
          [exchange]: { fetchedAt: refused.length ? prev.fetchedAt : now, tables: byS, error: problems.length ? problems.join('; ').slice(0, 600) : null, lastAttemptAt: now },
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

/** Up to five symbols, then an ellipsis. */
function listed(symbols: readonly string[]): string {
  return `${symbols.slice(0, 5).join(', ')}${symbols.length > 5 ? ', …' : ''}`;
}
