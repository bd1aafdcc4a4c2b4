/**
 * Hyperliquid candles: `POST https://api.hyperliquid.xyz/info` `{"type":"candleSnapshot","req":{"coin":<COIN>,
 * "interval":"1h","startTime":<ms>,"endTime":<ms>}}` (public). Answer: `[{t, T, s, i, o, c, h, l, v, n}]`, prices as
 * strings. These candles follow the last trade price: Hyperliquid publishes no mark-price candles.
 * Source: https://hyperliquid.gitbook.io/hyperliquid-docs/for-developers/api/info-endpoint#candle-snapshot
 */
import * as v from 'valibot';
import { fetchJson, parseResponse } from '../common/rest';
import { CANDLE_INTERVAL_MS, CANDLES_WANTED, closedCandles, MsTime, PriceString, type CandleSource } from '../common/candles';

export const HyperliquidCandles = v.pipe(v.array(v.object({ t: MsTime, c: PriceString })), v.minLength(1, 'no candles'));

export const hyperliquidCandleSource: CandleSource = {
  price: 'trade',
  doc: 'https://hyperliquid.gitbook.io/hyperliquid-docs/for-developers/api/info-endpoint#candle-snapshot',
  async fetchCandles(symbol, ctx) {
    const what = `hyperliquid candleSnapshot ${symbol}`;
    const body = { type: 'candleSnapshot', req: { coin: symbol, interval: '1h', startTime: ctx.now - CANDLES_WANTED * CANDLE_INTERVAL_MS, endTime: ctx.now } };
    const rows = parseResponse(HyperliquidCandles, await fetchJson(ctx.fetch, ctx.url('/info'), what, body), what);
    return closedCandles(rows.map((r) => ({ openTime: r.t, close: r.c })), ctx.now);
  },
};
