/**
 * Binance USDⓈ-M user-data stream (issue 18), as a trigger for REST reads:
 * `POST /fapi/v1/listenKey` (USER_STREAM: API key header only, no signature) → connect
 * `wss://fstream.binance.com/private/ws/<listenKey>`; keep the key alive with `PUT /fapi/v1/listenKey`
 * every 30 min (valid 60 min); a connection lives at most 24 h; `listenKeyExpired` → new key.
 * https://developers.binance.com/docs/derivatives/usds-margined-futures/user-data-streams
 * https://developers.binance.com/docs/derivatives/usds-margined-futures/user-data-streams/Start-User-Data-Stream
 * https://developers.binance.com/docs/derivatives/usds-margined-futures/user-data-streams/Keepalive-User-Data-Stream
 * Events that change the account: `ACCOUNT_UPDATE`, `ORDER_TRADE_UPDATE`, `ALGO_UPDATE`, `MARGIN_CALL`,
 * `ACCOUNT_CONFIG_UPDATE`. The server sends ping frames (answered by the browser); no app-level ping.
 */
import * as v from 'valibot';
import { callApi } from '../../api/client';
import { binanceKeyOnly } from '../../api/sign';
import type { ApiContext, PrivateStreamSpec, StreamEvent } from '../../api/types';
import { apiOrigin, apiStreamUrl } from '../endpoints';
import { parseResponse } from '../common/rest';

const UPDATE_EVENTS = new Set(['ACCOUNT_UPDATE', 'ORDER_TRADE_UPDATE', 'ALGO_UPDATE', 'MARGIN_CALL', 'ACCOUNT_CONFIG_UPDATE']);

/** Meaning of one user-data frame. */
export function binanceStreamEvent(frame: string): StreamEvent {
  let e: unknown;
  try {
    e = (JSON.parse(frame) as { e?: unknown }).e;
  } catch {
    return 'ignore';
  }
  if (e === 'listenKeyExpired') return 'reconnect';
  return typeof e === 'string' && UPDATE_EVENTS.has(e) ? 'update' : 'ignore';
}

async function listenKey(ctx: ApiContext, method: 'POST' | 'PUT'): Promise<unknown> {
  const req = binanceKeyOnly(ctx.key.apiKey, `${apiOrigin('binance', 'fapi', ctx.override)}/fapi/v1/listenKey`, method);
  return callApi(ctx.fetch, req, `binance listenKey ${method}`);
}

export const BINANCE_STREAM: PrivateStreamSpec = {
  async url(ctx) {
    const { listenKey: key } = parseResponse(v.object({ listenKey: v.pipe(v.string(), v.regex(/^[A-Za-z0-9]{1,100}$/)) }), await listenKey(ctx, 'POST'), 'binance listenKey');
    return apiStreamUrl('binance', `/private/ws/${key}`, ctx.override);
  },
  async hello() {
    return [];
  },
  ping: null,
  classify: binanceStreamEvent,
  keepalive: {
    everyMs: 30 * 60_000,
    async run(ctx) {
      await listenKey(ctx, 'PUT');
    },
  },
  maxAgeMs: 23 * 60 * 60_000,
};
