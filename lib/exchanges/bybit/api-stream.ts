/**
 * Bybit v5 private stream (issue 18), as a trigger for REST reads: `wss://stream.bybit.com/v5/private`,
 * auth `{"op":"auth","args":[apiKey, expires, signature]}` where the signature is over
 * `GET/realtime<expires>` (RSA: base64 RSA-SHA256; HMAC: hex), then subscribe to `position` and
 * `wallet`; `{"op":"ping"}` every 20 s.
 * https://bybit-exchange.github.io/docs/v5/ws/connect
 * https://bybit-exchange.github.io/docs/v5/websocket/private/position
 * https://bybit-exchange.github.io/docs/v5/websocket/private/wallet
 * ("The unrealised PnL change does not trigger an event": prices come from the public streams.)
 */
import { bybitSignature } from '../../api/sign';
import type { ApiContext, PrivateStreamSpec, StreamEvent } from '../../api/types';
import { apiStreamUrl } from '../endpoints';

/** The auth frame for `expires` (ms epoch, in the future). */
export async function bybitAuthFrame(ctx: Pick<ApiContext, 'key'>, expires: number): Promise<string> {
  const sig = await bybitSignature(ctx.key, `GET/realtime${expires}`);
  return JSON.stringify({ req_id: 'auth', op: 'auth', args: [ctx.key.apiKey, expires, sig] });
}

/** Meaning of one private-stream frame. */
export function bybitStreamEvent(frame: string): StreamEvent {
  let m: { op?: unknown; success?: unknown; topic?: unknown };
  try {
    m = JSON.parse(frame) as typeof m;
  } catch {
    return 'ignore';
  }
  if (m.op === 'auth') return m.success === true ? 'login-ok' : 'auth-failed';
  return typeof m.topic === 'string' && /^(position|wallet|order)(\.|$)/.test(m.topic) ? 'update' : 'ignore';
}

export const BYBIT_STREAM: PrivateStreamSpec = {
  async url(ctx) {
    return apiStreamUrl('bybit', '/v5/private', ctx.override);
  },
  async hello(ctx) {
    return [await bybitAuthFrame(ctx, Math.trunc(ctx.now()) + 10_000)];
  },
  afterLogin: () => [JSON.stringify({ req_id: 'sub', op: 'subscribe', args: ['position', 'wallet'] })],
  ping: { everyMs: 20_000, message: () => JSON.stringify({ req_id: 'ping', op: 'ping' }) },
  classify: bybitStreamEvent,
};
