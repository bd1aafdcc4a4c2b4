/**
 * Binance public mark-price streams (pure), shared by USDⓈ-M (`wss://fstream.binance.com/market/stream`)
 * and COIN-M (inverse, `wss://dstream.binance.com/stream`): same combined-stream format, different
 * host and symbols.
 *
 * - Stream name: `<symbol lowercase>@markPrice@1s`, one push per second.
 * - Push: `{"stream":"btcusdt@markPrice@1s","data":{"e":"markPriceUpdate","E":1562305380000,"s":"BTCUSDT","p":"11794.15000000",…,"r":"0.00038167","T":1562306400000}}`
 *   (raw `/ws` pushes without the wrapper are accepted too); `p` = mark price, `E` = event time,
 *   `r` = funding rate (fraction per funding interval; `""` for delivery contracts), `T` = next funding time (ms).
 * - Live subscribe: `{"method":"SUBSCRIBE","params":["btcusdt@markPrice@1s"],"id":1}` → `{"result":null,"id":1}`.
 * - Keepalive: the server sends ping frames that browsers answer; no app-level ping exists.
 * Sources: https://developers.binance.com/docs/derivatives/usds-margined-futures/websocket-market-streams/Mark-Price-Stream,
 * https://developers.binance.com/docs/derivatives/coin-margined-futures/websocket-market-streams/Mark-Price-Stream.
 */
import type { ExchangeId } from '../../engine/exchanges';
import { checkPrice, checkTime, fundingFields, isObj, tryJson, type StreamAdapter, type StreamEvent } from '../common/stream';

/** Stream name for a symbol, e.g. `btcusdt@markPrice@1s`. */
export function binanceStreamName(symbol: string): string {
  return `${symbol.toLowerCase()}@markPrice@1s`;
}

/** Parse one Binance frame (combined or raw). */
export function parseBinanceFrame(raw: string): StreamEvent {
  const msg = tryJson(raw);
  if (Array.isArray(msg)) return { kind: 'rejected', reason: 'malformed', detail: 'array frame (all-market stream not used)' };
  if (!isObj(msg)) return { kind: 'rejected', reason: 'malformed', detail: 'not a JSON object' };
  if ('result' in msg && 'id' in msg) return { kind: 'ack' };
  if ('error' in msg) return { kind: 'error', detail: JSON.stringify(msg.error).slice(0, 200) };
  const data = 'stream' in msg ? msg.data : msg;
  if (!isObj(data)) return { kind: 'rejected', reason: 'malformed', detail: 'missing data' };
  if (data.e !== 'markPriceUpdate') return { kind: 'ignored', detail: `event ${String(data.e)}` };
  if (typeof data.s !== 'string' || !/^[A-Z0-9_]{2,40}$/.test(data.s)) return { kind: 'rejected', reason: 'malformed', detail: 'bad symbol' };
  if (typeof msg.stream === 'string' && msg.stream !== binanceStreamName(data.s)) {
    return { kind: 'rejected', reason: 'wrong-symbol', detail: `stream ${msg.stream} carries ${data.s}` };
  }
  const time = checkTime(data.E);
  if (time === null) return { kind: 'rejected', reason: 'malformed', detail: 'bad event time E' };
  const p = checkPrice(data.p);
  if (!p.ok) return { kind: 'rejected', reason: p.reason, detail: p.detail };
  return { kind: 'marks', marks: [{ symbol: data.s, price: p.price, time, ...fundingFields(data.r, data.T) }] };
}

/** Adapter factory shared by USDⓈ-M and COIN-M (same message format, different host and symbols). */
export function makeBinanceAdapter(exchange: ExchangeId, symbolRe: RegExp): StreamAdapter {
  let id = 0;
  return {
    exchange,
    streamSymbol: (s) => (symbolRe.test(s.toUpperCase()) ? s.toUpperCase() : null),
    connectQuery: (symbols) => (symbols.length ? `streams=${symbols.map(binanceStreamName).join('/')}` : ''),
    // Symbols in the URL are already subscribed; additions after connect use SUBSCRIBE.
    subscribeMessages: (symbols) => (symbols.length ? [JSON.stringify({ method: 'SUBSCRIBE', params: symbols.map(binanceStreamName), id: ++id })] : []),
    unsubscribeMessages: (symbols) =>
      symbols.length ? [JSON.stringify({ method: 'UNSUBSCRIBE', params: symbols.map(binanceStreamName), id: ++id })] : [],
    keepalive: null,
    silenceTimeoutMs: 15_000,
    createParser: () => ({ parse: (raw) => parseBinanceFrame(raw) }),
  };
}
