/**
 * Binance USDⓈ-M mark-price candles: `GET https://www.binance.com/fapi/v1/markPriceKlines?symbol=<SYMBOL>&interval=1h&limit=170`
 * (public, weight 1; documented on fapi.binance.com, asked on www.binance.com like the instrument source's
 * `/fapi/v1/exchangeInfo`, so the extension needs no fapi host permission [C: the www path is what the web app uses]). Answer: an array of `[openTime, open, high, low, close, ignore, closeTime, …]`, times in ms (numbers),
 * prices as strings. Source: https://developers.binance.com/docs/derivatives/usds-margined-futures/market-data/rest-api/Mark-Price-Kline-Candlestick-Data
 */
import * as v from 'valibot';
import { fetchJson, parseResponse } from '../common/rest';
import { CANDLES_WANTED, closedCandles, MsTime, PriceString, type CandleSource } from '../common/candles';

export const BinanceMarkKlines = v.pipe(v.array(v.looseTuple([MsTime, PriceString, PriceString, PriceString, PriceString])), v.minLength(1, 'no candles'));

export const binanceUsdmCandleSource: CandleSource = {
  price: 'mark',
  doc: 'https://developers.binance.com/docs/derivatives/usds-margined-futures/market-data/rest-api/Mark-Price-Kline-Candlestick-Data',
  async fetchCandles(symbol, ctx) {
    const what = `binance markPriceKlines ${symbol}`;
    const raw = await fetchJson(ctx.fetch, ctx.url('/fapi/v1/markPriceKlines', `symbol=${encodeURIComponent(symbol)}&interval=1h&limit=${CANDLES_WANTED}`), what);
    const rows = parseResponse(BinanceMarkKlines, raw, what);
    return closedCandles(rows.map((r) => ({ openTime: r[0], close: r[4] })), ctx.now);
  },
};
