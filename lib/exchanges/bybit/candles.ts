/**
 * Bybit mark-price candles: `GET https://api.bybit.com/v5/market/mark-price-kline?category=linear&symbol=<SYMBOL>&interval=60&limit=170`
 * (public). Answer `{retCode:0, result:{symbol, category, list:[[startTime, open, high, low, close], …]}}`, newest first,
 * every field a string. Source: https://bybit-exchange.github.io/docs/v5/market/mark-kline
 */
import * as v from 'valibot';
import { fetchJson, parseResponse } from '../common/rest';
import { CANDLES_WANTED, closedCandles, MsTime, PriceString, type CandleSource } from '../common/candles';

export const BybitMarkKline = v.object({
  retCode: v.literal(0, 'retCode must be 0'),
  result: v.object({
    list: v.pipe(v.array(v.looseTuple([MsTime, PriceString, PriceString, PriceString, PriceString])), v.minLength(1, 'list is empty')),
  }),
});

export const bybitCandleSource: CandleSource = {
  price: 'mark',
  doc: 'https://bybit-exchange.github.io/docs/v5/market/mark-kline',
  async fetchCandles(symbol, ctx) {
    const what = `bybit mark-price-kline ${symbol}`;
    const raw = await fetchJson(ctx.fetch, ctx.url('/v5/market/mark-price-kline', `category=linear&symbol=${encodeURIComponent(symbol)}&interval=60&limit=${CANDLES_WANTED}`), what);
    const r = parseResponse(BybitMarkKline, raw, what);
    return closedCandles(r.result.list.map((x) => ({ openTime: x[0], close: x[4] })), ctx.now);
  },
};
