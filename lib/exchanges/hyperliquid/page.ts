/**
 * Hyperliquid trading page: `https://app.hyperliquid.xyz/trade` (optionally `/trade/<COIN>`).
 * Pure; tested with the examples below.
 */

export const HYPERLIQUID_MATCHES = ['*://app.hyperliquid.xyz/*'];

/** True for `https://app.hyperliquid.xyz/trade` and `/trade/<coin>`; not the testnet, not other app pages. */
export function isHyperliquidPage(url: string | URL): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (u.protocol !== 'https:' || u.hostname !== 'app.hyperliquid.xyz') return false;
  return /^\/trade(?:\/[A-Za-z0-9:@_-]{1,40})?\/?$/.test(u.pathname);
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
