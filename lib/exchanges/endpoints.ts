/**
 * The one place that knows the exchanges' public network endpoints: WebSocket stream URLs
 * (mark prices) and REST bases (tier tables, Hyperliquid info). Everything that opens a
 * socket or calls `fetch` composes its URL here, so tests and the end-to-end harness can
 * point the real code at a loopback server.
 *
 * Override: an {@link EndpointOverride} (stored in `storage.local` under
 * `local:endpointOverride`, see lib/storage.ts) replaces every exchange host by one
 * loopback origin, and the real path is kept behind an exchange prefix:
 *   `wss://fstream.binance.com/market/stream?...`  →  `ws://127.0.0.1:PORT/binance-usdm/market/stream?...`
 *   `https://api.bybit.com/v5/market/risk-limit`   →  `http://127.0.0.1:PORT/bybit/v5/market/risk-limit`
 * Only loopback origins are accepted ({@link isLoopbackOrigin}); anything else is ignored, so a
 * tampered setting can never send subscriptions elsewhere; and production builds ignore the
 * override altogether ({@link ENDPOINT_OVERRIDE_ENABLED}). Defaults are the real exchange URLs
 * (./meta.ts).
 *
 * Sources: reference exchange-pages.md §6 (streams) and §7 (tier endpoints).
 */
import { EXCHANGES, type ExchangeId } from '../engine/exchanges';
import { EXCHANGE_META } from './meta';

function byExchange<T>(f: (id: ExchangeId) => T): Record<ExchangeId, T> {
  return Object.fromEntries(EXCHANGES.map((id) => [id, f(id)])) as Record<ExchangeId, T>;
}

/** Stream origin + path for each exchange's public mark-price WebSocket (from ./meta.ts). */
export const STREAM_ENDPOINTS: Readonly<Record<ExchangeId, { origin: string; path: string }>> = byExchange((id) => EXCHANGE_META[id].stream);

/** REST origins for public, keyless endpoints (tier tables, Hyperliquid info; from ./meta.ts). */
export const REST_ORIGINS: Readonly<Record<ExchangeId, string>> = byExchange((id) => EXCHANGE_META[id].restOrigin);

export { REST_HOST_PERMISSIONS } from './meta';

/**
 * True when this build honours an {@link EndpointOverride}: every build except production
 * (`wxt build` without `--mode`). Vite inlines `import.meta.env.MODE`, so in a production build
 * the override branches below are dead code and the minifier drops them: a stored override can
 * never redirect a released extension, loopback or not. The end-to-end harness builds with
 * `wxt build --mode e2e` (output `.output/chrome-mv3-e2e`); unit tests run in mode `test`.
 */
export const ENDPOINT_OVERRIDE_ENABLED: boolean = import.meta.env.MODE !== 'production';

/** Replaces all exchange hosts by one loopback origin (tests, end-to-end harness). */
export interface EndpointOverride {
  /** e.g. `ws://127.0.0.1:18080`; used for WebSockets. */
  stream?: string;
  /** e.g. `http://127.0.0.1:18080`; used for REST. */
  rest?: string;
}

/** True for `ws(s)://` or `http(s)://` origins on 127.0.0.1, [::1] or localhost, with no path. */
export function isLoopbackOrigin(origin: string | undefined): origin is string {
  if (!origin) return false;
  try {
    const u = new URL(origin);
    if (!['ws:', 'wss:', 'http:', 'https:'].includes(u.protocol)) return false;
    if (u.pathname !== '/' && u.pathname !== '') return false;
    return u.hostname === '127.0.0.1' || u.hostname === 'localhost' || u.hostname === '[::1]';
  } catch {
    return false;
  }
}

function trimSlash(s: string): string {
  return s.replace(/\/+$/, '');
}

/**
 * Full WebSocket URL for an exchange's public stream, with an optional query (without `?`).
 * @example streamUrl('bybit') === 'wss://stream.bybit.com/v5/public/linear'
 */
export function streamUrl(exchange: ExchangeId, query = '', override?: EndpointOverride | null): string {
  const ep = STREAM_ENDPOINTS[exchange];
  const base = ENDPOINT_OVERRIDE_ENABLED && isLoopbackOrigin(override?.stream) ? `${trimSlash(override.stream)}/${exchange}${ep.path}` : `${ep.origin}${ep.path}`;
  return query ? `${base}?${query}` : base;
}

/**
 * Full REST URL for a public endpoint path (starting with `/`), with an optional query.
 * @example restUrl('okx', '/api/v5/public/position-tiers', 'instType=SWAP')
 */
export function restUrl(exchange: ExchangeId, path: string, query = '', override?: EndpointOverride | null): string {
  const base = ENDPOINT_OVERRIDE_ENABLED && isLoopbackOrigin(override?.rest) ? `${trimSlash(override.rest)}/${exchange}` : REST_ORIGINS[exchange];
  return `${base}${path}${query ? `?${query}` : ''}`;
}

/**
 * Full URL of the public candle endpoint (volatility): the exchange's candle origin (Binance
 * USDⓈ-M: fapi.binance.com), else its REST origin; under a loopback override, as {@link restUrl}.
 * @example candleUrl('binance-usdm', '/fapi/v1/markPriceKlines', 'symbol=BTCUSDT') === 'https://fapi.binance.com/fapi/v1/markPriceKlines?symbol=BTCUSDT'
 */
export function candleUrl(exchange: ExchangeId, path: string, query = '', override?: EndpointOverride | null): string {
  if (ENDPOINT_OVERRIDE_ENABLED && isLoopbackOrigin(override?.rest)) return restUrl(exchange, path, query, override);
  return `${EXCHANGE_META[exchange].candleOrigin ?? REST_ORIGINS[exchange]}${path}${query ? `?${query}` : ''}`;
}

/** Host of each exchange's futures page; content-script messages are accepted only from these (from ./meta.ts). */
export const PAGE_HOSTS: Readonly<Record<ExchangeId, string>> = byExchange((id) => EXCHANGE_META[id].pageHost);

/** A page to open when a notification is clicked and the exchange tab is gone (from ./meta.ts). */
export const TRADE_PAGES: Readonly<Record<ExchangeId, string>> = byExchange((id) => EXCHANGE_META[id].tradePage);
