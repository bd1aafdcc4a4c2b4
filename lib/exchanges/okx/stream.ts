/**
 * OKX v5 public `mark-price` channel (pure): `wss://ws.okx.com:8443/ws/v5/public`.
 *
 * - Subscribe: `{"id":"1","op":"subscribe","args":[{"channel":"mark-price","instId":"BTC-USDT-SWAP"}]}`
 *   → `{"id":"1","event":"subscribe","arg":{…},"connId":"…"}`; errors `{"event":"error","code":"60012","msg":"…"}`.
 * - Push: `{"arg":{"channel":"mark-price","instId":"BTC-USDT-SWAP"},"data":[{"instType":"SWAP","instId":"BTC-USDT-SWAP","markPx":"0.1","ts":"1597026383085"}]}`,
 *   every 200 ms on change, else every 10 s. It carries no funding rate (ticks have no `fundingRate`).
 * - Keepalive: the server drops a connection idle for 30 s. Reset a timer (< 30 s) on every message; when it
 *   fires send the plain string `ping`, expect `pong`, reconnect if it does not come.
 * Sources: https://www.okx.com/docs-v5/en/#public-data-websocket-mark-price-channel, https://www.okx.com/docs-v5/en/#overview-websocket-connect.
 */
import { checkPrice, checkTime, isObj, tryJson, type StreamAdapter, type StreamEvent } from '../common/stream';

/**
 * OKX instrument id for a snapshot symbol: `BTC-USDT-SWAP` stays, `BTC-USDT` and `BTCUSDT`
 * become `BTC-USDT-SWAP`, `BTC-USD` / `BTCUSD` (inverse) become `BTC-USD-SWAP`. Null otherwise.
 */
export function okxInstId(symbol: string): string | null {
  const s = symbol.toUpperCase();
  if (/^[A-Z0-9]{1,20}-(USDT|USDC|USD)-SWAP$/.test(s)) return s;
  const dashed = /^([A-Z0-9]{1,20})-(USDT|USDC|USD)$/.exec(s);
  if (dashed) return `${dashed[1]}-${dashed[2]}-SWAP`;
  const plain = /^([A-Z0-9]{1,20}?)(USDT|USDC|USD)$/.exec(s);
  if (plain) return `${plain[1]}-${plain[2]}-SWAP`;
  return null;
}

/** Parse one OKX frame. */
export function parseOkxFrame(raw: string): StreamEvent {
  if (raw === 'pong') return { kind: 'pong' };
  const msg = tryJson(raw);
  if (!isObj(msg)) return { kind: 'rejected', reason: 'malformed', detail: 'not a JSON object' };
  if (msg.event === 'error') return { kind: 'error', detail: `${String(msg.code)} ${String(msg.msg)}`.slice(0, 200) };
  if (typeof msg.event === 'string') return { kind: 'ack' };
  if (!isObj(msg.arg) || msg.arg.channel !== 'mark-price' || typeof msg.arg.instId !== 'string') {
    return { kind: 'rejected', reason: 'malformed', detail: 'not a mark-price push' };
  }
  const instId = msg.arg.instId;
  if (!Array.isArray(msg.data) || msg.data.length === 0) return { kind: 'rejected', reason: 'malformed', detail: 'empty data' };
  const marks = [];
  const rejected = [];
  for (const d of msg.data) {
    if (!isObj(d)) {
      rejected.push({ reason: 'malformed' as const, detail: 'data item is not an object' });
      continue;
    }
    if (d.instId !== instId) {
      rejected.push({ reason: 'wrong-symbol' as const, detail: `arg ${instId} carries ${String(d.instId)}` });
      continue;
    }
    const time = checkTime(d.ts);
    if (time === null) {
      rejected.push({ reason: 'malformed' as const, detail: 'bad ts' });
      continue;
    }
    const p = checkPrice(d.markPx);
    if (!p.ok) {
      rejected.push({ reason: p.reason, detail: p.detail });
      continue;
    }
    marks.push({ symbol: instId, price: p.price, time });
  }
  if (marks.length === 0) return { kind: 'rejected', reason: rejected[0]!.reason, detail: rejected[0]!.detail };
  return rejected.length ? { kind: 'marks', marks, rejected } : { kind: 'marks', marks };
}

let id = 0;
/** OKX perpetual swaps (linear USDT/USDC and inverse USD). */
export const okxStream: StreamAdapter = {
  exchange: 'okx',
  streamSymbol: okxInstId,
  connectQuery: () => '',
  subscribeMessages: (symbols) =>
    symbols.length ? [JSON.stringify({ id: String(++id), op: 'subscribe', args: symbols.map((instId) => ({ channel: 'mark-price', instId })) })] : [],
  unsubscribeMessages: (symbols) =>
    symbols.length ? [JSON.stringify({ id: String(++id), op: 'unsubscribe', args: symbols.map((instId) => ({ channel: 'mark-price', instId })) })] : [],
  keepalive: { everyMs: 20_000, idleOnly: true, message: 'ping', pongTimeoutMs: 20_000 },
  silenceTimeoutMs: 60_000,
  createParser: () => ({ parse: (raw) => parseOkxFrame(raw) }),
};
