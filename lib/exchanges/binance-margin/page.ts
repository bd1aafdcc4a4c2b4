/**
 * Binance spot margin pages: the margin trading page (Cross and Isolated tabs) and the margin
 * wallet overview. Pure; tested with the example URLs below.
 *
 * - Trading page: `https://www.binance.com/<locale>/trade/<BASE>_<QUOTE>?type=cross|isolated`
 *   (URL shape from public scraping code and Binance's own menu link `…/trade?type=cross`,
 *   account-apis.md §2.8.5; the isolated variant `type=isolated` is a guess).
 * - Wallet overview: `https://www.binance.com/<locale>/my/wallet/account/margin` (Cross) and
 *   `…/margin/isolated` (GUESSED paths).
 */
import { isHttpsPageOn } from '../common/url';

const TRADE_RE = /^\/[a-z]{2}(?:-[A-Za-z]{2,4})?\/trade\/[A-Z0-9]{2,20}_[A-Z0-9]{2,10}\/?$/;
const WALLET_RE = /^\/[a-z]{2}(?:-[A-Za-z]{2,4})?\/my\/wallet\/account\/margin(?:\/isolated)?\/?$/;

/** Which margin account a page shows, or null when it is not a Binance margin page. */
export function binanceMarginMode(url: string | URL): 'cross' | 'isolated' | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (isHttpsPageOn(u, 'www.binance.com', TRADE_RE)) {
    const type = u.searchParams.get('type');
    return type === 'cross' ? 'cross' : type === 'isolated' ? 'isolated' : null;
  }
  if (isHttpsPageOn(u, 'www.binance.com', WALLET_RE)) return /\/isolated\/?$/.test(u.pathname) ? 'isolated' : 'cross';
  return null;
}

/** True for a Binance Cross or Isolated Margin trading page or margin wallet overview. */
export function isBinanceMarginPage(url: string | URL): boolean {
  return binanceMarginMode(url) !== null;
}

/** The pair a trading page shows, as a symbol (`BTCUSDT`), or null (wallet overview). */
export function binanceMarginPair(url: string | URL): { symbol: string; base: string; quote: string } | null {
  try {
    const m = /\/trade\/([A-Z0-9]{2,20})_([A-Z0-9]{2,10})\/?$/.exec(new URL(url).pathname);
    return m ? { symbol: m[1]! + m[2]!, base: m[1]!, quote: m[2]! } : null;
  } catch {
    return null;
  }
}

/** Example URLs (kept next to the predicate, checked by tests). */
export const BINANCE_MARGIN_EXAMPLES = {
  cross: [
    'https://www.binance.com/en/trade/BTC_USDT?type=cross',
    'https://www.binance.com/zh-CN/trade/ETH_BTC?type=cross&_from=markets',
    'https://www.binance.com/en/my/wallet/account/margin',
  ],
  isolated: ['https://www.binance.com/en/trade/BTC_USDT?type=isolated', 'https://www.binance.com/en-TR/my/wallet/account/margin/isolated'],
  noMatch: [
    'https://www.binance.com/en/trade/BTC_USDT?type=spot',
    'https://www.binance.com/en/trade/BTC_USDT',
    'https://www.binance.com/en/futures/BTCUSDT',
    'http://www.binance.com/en/trade/BTC_USDT?type=cross',
    'https://www.binance.com.evil.example/en/trade/BTC_USDT?type=cross',
    'https://www.binance.us/en/trade/BTC_USDT?type=cross',
    'https://www.binance.com/en/my/wallet/account/main',
    'https://www.binance.com/en/my/settings/api-management',
  ],
};
