/**
 * OKX mark-price candles: `GET https://www.okx.com/api/v5/market/mark-price-candles?instId=<INST>&bar=1H&limit=100`
 * (public; at most 100 per request, newest first), then the older page with `after=<oldest ts>`. Answer
 * `{code:"0", data:[[ts, o, h, l, c, confirm], …]}`, strings. Source:
 * https://www.okx.com/docs-v5/en/#public-data-rest-api-get-mark-price-candlesticks
 */
import * as v from 'valibot';
import { fetchJson, parseResponse } from '../common/rest';
import { CANDLES_WANTED, closedCandles, MsTime, PriceString, type CandleSource } from '../common/candles';
import type { Candle } from '../../engine/volatility';

export const OkxMarkCandles = v.object({
  code: v.literal('0', 'code must be "0"'),
  data: v.array(v.looseTuple([MsTime, PriceString, PriceString, PriceString, PriceString])),
});

const PAGE = 100;

export const okxCandleSource: CandleSource = {
  price: 'mark',
  doc: 'https://www.okx.com/docs-v5/en/#public-data-rest-api-get-mark-price-candlesticks',
  async fetchCandles(symbol, ctx) {
    const what = `okx mark-price-candles ${symbol}`;
    const out: Candle[] = [];
    let after: number | null = null;
    while (out.length < CANDLES_WANTED) {
      const query: string = `instId=${encodeURIComponent(symbol)}&bar=1H&limit=${PAGE}${after === null ? '' : `&after=${after}`}`;
      const r = parseResponse(OkxMarkCandles, await fetchJson(ctx.fetch, ctx.url('/api/v5/market/mark-price-candles', query), what), what);
      if (r.data.length === 0) break;
      out.push(...r.data.map((x) => ({ openTime: x[0], close: x[4] })));
      const oldest = Math.min(...r.data.map((x) => x[0]));
      if (after !== null && oldest >= after) break; // no progress: stop, never loop
      after = oldest;
      if (r.data.length < PAGE) break;
    }
    if (out.length === 0) throw new Error(`${what}: no candles`);
    return closedCandles(out, ctx.now);
  },
};
