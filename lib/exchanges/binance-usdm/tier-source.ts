/**
 * Binance USDⓈ-M default brackets from the website's public (undocumented, keyless) endpoint behind
 * https://www.binance.com/en/futures/trading-rules/perpetual/leverage-margin:
 * `POST https://www.binance.com/bapi/futures/v1/friendly/future/common/brackets` with body `{}` →
 * `{code:"000000", data:{brackets:[{symbol, updateTime, riskBrackets:[{bracketSeq, bracketNotionalFloor, bracketNotionalCap,
 * bracketMaintenanceMarginRate, cumFastMaintenanceAmount, maxOpenPosLeverage}]}]}}`. Rates arrive as bare JSON floats and
 * are kept as their JSON text (String(number)). A symbol listed twice keeps the newest `updateTime`. The signed
 * `/fapi/v1/leverageBracket` (per-user `notionalCoef`) is not used: it needs an API key.
 */
import * as v from 'valibot';
import { fetchJson, parseResponse } from '../common/rest';
import type { TierTable } from '../../engine/tiers';
import type { TierSource } from '../common/tier-source';

const Num = v.pipe(v.union([v.number(), v.string()]), v.transform(String), v.regex(/^\d+(\.\d+)?$/, 'must be a non-negative decimal'));

const BracketsResponse = v.object({
  code: v.literal('000000', 'code must be "000000"'),
  data: v.object({
    brackets: v.array(
      v.object({
        symbol: v.string(),
        updateTime: v.optional(v.number(), 0),
        riskBrackets: v.pipe(
          v.array(
            v.object({
              bracketSeq: v.number(),
              bracketNotionalFloor: Num,
              bracketNotionalCap: Num,
              bracketMaintenanceMarginRate: Num,
              cumFastMaintenanceAmount: Num,
              maxOpenPosLeverage: Num,
            }),
          ),
          v.minLength(1),
        ),
      }),
    ),
  }),
});

/**
 * Validate the brackets response and convert it to TierTables for the given symbols.
 * The COIN-M endpoint (`…/friendly/delivery/common/brackets`) answers in the same shape, with
 * floors, caps and `cum` in the base coin; `exchange` says which account the tables are for.
 * @throws Error naming the first invalid field.
 */
export function binanceTierTables(
  raw: unknown,
  symbols: readonly string[],
  asOf: string,
  source: string,
  exchange: 'binance-usdm' | 'binance-coinm' = 'binance-usdm',
): TierTable[] {
  const resp = parseResponse(BracketsResponse, raw, `${exchange === 'binance-coinm' ? 'binance coin-m' : 'binance'} brackets`);
  const want = new Set(symbols);
  const newest = new Map<string, (typeof resp.data.brackets)[number]>();
  for (const b of resp.data.brackets) {
    if (!want.has(b.symbol)) continue;
    const prev = newest.get(b.symbol);
    if (!prev || b.updateTime > prev.updateTime) newest.set(b.symbol, b);
  }
  return [...newest.values()].map((b) => {
    const rows = [...b.riskBrackets].sort((x, y) => x.bracketSeq - y.bracketSeq);
    return {
      exchange,
      symbol: b.symbol,
      basis: 'notional',
      source,
      asOf,
      tiers: rows.map((r, i) => ({
        floor: r.bracketNotionalFloor,
        cap: r.bracketNotionalCap,
        mmr: r.bracketMaintenanceMarginRate,
        maintAmount: r.cumFastMaintenanceAmount,
        maxLeverage: r.maxOpenPosLeverage,
      })),
    } satisfies TierTable;
  });
}

export const binanceUsdmTierSource: TierSource = {
  exchange: 'binance-usdm',
  async fetchTables(symbols, ctx) {
    const url = ctx.url('/bapi/futures/v1/friendly/future/common/brackets');
    return binanceTierTables(await fetchJson(ctx.fetch, url, 'binance brackets', {}), symbols, new Date().toISOString(), url);
  },
};
