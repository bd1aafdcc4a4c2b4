/**
 * Bybit live risk-limit tiers: `GET https://api.bybit.com/v5/market/risk-limit?category=linear&symbol=<SYMBOL>` (public).
 * Response `{retCode:0, result:{list:[{id, symbol, riskLimitValue, maintenanceMargin, initialMargin, isLowestRisk, maxLeverage, mmDeduction}]}}`;
 * `maintenanceMargin` is the MM rate (fraction), `riskLimitValue` the tier cap (USDT notional), `mmDeduction` the
 * maintenance amount. Converted to a `notional` TierTable: floor = previous tier's cap (0 first), cap = riskLimitValue
 * (the last tier keeps its limit: positions cannot exceed it). Source: https://bybit-exchange.github.io/docs/v5/market/risk-limit.
 */
import * as v from 'valibot';
import { fetchJson, parseResponse } from '../common/rest';
import { D, str } from '../../engine/decimal';
import type { TierTable } from '../../engine/tiers';
import type { TierSource } from '../common/tier-source';

const Dec = v.pipe(v.union([v.string(), v.number()]), v.transform(String), v.regex(/^\d+(\.\d+)?$/, 'must be a non-negative decimal'));

const RiskLimitResponse = v.object({
  retCode: v.literal(0, 'retCode must be 0'),
  result: v.object({
    list: v.pipe(
      v.array(
        v.object({
          symbol: v.string(),
          riskLimitValue: Dec,
          maintenanceMargin: Dec,
          maxLeverage: Dec,
          mmDeduction: v.optional(v.union([Dec, v.literal('')]), ''),
        }),
      ),
      v.minLength(1, 'list is empty'),
    ),
  }),
});

/**
 * Convert a validated risk-limit list to a TierTable.
 * Missing `mmDeduction` is derived by the recurrence deduction_n = floor_n × (mmr_n − mmr_{n−1}) + deduction_{n−1}.
 */
export function bybitTierTable(symbol: string, list: v.InferOutput<typeof RiskLimitResponse>['result']['list'], asOf: string, source: string): TierTable {
  const rows = list.filter((r) => r.symbol === symbol).sort((a, b) => new D(a.riskLimitValue).cmp(new D(b.riskLimitValue)));
  if (rows.length === 0) throw new Error(`bybit risk-limit: no rows for ${symbol}`);
  let prevCap = new D(0);
  let prevMmr = new D(0);
  let prevAmt = new D(0);
  const tiers = rows.map((r) => {
    const mmr = new D(r.maintenanceMargin);
    const amt = r.mmDeduction !== '' ? new D(r.mmDeduction) : prevCap.mul(mmr.sub(prevMmr)).add(prevAmt);
    const t = { floor: str(prevCap), cap: str(new D(r.riskLimitValue)), mmr: str(mmr), maintAmount: str(amt), maxLeverage: str(new D(r.maxLeverage)) };
    prevCap = new D(r.riskLimitValue);
    prevMmr = mmr;
    prevAmt = amt;
    return t;
  });
  return { exchange: 'bybit', symbol, basis: 'notional', tiers, source, asOf };
}

/**
 * Requests sent at once (one per symbol; the endpoint pages only 15 symbols at a time without
 * `symbol`, so a per-symbol request is the smallest). Batches run one after the other: at most
 * this many requests are in flight, and the cap of symbols (MAX_SYMBOLS_PER_EXCHANGE = 50) bounds
 * a refresh to 10 batches. Bybit's public market limit is far above that (600 requests / 5 s / IP).
 */
export const BYBIT_TIER_BATCH = 5;

/** One request per symbol, in batches of {@link BYBIT_TIER_BATCH}; any failed or invalid response fails the refresh. */
export const bybitTierSource: TierSource = {
  exchange: 'bybit',
  async fetchTables(symbols, ctx) {
    const out: TierTable[] = [];
    const one = async (symbol: string): Promise<TierTable> => {
      const url = ctx.url('/v5/market/risk-limit', `category=linear&symbol=${encodeURIComponent(symbol)}`);
      const what = `bybit risk-limit ${symbol}`;
      const resp = parseResponse(RiskLimitResponse, await fetchJson(ctx.fetch, url, what), what);
      return bybitTierTable(symbol, resp.result.list, new Date().toISOString(), url.split('?')[0]!);
    };
    for (let i = 0; i < symbols.length; i += BYBIT_TIER_BATCH) {
      out.push(...(await Promise.all(symbols.slice(i, i + BYBIT_TIER_BATCH).map(one))));
    }
    return out;
  },
};
