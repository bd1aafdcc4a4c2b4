/**
 * Bybit v5 public linear tickers (pure): `wss://stream.bybit.com/v5/public/linear`, topic `tickers.<SYMBOL>`.
 *
 * - Subscribe: `{"req_id":"1","op":"subscribe","args":["tickers.BTCUSDT"]}` → `{"success":true,…,"op":"subscribe"}`.
 * - Pushes: a `snapshot` first, then `delta`s every 100 ms carrying **only the fields that changed**;
 *   the parser merges each delta into its cached snapshot. `ts` = push time (ms); `data.markPrice` = mark;
 *   `fundingRate` (fraction per funding interval) and `nextFundingTime` (ms, as a string) ride along on the tick.
 * - Heartbeat: send `{"req_id":"…","op":"ping"}` every 20 s; pong `{"success":true,"ret_msg":"pong",…,"op":"ping"}`.
 * Sources: https://bybit-exchange.github.io/docs/v5/websocket/public/ticker, https://bybit-exchange.github.io/docs/v5/ws/connect.
 */
import { checkPrice, checkTime, fundingFields, isObj, tryJson, type StreamAdapter, type StreamEvent, type StreamParser } from '../common/stream';

/** Stateful parser: one ticker cache per connection (reset on reconnect, where a new snapshot comes). */
export function createBybitParser(): StreamParser {
  const cache = new Map<string, Record<string, unknown>>();
  return {
    parse(raw: string): StreamEvent {
      const msg = tryJson(raw);
      if (!isObj(msg)) return { kind: 'rejected', reason: 'malformed', detail: 'not a JSON object' };
      if (msg.op === 'ping' || msg.op === 'pong') return msg.success === false ? { kind: 'error', detail: String(msg.ret_msg) } : { kind: 'pong' };
      if (typeof msg.op === 'string') {
        return msg.success === false ? { kind: 'error', detail: String(msg.ret_msg).slice(0, 200) } : { kind: 'ack' };
      }
      if (typeof msg.topic !== 'string' || !msg.topic.startsWith('tickers.')) return { kind: 'rejected', reason: 'malformed', detail: 'no tickers topic' };
      const topicSymbol = msg.topic.slice('tickers.'.length);
      const data = msg.data;
      if (!isObj(data) || typeof data.symbol !== 'string') return { kind: 'rejected', reason: 'malformed', detail: 'data is not a ticker object' };
      if (data.symbol !== topicSymbol) return { kind: 'rejected', reason: 'wrong-symbol', detail: `topic ${msg.topic} carries ${data.symbol}` };
      const time = checkTime(msg.ts);
      if (time === null) return { kind: 'rejected', reason: 'malformed', detail: 'bad ts' };
      let merged: Record<string, unknown>;
      if (msg.type === 'snapshot') {
        merged = { ...data };
      } else if (msg.type === 'delta') {
        const prev = cache.get(data.symbol);
        if (!prev) return { kind: 'rejected', reason: 'out-of-order', detail: `delta before snapshot for ${data.symbol}` };
        merged = { ...prev, ...data };
      } else {
        return { kind: 'rejected', reason: 'malformed', detail: `type ${String(msg.type)}` };
      }
      if (!('markPrice' in data) && msg.type === 'delta') {
        cache.set(data.symbol, merged);
        return { kind: 'ignored', detail: 'delta without markPrice' };
      }
      const p = checkPrice(merged.markPrice);
      if (!p.ok) return { kind: 'rejected', reason: p.reason, detail: p.detail };
      cache.set(data.symbol, merged);
      return { kind: 'marks', marks: [{ symbol: data.symbol, price: p.price, time, ...fundingFields(merged.fundingRate, merged.nextFundingTime) }] };
    },
  };
}

let reqId = 0;
/** Bybit linear perpetual tickers. Symbols as on the page: `BTCUSDT`, `ETHPERP` (USDC). */
export const bybitStream: StreamAdapter = {
  exchange: 'bybit',
  streamSymbol: (s) => (/^[A-Z0-9]{2,30}$/.test(s.toUpperCase()) ? s.toUpperCase() : null),
  connectQuery: () => '',
  subscribeMessages: (symbols) =>
    symbols.length ? [JSON.stringify({ req_id: String(++reqId), op: 'subscribe', args: symbols.map((s) => `tickers.${s}`) })] : [],
  unsubscribeMessages: (symbols) =>
    symbols.length ? [JSON.stringify({ req_id: String(++reqId), op: 'unsubscribe', args: symbols.map((s) => `tickers.${s}`) })] : [],
  keepalive: { everyMs: 20_000, idleOnly: false, message: JSON.stringify({ req_id: 'ping', op: 'ping' }), pongTimeoutMs: 15_000 },
  silenceTimeoutMs: 45_000,
  createParser: createBybitParser,
};
