/**
 * Content-script match patterns. A copy of `EXCHANGE_PAGE_MATCHES` in wxt.config.ts: importing
 * the config file into the content script would pull the build tooling into the bundle.
 * test/exchanges/pages.test.ts checks the two lists are equal.
 */
export const CONTENT_MATCHES = ['*://www.binance.com/*', '*://www.bybit.com/*', '*://www.okx.com/*', '*://app.hyperliquid.xyz/*'];
