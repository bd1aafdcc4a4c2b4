/**
 * OKX v5 private stream (issue 18), as a trigger for REST reads: `wss://ws.okx.com:8443/ws/v5/private`,
 * login `{"op":"login","args":[{apiKey, passphrase, timestamp, sign}]}` with `timestamp` in Unix
 * seconds and `sign` = base64 HMAC-SHA256(timestamp + "GET" + "/users/self/verify"); after
 * `{"event":"login","code":"0"}` subscribe to `positions` (instType ANY) and `account`, both with
 * `updateInterval` "0" (event pushes only, no 5 s periodic pushes); the text `ping` when idle < 30 s;
 * notice `64008` (service upgrade) → reconnect.
 * https://www.okx.com/docs-v5/en/#overview-websocket-login
 * https://www.okx.com/docs-v5/en/#trading-account-websocket-positions-channel
 * https://www.okx.com/docs-v5/en/#trading-account-websocket-account-channel
 */
import { okxSignature } from '../../api/sign';
import type { ApiContext, PrivateStreamSpec, StreamEvent } from '../../api/types';
import { apiStreamUrl } from '../endpoints';

/** The login frame at `seconds` (Unix seconds). */
export async function okxLoginFrame(ctx: Pick<ApiContext, 'key'>, seconds: number): Promise<string> {
  const sign = await okxSignature(ctx.key.key, `${seconds}GET/users/self/verify`);
  return JSON.stringify({ op: 'login', args: [{ apiKey: ctx.key.apiKey, passphrase: ctx.key.passphrase ?? '', timestamp: String(seconds), sign }] });
}

/** Meaning of one private-stream frame. */
export function okxStreamEvent(frame: string): StreamEvent {
  if (frame === 'pong') return 'ignore';
  let m: { event?: unknown; code?: unknown; arg?: { channel?: unknown }; data?: unknown };
  try {
    m = JSON.parse(frame) as typeof m;
  } catch {
    return 'ignore';
  }
  if (m.event === 'login') return m.code === '0' ? 'login-ok' : 'auth-failed';
  if (m.event === 'error') return typeof m.code === 'string' && /^600(09|24|26|30|32|11|05|04|06|07|08)$/.test(m.code) ? 'auth-failed' : 'ignore';
  if (m.event === 'notice' && m.code === '64008') return 'reconnect';
  if (m.event === undefined && Array.isArray(m.data) && (m.arg?.channel === 'positions' || m.arg?.channel === 'account')) return 'update';
  return 'ignore';
}

const EVENTS_ONLY = JSON.stringify({ updateInterval: '0' });

export const OKX_STREAM: PrivateStreamSpec = {
  async url(ctx) {
    return apiStreamUrl('okx', '/ws/v5/private', ctx.override);
  },
  async hello(ctx) {
    return [await okxLoginFrame(ctx, Math.floor(ctx.now() / 1000))];
  },
  afterLogin: () => [
    JSON.stringify({
      op: 'subscribe',
      args: [
        { channel: 'positions', instType: 'ANY', extraParams: EVENTS_ONLY },
        { channel: 'account', extraParams: EVENTS_ONLY },
      ],
    }),
  ],
  ping: { everyMs: 25_000, message: () => 'ping' },
  classify: okxStreamEvent,
};
