/**
 * The exchanges whose private account API the optional read-only connection uses (issue 18), and
 * their API hosts. Light on purpose (imported by wxt.config.ts for `optional_host_permissions`, and
 * by the options page): no valibot, no decimal.js.
 *
 * Hosts: Binance `api.binance.com` (`/sapi`, key permissions) and `fapi.binance.com` (USDⓈ-M
 * account), https://developers.binance.com/docs/derivatives/usds-margined-futures/general-info;
 * Bybit `api.bybit.com`, https://bybit-exchange.github.io/docs/v5/guide; OKX `www.okx.com`,
 * https://www.okx.com/docs-v5/en/#overview-production-trading-services.
 */
import type { ExchangeId } from '../engine/exchanges';

export const API_EXCHANGES = ['binance', 'bybit', 'okx'] as const;
export type ApiExchange = (typeof API_EXCHANGES)[number];

/** The monitored account kind each connection feeds (Binance: USDⓈ-M futures only). */
export const API_ACCOUNT: Readonly<Record<ApiExchange, ExchangeId>> = { binance: 'binance-usdm', bybit: 'bybit', okx: 'okx' };

/** Names for the options page. */
export const API_NAMES: Readonly<Record<ApiExchange, string>> = { binance: 'Binance USDⓈ-M futures', bybit: 'Bybit (Unified account)', okx: 'OKX' };

/** REST origins per exchange and role. */
export const API_ORIGINS = {
  binance: { sapi: 'https://api.binance.com', fapi: 'https://fapi.binance.com' },
  bybit: { rest: 'https://api.bybit.com' },
  okx: { rest: 'https://www.okx.com' },
} as const;
export type ApiRole<X extends ApiExchange> = keyof (typeof API_ORIGINS)[X];

/**
 * Private user-data WebSocket origins (no host permission needed for WebSockets in MV3):
 * Binance `wss://fstream.binance.com/private/ws/<listenKey>`
 * (https://developers.binance.com/docs/derivatives/usds-margined-futures/user-data-streams),
 * Bybit `wss://stream.bybit.com/v5/private` (https://bybit-exchange.github.io/docs/v5/ws/connect),
 * OKX `wss://ws.okx.com:8443/ws/v5/private` (https://www.okx.com/docs-v5/en/#overview-websocket-connect).
 */
export const API_STREAM_ORIGINS: Readonly<Record<ApiExchange, string>> = {
  binance: 'wss://fstream.binance.com',
  bybit: 'wss://stream.bybit.com',
  okx: 'wss://ws.okx.com:8443',
};

/** Host permission patterns one connection needs, requested from the options page at connect time. */
export const API_HOST_PERMISSIONS: Readonly<Record<ApiExchange, readonly string[]>> = {
  binance: [`${API_ORIGINS.binance.sapi}/*`, `${API_ORIGINS.binance.fapi}/*`],
  bybit: [`${API_ORIGINS.bybit.rest}/*`],
  okx: [`${API_ORIGINS.okx.rest}/*`],
};

/** Key of an API-fed account in the account store (never collides with page keys, which start with the exchange id). */
export function apiAccountKey(exchange: ApiExchange): string {
  return `api:${exchange}`;
}
