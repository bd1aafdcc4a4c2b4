/**
 * Hyperliquid public `activeAssetCtx` subscription (pure): `wss://api.hyperliquid.xyz/ws`.
 *
 * - Subscribe: `{"method":"subscribe","subscription":{"type":"activeAssetCtx","coin":"BTC"}}`
 *   → `{"channel":"subscriptionResponse","data":{…}}`.
 * - Push: `{"channel":"activeAssetCtx","data":{"coin":"BTC","ctx":{"markPx":"…","oraclePx":"…","funding":"…",…}}}`. It carries no
 *   time, so ticks are stamped with the receive time. `funding` is the current **hourly** rate (fraction);
 *   funding is paid every hour on the hour, so the next funding time is the next full UTC hour after receipt.
 *   Source: https://hyperliquid.gitbook.io/hyperliquid-docs/trading/funding.
 * - Heartbeat: send `{"method":"ping"}`, expect `{"channel":"pong"}`; the server wants activity within ~60 s.
 * Source: https://hyperliquid.gitbook.io/hyperliquid-docs/for-developers/api/websocket.
 */
import { checkPrice, fundingFields, isObj, tryJson, type StreamAdapter, type StreamEvent } from '../common/stream';

/** Hyperliquid coin for a snapshot symbol: `BTC`, `BTC-USD`, `BTC-PERP`, `BTCUSD` → `BTC`; `kPEPE` keeps its case. */
export function hyperliquidCoin(symbol: string): string | null {
  const m = /^([A-Za-z0-9]{1,20}?)(?:-?(?:USDC|USD|PERP))?$/.exec(symbol);
  return m ? m[1]! : null;
}

const HOUR_MS = 3_600_000;
/** The next full hour strictly after `now` (ms epoch): Hyperliquid's next funding time. */
export function nextHour(now: number): number {
  return Math.floor(now / HOUR_MS) * HOUR_MS + HOUR_MS;
}

/** Parse one Hyperliquid frame; `now` stamps the tick. */
export function parseHyperliquidFrame(raw: string, now: number): StreamEvent {
  const msg = tryJson(raw);
  if (!isObj(msg) || typeof msg.channel !== 'string') return { kind: 'rejected', reason: 'malformed', detail: 'not a channel message' };
  if (msg.channel === 'pong') return { kind: 'pong' };
  if (msg.channel === 'subscriptionResponse') return { kind: 'ack' };
  if (msg.channel === 'error') return { kind: 'error', detail: String(msg.data).slice(0, 200) };
  if (msg.channel !== 'activeAssetCtx') return { kind: 'ignored', detail: `channel ${msg.channel}` };
  const data = msg.data;
  if (!isObj(data) || typeof data.coin !== 'string' || !isObj(data.ctx)) return { kind: 'rejected', reason: 'malformed', detail: 'bad activeAssetCtx data' };
  const p = checkPrice(data.ctx.markPx);
  if (!p.ok) return { kind: 'rejected', reason: p.reason, detail: p.detail };
  return { kind: 'marks', marks: [{ symbol: data.coin, price: p.price, time: now, ...fundingFields(data.ctx.funding, nextHour(now)) }] };
}

/** Hyperliquid perpetuals by coin. */
export const hyperliquidStream: StreamAdapter = {
  exchange: 'hyperliquid',
  streamSymbol: hyperliquidCoin,
  connectQuery: () => '',
  subscribeMessages: (coins) => coins.map((coin) => JSON.stringify({ method: 'subscribe', subscription: { type: 'activeAssetCtx', coin } })),
  unsubscribeMessages: (coins) => coins.map((coin) => JSON.stringify({ method: 'unsubscribe', subscription: { type: 'activeAssetCtx', coin } })),
  keepalive: { everyMs: 30_000, idleOnly: false, message: JSON.stringify({ method: 'ping' }), pongTimeoutMs: 20_000 },
  silenceTimeoutMs: 90_000,
  createParser: () => ({ parse: (raw, now) => parseHyperliquidFrame(raw, now) }),
};
