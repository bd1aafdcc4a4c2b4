/**
 * The exchange hosts the e2e harness serves on loopback, under their real names.
 *
 * Pages: the futures pages the content script runs on (lib/exchanges/meta.ts CONTENT_MATCHES).
 * Streams: the public mark-price WebSocket hosts (reference: exchange-pages.md §6). The
 * background's real stream code connects to these names; Chromium's host-resolver-rules
 * map them to our loopback server, and every other name fails to resolve.
 */

/** Exchanges as the stream server and scenarios name them. */
export const STREAM_EXCHANGES = ['binance', 'bybit', 'okx', 'hyperliquid'] as const;
export type StreamExchange = (typeof STREAM_EXCHANGES)[number];

export const PAGE_HOSTS = {
  binance: 'www.binance.com',
  bybit: 'www.bybit.com',
  okx: 'www.okx.com',
  hyperliquid: 'app.hyperliquid.xyz',
} as const satisfies Record<StreamExchange, string>;

export const STREAM_HOSTS = {
  binance: 'fstream.binance.com',
  bybit: 'stream.bybit.com',
  okx: 'ws.okx.com',
  hyperliquid: 'api.hyperliquid.xyz',
} as const satisfies Record<StreamExchange, string>;

/** Real futures-page URLs (exchange-pages.md §1–§4) and the fixture each one serves. */
export const EXCHANGE_PAGES = {
  binance: { url: 'https://www.binance.com/en/futures/BTCUSDT', fixture: 'binance-usdm.html' },
  bybit: { url: 'https://www.bybit.com/trade/usdt/BTCUSDT', fixture: 'bybit-linear.html' },
  okx: { url: 'https://www.okx.com/trade-swap/btc-usdt-swap', fixture: 'okx-swap.html' },
  hyperliquid: { url: 'https://app.hyperliquid.xyz/trade', fixture: 'hyperliquid.html' },
} as const satisfies Record<StreamExchange, { url: string; fixture: string }>;

export const ALL_HOSTS: string[] = [...Object.values(PAGE_HOSTS), ...Object.values(STREAM_HOSTS)];

/** Host header without its port (`ws.okx.com:8443` → `ws.okx.com`), lower case. */
export function hostOf(hostHeader: string | undefined): string {
  return (hostHeader ?? '').replace(/:\d+$/, '').toLowerCase();
}
