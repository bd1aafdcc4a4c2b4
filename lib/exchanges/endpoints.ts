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
 * tampered setting can never send subscriptions elsewhere. Defaults are the real exchange URLs.
 *
 * Sources: reference exchange-pages.md §6 (streams) and §7 (tier endpoints).
 */
import type { ExchangeId } from '../engine/snapshot';

/** Stream origin + path for each exchange's public mark-price WebSocket. */
export const STREAM_ENDPOINTS: Record<ExchangeId, { origin: string; path: string }> = {
  // Binance 2026 split: mark price lives on /market (https://developers.binance.com/docs/derivatives/usds-margined-futures/websocket-market-streams)
  'binance-usdm': { origin: 'wss://fstream.binance.com', path: '/market/stream' },
  // COIN-M (inverse): https://developers.binance.com/docs/derivatives/coin-margined-futures/websocket-market-streams
  'binance-coinm': { origin: 'wss://dstream.binance.com', path: '/stream' },
  bybit: { origin: 'wss://stream.bybit.com', path: '/v5/public/linear' },
  okx: { origin: 'wss://ws.okx.com:8443', path: '/ws/v5/public' },
  hyperliquid: { origin: 'wss://api.hyperliquid.xyz', path: '/ws' },
};

/** REST origins for public, keyless endpoints (tier tables, Hyperliquid info). */
export const REST_ORIGINS: Record<ExchangeId, string> = {
  'binance-usdm': 'https://www.binance.com',
  'binance-coinm': 'https://www.binance.com',
  bybit: 'https://api.bybit.com',
  okx: 'https://www.okx.com',
  hyperliquid: 'https://api.hyperliquid.xyz',
};

/** Host permissions the background needs for {@link REST_ORIGINS} (WebSockets need none in MV3). */
export const REST_HOST_PERMISSIONS = [...new Set(Object.values(REST_ORIGINS))].map((o) => `${o}/*`);

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
  const base = isLoopbackOrigin(override?.stream) ? `${trimSlash(override.stream)}/${exchange}${ep.path}` : `${ep.origin}${ep.path}`;
  return query ? `${base}?${query}` : base;
}

/**
 * Full REST URL for a public endpoint path (starting with `/`), with an optional query.
 * @example restUrl('okx', '/api/v5/public/position-tiers', 'instType=SWAP')
 */
export function restUrl(exchange: ExchangeId, path: string, query = '', override?: EndpointOverride | null): string {
  const base = isLoopbackOrigin(override?.rest) ? `${trimSlash(override.rest)}/${exchange}` : REST_ORIGINS[exchange];
  return `${base}${path}${query ? `?${query}` : ''}`;
}

/** Host of each exchange's futures page; content-script messages are accepted only from these. */
export const PAGE_HOSTS: Record<ExchangeId, string> = {
  'binance-usdm': 'www.binance.com',
  'binance-coinm': 'www.binance.com',
  bybit: 'www.bybit.com',
  okx: 'www.okx.com',
  hyperliquid: 'app.hyperliquid.xyz',
};

/** A page to open when a notification is clicked and the exchange tab is gone. */
export const TRADE_PAGES: Record<ExchangeId, string> = {
  'binance-usdm': 'https://www.binance.com/en/futures/BTCUSDT',
  'binance-coinm': 'https://www.binance.com/en/delivery/btcusd_perpetual',
  bybit: 'https://www.bybit.com/trade/usdt/BTCUSDT',
  okx: 'https://www.okx.com/trade-swap/btc-usdt-swap',
  hyperliquid: 'https://app.hyperliquid.xyz/trade',
};
