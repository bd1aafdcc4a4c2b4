/**
 * The one table of exchange facts that are plain strings: name, page host, content-script match
 * patterns, a trade page to open, the public REST origin and the mark-price stream endpoint.
 * Everything else derives from it: wxt.config.ts (content `matches`, `host_permissions`),
 * ./endpoints.ts (URLs, accepted page hosts), ./pages.ts (content-side registry),
 * ./registry.ts (worker-side registry).
 *
 * Light on purpose: imported by wxt.config.ts (Node, at build time) and by both content scripts,
 * so it imports nothing but the exchange id list (no decimal.js, valibot, stream or tier code).
 *
 * Least privilege (README "Privacy"): content scripts run only on `https://` futures/trade paths
 * that a reader supports (never login, withdrawal or API-key pages); page detection inside them
 * (`<id>/page.ts`) is stricter still.
 */
import { EXCHANGE_NAMES, EXCHANGES, type ExchangeId } from '../engine/exchanges';

export interface ExchangeMeta {
  id: ExchangeId;
  /** Name as traders know it (engine/exchanges.ts EXCHANGE_NAMES). */
  label: string;
  /** Host of the exchange's futures page; content-script messages are accepted only from it. */
  pageHost: string;
  /**
   * Content-script match patterns (https only, trade paths only). Empty when no page reader exists
   * for this account kind (Binance COIN-M: monitored through its stream and tiers only).
   */
  matches: readonly string[];
  /** A page to open when a notification is clicked and the exchange tab is gone. */
  tradePage: string;
  /** Origin of the public, keyless REST endpoints used (tier tables, Hyperliquid info). */
  restOrigin: string;
  /** Public mark-price WebSocket: origin and path (query added per connection). */
  stream: { origin: string; path: string };
}

/** Every exchange's facts. Sources: reference exchange-pages.md §6 (streams), §7 (tier endpoints). */
export const EXCHANGE_META: Readonly<Record<ExchangeId, ExchangeMeta>> = {
  'binance-usdm': {
    id: 'binance-usdm',
    label: EXCHANGE_NAMES['binance-usdm'],
    pageHost: 'www.binance.com',
    // `/<locale>/futures/<SYMBOL>` (./binance-usdm/page.ts).
    matches: ['https://www.binance.com/*/futures/*'],
    tradePage: 'https://www.binance.com/en/futures/BTCUSDT',
    restOrigin: 'https://www.binance.com',
    // Binance 2026 split: mark price lives on /market (https://developers.binance.com/docs/derivatives/usds-margined-futures/websocket-market-streams)
    stream: { origin: 'wss://fstream.binance.com', path: '/market/stream' },
  },
  'binance-coinm': {
    id: 'binance-coinm',
    label: EXCHANGE_NAMES['binance-coinm'],
    pageHost: 'www.binance.com',
    matches: [],
    tradePage: 'https://www.binance.com/en/delivery/btcusd_perpetual',
    restOrigin: 'https://www.binance.com',
    // COIN-M (inverse): https://developers.binance.com/docs/derivatives/coin-margined-futures/websocket-market-streams
    stream: { origin: 'wss://dstream.binance.com', path: '/stream' },
  },
  bybit: {
    id: 'bybit',
    label: EXCHANGE_NAMES.bybit,
    pageHost: 'www.bybit.com',
    // `[/<locale>]/trade/usdt/<SYMBOL>` (./bybit/page.ts).
    matches: ['https://www.bybit.com/trade/usdt/*', 'https://www.bybit.com/*/trade/usdt/*'],
    tradePage: 'https://www.bybit.com/trade/usdt/BTCUSDT',
    restOrigin: 'https://api.bybit.com',
    stream: { origin: 'wss://stream.bybit.com', path: '/v5/public/linear' },
  },
  okx: {
    id: 'okx',
    label: EXCHANGE_NAMES.okx,
    pageHost: 'www.okx.com',
    // `[/<locale>]/trade-swap/<inst>` (./okx/page.ts).
    matches: ['https://www.okx.com/trade-swap/*', 'https://www.okx.com/*/trade-swap/*'],
    tradePage: 'https://www.okx.com/trade-swap/btc-usdt-swap',
    restOrigin: 'https://www.okx.com',
    stream: { origin: 'wss://ws.okx.com:8443', path: '/ws/v5/public' },
  },
  hyperliquid: {
    id: 'hyperliquid',
    label: EXCHANGE_NAMES.hyperliquid,
    pageHost: 'app.hyperliquid.xyz',
    // `/trade` and `/trade/<coin>` (./hyperliquid/page.ts).
    matches: ['https://app.hyperliquid.xyz/trade*'],
    tradePage: 'https://app.hyperliquid.xyz/trade',
    restOrigin: 'https://api.hyperliquid.xyz',
    stream: { origin: 'wss://api.hyperliquid.xyz', path: '/ws' },
  },
};

/** Every content-script match pattern (both content scripts use this list), without repeats. */
export const CONTENT_MATCHES: readonly string[] = [...new Set(EXCHANGES.flatMap((id) => EXCHANGE_META[id].matches))];

/**
 * Host permissions the background needs for its public REST fetches (`<restOrigin>/*`, without
 * repeats). WebSockets need none in MV3.
 */
export const REST_HOST_PERMISSIONS: readonly string[] = [...new Set(EXCHANGES.map((id) => `${EXCHANGE_META[id].restOrigin}/*`))];

/**
 * Content-script matches of the spot margin reader (entrypoints/margin.content.ts): Binance trade
 * pages (the script itself reads only `?type=cross|isolated`, ./binance-margin/page.ts) and the
 * margin wallet overview. https only, never sign-in, withdrawal or API-key pages.
 */
export const MARGIN_CONTENT_MATCHES: readonly string[] = ['https://www.binance.com/*/trade/*', 'https://www.binance.com/*/my/wallet/account/margin*'];
