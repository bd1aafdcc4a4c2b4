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
import { BINANCE_SPOT_STREAM } from './binance-margin/stream';
import { EXCHANGES, type ExchangeId } from '../engine/exchanges';
import { EXCHANGE_META } from './meta';
import { API_ACCOUNT, API_ORIGINS, API_STREAM_ORIGINS, type ApiExchange } from '../api/exchanges';

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
// `?.`: scripts run by tsx (npm run demo) have no `import.meta.env`; Vite still inlines it in builds.
export const ENDPOINT_OVERRIDE_ENABLED: boolean = import.meta.env?.MODE !== 'production';

/** Replaces all exchange hosts by one loopback origin (tests, end-to-end harness). */
export interface EndpointOverride {
  /** e.g. `ws://127.0.0.1:18080`; used for WebSockets. */
  stream?: string;
  /** e.g. `http://127.0.0.1:18080`; used for REST. */
  rest?: string;
  /** Private user-data WebSockets of the read-only API connection; defaults to `stream`. */
  privateStream?: string;
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
 * Full WebSocket URL of Binance's public SPOT stream (spot margin prices,
 * ./binance-margin/stream.ts), under the same loopback override as the futures streams
 * (`<override>/binance-spot/stream`).
 * @example spotStreamUrl('streams=btcusdt@miniTicker') === 'wss://stream.binance.com:9443/stream?streams=btcusdt@miniTicker'
 */
export function spotStreamUrl(query = '', override?: EndpointOverride | null): string {
  const ep = BINANCE_SPOT_STREAM;
  const base = ENDPOINT_OVERRIDE_ENABLED && isLoopbackOrigin(override?.stream) ? `${trimSlash(override.stream)}/binance-spot${ep.path}` : `${ep.origin}${ep.path}`;
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
 * Full URL of the public candle endpoint (volatility), on the exchange's REST origin (Binance
 * USDⓈ-M: www.binance.com, which serves the `/fapi/v1/` market endpoints as its web app uses them,
 * so no further host permission); under a loopback override, as {@link restUrl}.
 * @example candleUrl('bybit', '/v5/market/mark-price-kline', 'symbol=BTCUSDT') === 'https://api.bybit.com/v5/market/mark-price-kline?symbol=BTCUSDT'
 */
export function candleUrl(exchange: ExchangeId, path: string, query = '', override?: EndpointOverride | null): string {
  return restUrl(exchange, path, query, override);
}

/** Host of each exchange's futures page; content-script messages are accepted only from these (from ./meta.ts). */
export const PAGE_HOSTS: Readonly<Record<ExchangeId, string>> = byExchange((id) => EXCHANGE_META[id].pageHost);

/** A page to open when a notification is clicked and the exchange tab is gone (from ./meta.ts). */
export const TRADE_PAGES: Readonly<Record<ExchangeId, string>> = byExchange((id) => EXCHANGE_META[id].tradePage);

/**
 * Origin for the private account API of `exchange` in `role` (issue 18, lib/api/exchanges.ts), e.g.
 * `apiOrigin('binance', 'fapi') === 'https://fapi.binance.com'`. Under a loopback override the
 * exchange's account id is the prefix, as for the public REST: `http://127.0.0.1:PORT/binance-usdm`
 * (the paths `/sapi`, `/fapi`, `/v5`, `/api/v5` tell the hosts apart). Callers append the path.
 */
export function apiOrigin<X extends ApiExchange>(exchange: X, role: keyof (typeof API_ORIGINS)[X], override?: EndpointOverride | null): string {
  if (ENDPOINT_OVERRIDE_ENABLED && isLoopbackOrigin(override?.rest)) return `${trimSlash(override.rest)}/${API_ACCOUNT[exchange]}`;
  return (API_ORIGINS[exchange] as Record<PropertyKey, string>)[role as PropertyKey]!;
}

/**
 * URL of an exchange's private user-data WebSocket: `path` on its stream origin (lib/api/exchanges.ts),
 * or under a loopback `override.privateStream` (else `override.stream`) as `ws://127.0.0.1:PORT/<account id><path>`.
 * @example apiStreamUrl('bybit', '/v5/private') === 'wss://stream.bybit.com/v5/private'
 */
export function apiStreamUrl(exchange: ApiExchange, path: string, override?: EndpointOverride | null): string {
  const origin = override?.privateStream ?? override?.stream;
  if (ENDPOINT_OVERRIDE_ENABLED && isLoopbackOrigin(origin)) return `${trimSlash(origin)}/${API_ACCOUNT[exchange]}${path}`;
  return `${API_STREAM_ORIGINS[exchange]}${path}`;
}
