/**
 * Hyperliquid live margin tables: `POST https://api.hyperliquid.xyz/info {"type":"meta"}` (public) →
 * `{universe:[{name, maxLeverage, marginTableId}], marginTables:[[id, {description, marginTiers:[{lowerBound, maxLeverage}]}]]}`.
 * MM rate = 1 / (2 × max leverage) (half the initial margin at max leverage), deduction by the recurrence
 * deduction_n = lowerBound_n × (mmr_n − mmr_{n−1}) + deduction_{n−1}; rates that do not terminate are cut to 18 places,
 * as in the bundled tables. An asset whose table id is not listed gets one tier at its `maxLeverage`.
 * Sources: https://hyperliquid.gitbook.io/hyperliquid-docs/trading/margin-tiers,
 * https://hyperliquid.gitbook.io/hyperliquid-docs/for-developers/api/info-endpoint/perpetuals.
 */
import * as v from 'valibot';
import { fetchJson, parseResponse } from '../common/rest';
import { D, str } from '../../engine/decimal';
import type { TierTable } from '../../engine/tiers';
import type { TierSource } from '../common/tier-source';
import { hyperliquidCoin } from './stream';

const Num = v.pipe(v.union([v.string(), v.number()]), v.transform(String), v.regex(/^\d+(\.\d+)?$/, 'must be a non-negative decimal'));

const MetaResponse = v.object({
  universe: v.array(v.object({ name: v.string(), maxLeverage: Num, marginTableId: v.optional(v.number()) })),
  marginTables: v.optional(
    v.array(v.tuple([v.number(), v.object({ description: v.optional(v.string()), marginTiers: v.pipe(v.array(v.object({ lowerBound: Num, maxLeverage: Num })), v.minLength(1)) })])),
    [],
  ),
});

function mmrOf(maxLev: string) {
  return new D(1).div(new D(maxLev).mul(2)).toDecimalPlaces(18, D.ROUND_DOWN);
}

/** Convert `meta` for one coin (keyed by the snapshot symbol) to a TierTable. */
export function hyperliquidTierTable(symbol: string, meta: v.InferOutput<typeof MetaResponse>, asOf: string, source: string): TierTable | null {
  const coin = hyperliquidCoin(symbol);
  const asset = meta.universe.find((a) => a.name === coin);
  if (!asset) return null;
  const table = meta.marginTables.find(([id]) => id === asset.marginTableId)?.[1];
  const rows = table ? [...table.marginTiers].sort((a, b) => new D(a.lowerBound).cmp(new D(b.lowerBound))) : [{ lowerBound: '0', maxLeverage: asset.maxLeverage }];
  let prevMmr = new D(0);
  let prevAmt = new D(0);
  const tiers = rows.map((r, i) => {
    const mmr = mmrOf(r.maxLeverage);
    const amt = new D(r.lowerBound).mul(mmr.sub(prevMmr)).add(prevAmt);
    prevMmr = mmr;
    prevAmt = amt;
    const next = rows[i + 1];
    return { floor: str(new D(r.lowerBound)), cap: next ? str(new D(next.lowerBound)) : null, mmr: str(mmr), maintAmount: str(amt), maxLeverage: str(new D(r.maxLeverage)) };
  });
  return { exchange: 'hyperliquid', symbol, basis: 'notional', tiers, source, asOf };
}

/** One `meta` request covers every coin. */
export const hyperliquidTierSource: TierSource = {
  exchange: 'hyperliquid',
  async fetchTables(symbols, ctx) {
    const url = ctx.url('/info');
    const meta = parseResponse(MetaResponse, await fetchJson(ctx.fetch, url, 'hyperliquid meta', { type: 'meta' }), 'hyperliquid meta');
    const asOf = new Date().toISOString();
    return symbols.map((s) => hyperliquidTierTable(s, meta, asOf, `${url} meta`)).filter((t): t is TierTable => t !== null);
  },
};
