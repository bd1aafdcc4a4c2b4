/**
 * Hyperliquid trading page: `https://app.hyperliquid.xyz/trade` (optionally `/trade/<COIN>`).
 * Pure; tested with the examples below.
 */
import { isHttpsPageOn } from '../common/url';

/** True for `https://app.hyperliquid.xyz/trade` and `/trade/<coin>`; not the testnet, not other app pages. */
export function isHyperliquidPage(url: string | URL): boolean {
  return isHttpsPageOn(url, 'app.hyperliquid.xyz', /^\/trade(?:\/[A-Za-z0-9:@_-]{1,40})?\/?$/);
}

export const HYPERLIQUID_EXAMPLES = {
  match: ['https://app.hyperliquid.xyz/trade', 'https://app.hyperliquid.xyz/trade/ETH', 'https://app.hyperliquid.xyz/trade?tab=positions'],
  noMatch: [
    'https://app.hyperliquid.xyz/portfolio',
    'https://app.hyperliquid.xyz/vaults',
    'https://app.hyperliquid-testnet.xyz/trade',
    'https://hyperliquid.xyz/trade',
    'https://app.hyperliquid.xyz.evil.example/trade',
    'https://app-hyperliquid.xyz/trade',
    'http://app.hyperliquid.xyz/trade',
  ],
};
