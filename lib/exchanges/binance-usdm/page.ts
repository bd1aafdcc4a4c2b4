/**
 * Binance USDⓈ-M futures trading page: `https://www.binance.com/<locale>/futures/<SYMBOL>`.
 * Pure; tested with the example URLs below (test/exchanges/pages.test.ts).
 */
import { isHttpsPageOn } from '../common/url';

/**
 * True for a Binance USDⓈ-M futures page: host www.binance.com, path `/<locale>/futures/<SYMBOL>`
 * (locale like `en`, `zh-CN`, `en-TR`). Not COIN-M (`/delivery/`, `/futures/...USD_PERP`),
 * not other hosts (binance.us, look-alikes), not `/futures/` info pages.
 */
export function isBinanceUsdmPage(url: string | URL): boolean {
  return isHttpsPageOn(url, 'www.binance.com', /^\/[a-z]{2}(?:-[A-Za-z]{2,4})?\/futures\/[A-Z0-9]{2,30}(?:USDT|USDC|BUSD|FDUSD)\/?$/);
}

/** Example URLs (kept next to the predicate, checked by tests). */
export const BINANCE_USDM_EXAMPLES = {
  match: [
    'https://www.binance.com/en/futures/BTCUSDT',
    'https://www.binance.com/zh-CN/futures/ETHUSDT',
    'https://www.binance.com/en/futures/1000PEPEUSDT?type=perpetual',
    'https://www.binance.com/en-TR/futures/BTCUSDC',
  ],
  noMatch: [
    'https://www.binance.com/en/futures/BTCUSD_PERP',
    'https://www.binance.com/en/delivery/BTCUSD_PERP',
    'https://www.binance.com/en/futures/trading-rules/perpetual/leverage-margin',
    'https://www.binance.com/en/trade/BTC_USDT',
    'https://www.binance.us/en/futures/BTCUSDT',
    'https://www.binance.com.evil.example/en/futures/BTCUSDT',
    'https://binance.com.phish.io/en/futures/BTCUSDT',
    'http://www.binance.com/en/futures/BTCUSDT',
    'https://www.binance.com/futures/BTCUSDT',
  ],
};
