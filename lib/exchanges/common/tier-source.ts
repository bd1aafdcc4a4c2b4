/**
 * The interface every live tier-table source implements (lib/exchanges/<id>/tier-source.ts), and
 * what it gets to do its work. The registry of sources is lib/exchanges/tier-sources.ts; the
 * cache and refresh policy is lib/background/tiers.ts (TierService).
 */
import type { ExchangeId } from '../../engine/exchanges';
import { D } from '../../engine/decimal';
import type { TierTable } from '../../engine/tiers';

/** What a tier-source module gets: a fetch, and URLs from lib/exchanges/endpoints.ts. */
export interface TierFetchContext {
  /** The fetch to call through ./rest.ts `fetchJson` (which sends no cookies and no referrer). */
  fetch: typeof fetch;
  /** Full URL for a REST path (starting with `/`) and optional query (without `?`) on this exchange. */
  url: (path: string, query?: string) => string;
}

/** One exchange's live tier endpoint. */
export interface TierSource {
  exchange: ExchangeId;
  /**
   * Fetch, validate (valibot) and convert tier tables for these snapshot symbols (at most
   * MAX_SYMBOLS_PER_EXCHANGE, see ./stream.ts). Symbols the exchange does not list are left out.
   * @throws Error naming the endpoint and the field when a response does not validate.
   */
  fetchTables(symbols: readonly string[], ctx: TierFetchContext): Promise<TierTable[]>;
}

/**
 * How far below the bundled table a live maintenance rate may fall before the live table is
 * refused: live MMR < bundled MMR × this factor at any bundled tier's floor. Exchanges do lower
 * rates, but not by half at once; a table that low would move every liquidation price away.
 */
export const LIVE_MMR_FLOOR_FACTOR = '0.5';

/**
 * Why a tier table is implausible, or null when it is plausible. Checked on every live table
 * before it replaces the bundled or cached one (a refused table is reported, never used).
 *
 * Rules, in this order (the first broken one is returned, naming the 1-based tier):
 * - at least one tier; the first tier's floor is 0;
 * - every MMR is a fraction with 0 < MMR < 1; every max leverage > 0; maintenance amount ≥ 0;
 * - floors non-decreasing; every cap > its floor; caps strictly increasing; only the last cap may be null (open-ended);
 * - MMR non-decreasing from tier to tier;
 * - with `bundled` (same symbol and basis): at each bundled tier's floor inside the live table's
 *   range, the live MMR is at least {@link LIVE_MMR_FLOOR_FACTOR} × the bundled MMR ("not far below
 *   the bundled table").
 *
 * Numbers are compared as decimals (decimal.js; background only). Malformed decimal text is a problem too.
 * @param table - the live table (floor/cap in its `basis`: notional in the settlement asset, or contracts).
 * @param bundled - the bundled table for the same symbol, if any.
 */
export function tierTableProblem(table: TierTable, bundled?: TierTable | null): string | null {
  try {
    return problemOf(table, bundled ?? null);
  } catch (e) {
    return `tier table: ${e instanceof Error ? e.message : String(e)}`;
  }
}

function problemOf(table: TierTable, bundled: TierTable | null): string | null {
  const tiers = table.tiers;
  if (tiers.length === 0) return 'no tiers';
  if (!new D(tiers[0]!.floor).isZero()) return `tier 1 floor is ${tiers[0]!.floor}, not 0`;
  let prev: { floor: D; cap: D | null; mmr: D } | null = null;
  for (const [i, t] of tiers.entries()) {
    const n = i + 1;
    const floor = new D(t.floor);
    const cap = t.cap === null ? null : new D(t.cap);
    const mmr = new D(t.mmr);
    if (!mmr.gt(0) || !mmr.lt(1)) return `tier ${n} MMR ${t.mmr} is not a fraction in (0, 1)`;
    if (!new D(t.maxLeverage).gt(0)) return `tier ${n} max leverage ${t.maxLeverage} is not > 0`;
    if (new D(t.maintAmount).isNeg()) return `tier ${n} maintenance amount ${t.maintAmount} is negative`;
    if (floor.isNeg()) return `tier ${n} floor ${t.floor} is negative`;
    if (cap === null && n < tiers.length) return `tier ${n} has no cap but is not the last tier`;
    if (cap !== null && !cap.gt(floor)) return `tier ${n} cap ${t.cap} is not above its floor ${t.floor}`;
    if (prev) {
      if (floor.lt(prev.floor)) return `tier ${n} floor ${t.floor} is below tier ${n - 1}'s`;
      if (cap !== null && prev.cap !== null && !cap.gt(prev.cap)) return `tier ${n} cap ${t.cap} does not increase`;
      if (mmr.lt(prev.mmr)) return `tier ${n} MMR ${t.mmr} is below tier ${n - 1}'s ${prev.mmr.toString()}`;
    }
    prev = { floor, cap, mmr };
  }
  if (bundled && bundled.symbol === table.symbol && bundled.basis === table.basis) {
    const factor = new D(LIVE_MMR_FLOOR_FACTOR);
    const lastCap = tiers[tiers.length - 1]!.cap;
    for (const b of bundled.tiers) {
      const at = new D(b.floor);
      if (lastCap !== null && at.gte(lastCap)) break; // beyond the live table: positions cannot be that large there
      const live = tiers.findLast((t) => new D(t.floor).lte(at)) ?? tiers[0]!;
      const least = new D(b.mmr).mul(factor);
      if (new D(live.mmr).lt(least)) {
        return `MMR ${live.mmr} at ${b.floor} is far below the bundled ${b.mmr} (${bundled.source}, ${bundled.asOf})`;
      }
    }
  }
  return null;
}
