/**
 * Instrument specs (tick size, lot size, contract value) for the background: live specs from each
 * exchange's public instruments endpoint (lib/exchanges/<id>/instrument-source.ts, through the
 * registry lib/exchanges/instrument-sources.ts and URLs from lib/exchanges/endpoints.ts), cached in
 * memory with their fetch time, on top of the bundled specs (lib/exchanges/instruments.ts).
 * A live spec that fails `instrumentProblem` is refused (the bundled or cached one stays in use).
 *
 * Memory only on purpose: tick sizes are small, rarely change, and a worker restart costs one request
 * per exchange held; until then the bundled specs (or none, printing at 8 dp) are used.
 */
import type { ExchangeId } from '../engine/exchanges';
import type { InstrumentSpec, InstrumentTable } from '../engine/instruments';
import { instrumentProblem } from '../exchanges/common/instrument-source';
import { MAX_SYMBOLS_PER_EXCHANGE } from '../exchanges/common/stream';
import { restUrl, type EndpointOverride } from '../exchanges/endpoints';
import { INSTRUMENT_SOURCES } from '../exchanges/instrument-sources';
import { bundledInstruments } from '../exchanges/instruments';

/** Refresh live specs after this long (ms). */
export const INSTRUMENT_MAX_AGE_MS = 24 * 3_600_000;
/** After a failed refresh, wait this long before trying again (ms). */
export const INSTRUMENT_RETRY_MS = 10 * 60_000;

export interface InstrumentServiceDeps {
  fetch?: typeof fetch;
  now: () => number;
  override: () => EndpointOverride | null;
}

interface Entry {
  specs: Record<string, InstrumentSpec>;
  fetchedAt: number | null;
  lastAttemptAt: number | null;
  error: string | null;
}

/** Live-over-bundled instrument specs with an in-memory cache. */
export class InstrumentService {
  private cache = new Map<ExchangeId, Entry>();
  private merged = new Map<ExchangeId, InstrumentTable>();
  private inflight = new Map<ExchangeId, Promise<void>>();
  constructor(private readonly deps: InstrumentServiceDeps) {}

  /** Specs of an exchange: live ones override bundled ones symbol by symbol. Same object until a refresh changes it. */
  tableFor(exchange: ExchangeId): InstrumentTable {
    let t = this.merged.get(exchange);
    if (!t) this.merged.set(exchange, (t = Object.freeze({ ...bundledInstruments(exchange), ...(this.cache.get(exchange)?.specs ?? {}) })));
    return t;
  }

  /** The last refresh problem of an exchange, or null. */
  error(exchange: ExchangeId): string | null {
    return this.cache.get(exchange)?.error ?? null;
  }

  /**
   * True when a refresh should run: nothing fetched yet, the specs are older than
   * {@link INSTRUMENT_MAX_AGE_MS}, or a held symbol has none; never within {@link INSTRUMENT_RETRY_MS}
   * of the last attempt (failed or not), so a symbol the exchange does not list costs one request per retry time.
   */
  due(exchange: ExchangeId, symbols: readonly string[]): boolean {
    if (symbols.length === 0) return false;
    const e = this.cache.get(exchange);
    if (!e) return true;
    const now = this.deps.now();
    if (e.lastAttemptAt !== null && now - e.lastAttemptAt < INSTRUMENT_RETRY_MS) return false;
    if (e.fetchedAt === null || now - e.fetchedAt >= INSTRUMENT_MAX_AGE_MS) return true;
    return symbols.some((s) => !e.specs[s]);
  }

  /**
   * Fetch the specs of the symbols held (at most MAX_SYMBOLS_PER_EXCHANGE, sorted) and keep them; on
   * failure keep what is cached and record the error. Never throws.
   */
  async refresh(exchange: ExchangeId, symbols: readonly string[]): Promise<void> {
    const running = this.inflight.get(exchange);
    if (running) return running;
    const asked = [...new Set(symbols)].sort().slice(0, MAX_SYMBOLS_PER_EXCHANGE);
    const job = (async () => {
      const now = this.deps.now();
      const prev = this.cache.get(exchange) ?? { specs: {}, fetchedAt: null, lastAttemptAt: null, error: null };
      const override = this.deps.override();
      try {
        const got = await INSTRUMENT_SOURCES[exchange].fetchInstruments(asked, {
          fetch: this.deps.fetch ?? globalThis.fetch.bind(globalThis),
          url: (path, query) => restUrl(exchange, path, query, override),
        });
        const specs = { ...prev.specs };
        const refused: string[] = [];
        for (const [symbol, spec] of Object.entries(got)) {
          const problem = instrumentProblem(spec);
          if (problem === null) specs[symbol] = spec;
          else refused.push(`${symbol}: ${problem}`);
        }
        const missing = asked.filter((s) => !got[s]);
        const problems = [...(refused.length ? [`live specs refused: ${refused.slice(0, 3).join('; ')}`] : []), ...(missing.length ? [`not listed: ${missing.slice(0, 5).join(', ')}`] : [])];
        this.cache.set(exchange, { specs, fetchedAt: now, lastAttemptAt: now, error: problems.length ? problems.join('; ') : null });
      } catch (e) {
        this.cache.set(exchange, { ...prev, lastAttemptAt: now, error: e instanceof Error ? e.message : String(e) });
      }
      this.merged.delete(exchange);
    })();
    this.inflight.set(exchange, job);
    try {
      await job;
    } finally {
      this.inflight.delete(exchange);
    }
  }
}
