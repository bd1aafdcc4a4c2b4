/**
 * Binance public SPOT streams that price a spot margin account (pure adapter).
 *
 * Choice: `<symbol>@miniTicker` on `wss://stream.binance.com:9443/stream`, field `c` (last price),
 * pushed every 1000 ms (https://developers.binance.com/docs/binance-spot-api-docs/web-socket-streams,
 * "Individual Symbol Mini Ticker Stream"). Spot has no mark-price stream; Binance values margin
 * accounts at its margin price index (`GET /sapi/v1/margin/priceIndex`, a REST endpoint with no
 * stream), which tracks the spot last price closely: the last price is used, and the popup says
 * so (README Known limitations). `@miniTicker` rather than `@ticker`: the same `c` and cadence,
 * a third of the frame size.
 *
 * - Push: `{"stream":"btcusdt@miniTicker","data":{"e":"24hrMiniTicker","E":1672515782136,"s":"BTCUSDT","c":"16578.93",…}}`.
 * - Live subscribe: `{"method":"SUBSCRIBE","params":["btcusdt@miniTicker"],"id":1}` → `{"result":null,"id":1}`.
 * - Keepalive: server ping frames, answered by the browser.
 */
import { checkPrice, checkTime, isObj, tryJson, type StreamAdapter, type StreamEvent } from '../common/stream';

/** Public spot stream endpoint (origin + path; the query is added per connection). */
export const BINANCE_SPOT_STREAM = { origin: 'wss://stream.binance.com:9443', path: '/stream' } as const;

/** Stream name for a spot symbol, e.g. `btcusdt@miniTicker`. */
export function spotStreamName(symbol: string): string {
  return `${symbol.toLowerCase()}@miniTicker`;
}

/**
 * The spot symbol that prices `asset` in `quote` (`BTC`, `USDT` → `BTCUSDT`), or null for the
 * quote itself (always 1).
 */
export function spotSymbolFor(asset: string, quote: string): string | null {
  return asset === quote ? null : `${asset}${quote}`;
}

/** Parse one spot frame (combined or raw). */
export function parseSpotFrame(raw: string): StreamEvent {
  const msg = tryJson(raw);
  if (!isObj(msg)) return { kind: 'rejected', reason: 'malformed', detail: 'not a JSON object' };
  if ('result' in msg && 'id' in msg) return { kind: 'ack' };
  if ('error' in msg) return { kind: 'error', detail: JSON.stringify(msg.error).slice(0, 200) };
  const data = 'stream' in msg ? msg.data : msg;
  if (!isObj(data)) return { kind: 'rejected', reason: 'malformed', detail: 'missing data' };
  if (data.e !== '24hrMiniTicker') return { kind: 'ignored', detail: `event ${String(data.e)}` };
  if (typeof data.s !== 'string' || !/^[A-Z0-9]{2,30}$/.test(data.s)) return { kind: 'rejected', reason: 'malformed', detail: 'bad symbol' };
  if (typeof msg.stream === 'string' && msg.stream !== spotStreamName(data.s)) {
    return { kind: 'rejected', reason: 'wrong-symbol', detail: `stream ${msg.stream} carries ${data.s}` };
  }
  const time = checkTime(data.E);
  if (time === null) return { kind: 'rejected', reason: 'malformed', detail: 'bad event time E' };
  const p = checkPrice(data.c);
  if (!p.ok) return { kind: 'rejected', reason: p.reason, detail: p.detail };
  return { kind: 'marks', marks: [{ symbol: data.s, price: p.price, time }] };
}

/** The adapter the stream client drives for spot prices. */
export function makeBinanceSpotAdapter(): StreamAdapter {
  let id = 0;
  return {
    exchange: 'binance-spot',
    streamSymbol: (s) => (/^[A-Z0-9]{2,30}$/.test(s.toUpperCase()) ? s.toUpperCase() : null),
    connectQuery: (symbols) => (symbols.length ? `streams=${symbols.map(spotStreamName).join('/')}` : ''),
    subscribeMessages: (symbols) => (symbols.length ? [JSON.stringify({ method: 'SUBSCRIBE', params: symbols.map(spotStreamName), id: ++id })] : []),
    unsubscribeMessages: (symbols) => (symbols.length ? [JSON.stringify({ method: 'UNSUBSCRIBE', params: symbols.map(spotStreamName), id: ++id })] : []),
    keepalive: null,
    silenceTimeoutMs: 15_000,
    createParser: () => ({ parse: (raw) => parseSpotFrame(raw) }),
  };
}
