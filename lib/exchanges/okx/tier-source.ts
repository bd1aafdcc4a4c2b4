/**
 * OKX live position tiers: `GET https://www.okx.com/api/v5/public/position-tiers?instType=SWAP&tdMode=cross&instFamily=BTC-USDT` (public).
 * Response `{code:"0", data:[{instFamily, tier, minSz, maxSz, mmr, imr, maxLever, …}]}`; sizes are in contracts, so
 * the table basis is `contracts`: floor = previous tier's maxSz (0 first), cap = maxSz, maintAmount 0 (OKX has none).
 * Source: https://www.okx.com/docs-v5/en/#public-data-rest-api-get-position-tiers.
 */
import * as v from 'valibot';
import { fetchJson, parseResponse } from '../common/rest';
import type { TierTable } from '../../engine/tiers';
import type { TierSource } from '../common/tier-source';
import { okxInstId } from './stream';

const Dec = v.pipe(v.string(), v.regex(/^\d+(\.\d+)?$/, 'must be a non-negative decimal string'));

const TiersResponse = v.object({
  code: v.literal('0', 'code must be "0"'),
  data: v.pipe(
    v.array(v.object({ instFamily: v.string(), tier: Dec, minSz: Dec, maxSz: Dec, mmr: Dec, maxLever: Dec })),
    v.minLength(1, 'data is empty'),
  ),
});

/** Convert validated rows to a TierTable keyed by the snapshot symbol. */
export function okxTierTable(symbol: string, rows: v.InferOutput<typeof TiersResponse>['data'], asOf: string, source: string): TierTable {
  const sorted = [...rows].sort((a, b) => Number(a.tier) - Number(b.tier));
  let prev = '0';
  const tiers = sorted.map((r) => {
    const t = { floor: prev, cap: r.maxSz, mmr: r.mmr, maintAmount: '0', maxLeverage: r.maxLever };
    prev = r.maxSz;
    return t;
  });
  return { exchange: 'okx', symbol, basis: 'contracts', tiers, source, asOf };
}

/** One request per instrument family (rate limit: 10 requests / 2 s / IP). */
export const okxTierSource: TierSource = {
  exchange: 'okx',
  async fetchTables(symbols, ctx) {
    const out: TierTable[] = [];
    for (const symbol of symbols) {
      const inst = okxInstId(symbol);
      if (!inst) continue;
      const family = inst.replace(/-SWAP$/, '');
      const url = ctx.url('/api/v5/public/position-tiers', `instType=SWAP&tdMode=cross&instFamily=${encodeURIComponent(family)}`);
      const what = `okx position-tiers ${family}`;
      const resp = parseResponse(TiersResponse, await fetchJson(ctx.fetch, url, what), what);
      out.push(okxTierTable(symbol, resp.data.filter((r) => r.instFamily === family), new Date().toISOString(), url.split('?')[0]!));
    }
    return out;
  },
};
