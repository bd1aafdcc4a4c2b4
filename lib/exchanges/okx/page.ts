/**
 * OKX perpetual swap trading page: `https://www.okx.com/trade-swap/<inst>` (e.g. `btc-usdt-swap`),
 * optionally under a locale segment. Pure; tested with the examples below.
 */
import { isHttpsPageOn } from '../common/url';

/** True for `https://www.okx.com[/<locale>]/trade-swap/<base>-<quote>-swap` (USDT/USDC linear swaps). */
export function isOkxPage(url: string | URL): boolean {
  return isHttpsPageOn(url, 'www.okx.com', /^(?:\/[a-z]{2}(?:-[a-z]{2,4})?)?\/trade-swap\/[a-z0-9]{1,20}-(?:usdt|usdc)-swap\/?$/i);
}

export const OKX_EXAMPLES = {
  match: [
    'https://www.okx.com/trade-swap/btc-usdt-swap',
    'https://www.okx.com/trade-swap/ETH-USDT-SWAP',
    'https://www.okx.com/zh-hans/trade-swap/sol-usdc-swap',
  ],
  noMatch: [
    'https://www.okx.com/trade-swap/btc-usd-swap',
    'https://www.okx.com/trade-futures/btc-usdt-250926',
    'https://www.okx.com/trade-spot/btc-usdt',
    'https://www.okx.com/trade-swap/',
    'https://www.okx.com.evil.example/trade-swap/btc-usdt-swap',
    'https://okx.com.phish.io/trade-swap/btc-usdt-swap',
    'https://www.okx.cab/trade-swap/btc-usdt-swap',
    'http://www.okx.com/trade-swap/btc-usdt-swap',
  ],
};
