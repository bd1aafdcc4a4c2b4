/**
 * Page detection (pure URL predicates with example URLs, including look-alikes), the content-side
 * registry, and least privilege of the content-script match patterns (lib/exchanges/meta.ts).
 */
import { MatchPattern } from '@webext-core/match-patterns';
import { describe, expect, it } from 'vitest';
import { BINANCE_USDM_EXAMPLES, isBinanceUsdmPage } from '../../lib/exchanges/binance-usdm/page';
import { BYBIT_EXAMPLES, isBybitPage } from '../../lib/exchanges/bybit/page';
import { HYPERLIQUID_EXAMPLES, isHyperliquidPage } from '../../lib/exchanges/hyperliquid/page';
import { CONTENT_MATCHES, EXCHANGE_META } from '../../lib/exchanges/meta';
import { OKX_EXAMPLES, isOkxPage } from '../../lib/exchanges/okx/page';
import { EXCHANGE_PAGES, pageFor } from '../../lib/exchanges/pages';

const CASES = [
  ['binance-usdm', isBinanceUsdmPage, BINANCE_USDM_EXAMPLES],
  ['bybit', isBybitPage, BYBIT_EXAMPLES],
  ['okx', isOkxPage, OKX_EXAMPLES],
  ['hyperliquid', isHyperliquidPage, HYPERLIQUID_EXAMPLES],
] as const;

const inContentMatches = (url: string) => CONTENT_MATCHES.some((p) => new MatchPattern(p).includes(url));

describe.each(CASES)('%s page detection', (id, isPage, examples) => {
  it.each(examples.match)('matches %s', (url) => {
    expect(isPage(url)).toBe(true);
    expect(pageFor(url)?.id).toBe(id);
  });
  it.each(examples.noMatch)('does not match %s', (url) => {
    expect(isPage(url)).toBe(false);
  });
  it('rejects garbage input without throwing', () => {
    expect(isPage('not a url')).toBe(false);
    expect(isPage('')).toBe(false);
  });
  it("every example page lies inside the exchange's own content-script match patterns", () => {
    const patterns = EXCHANGE_META[id].matches.map((p) => new MatchPattern(p));
    for (const url of examples.match) expect(patterns.some((p) => p.includes(url)), url).toBe(true);
  });
});

describe('registry', () => {
  it('has unique ids and no URL claimed by two readers', () => {
    expect(new Set(EXCHANGE_PAGES.map((p) => p.id)).size).toBe(EXCHANGE_PAGES.length);
    for (const [, , ex] of CASES) {
      for (const url of ex.match) expect(EXCHANGE_PAGES.filter((p) => p.isPage(url))).toHaveLength(1);
    }
  });
  it('the content-side registry carries the matches of the one exchange table', () => {
    for (const p of EXCHANGE_PAGES) expect(p.matches).toBe(EXCHANGE_META[p.id].matches);
    expect([...CONTENT_MATCHES].sort()).toEqual([...new Set(EXCHANGE_PAGES.flatMap((p) => p.matches))].sort());
  });
});

describe('content scripts: least privilege (issue 12)', () => {
  it('every pattern is https-only on one exact host, with a trade path (no host-wide /*)', () => {
    for (const p of CONTENT_MATCHES) {
      expect(p).toMatch(/^https:\/\/[a-z0-9.-]+\//);
      expect(p, p).not.toMatch(/^https:\/\/[^/]+\/\*$/);
    }
  });
  // Pages where a content script has no business: sign-in, withdrawal, API keys, security, the
  // plain-http twins of the trade pages, and other products on the same hosts.
  const SENSITIVE = [
    'https://www.binance.com/en/login',
    'https://accounts.binance.com/en/login',
    'https://www.binance.com/en/my/wallet/account/main/withdrawal/crypto/BTC',
    'https://www.binance.com/en/my/settings/api-management',
    'https://www.binance.com/en/my/security',
    'https://www.binance.com/en/trade/BTC_USDT',
    'http://www.binance.com/en/futures/BTCUSDT',
    'https://www.bybit.com/login',
    'https://www.bybit.com/user/assets/withdraw',
    'https://www.bybit.com/app/user/api-management',
    'https://www.bybit.com/en/trade/spot/BTC/USDT',
    'http://www.bybit.com/trade/usdt/BTCUSDT',
    'https://www.okx.com/account/login',
    'https://www.okx.com/balance/withdrawal',
    'https://www.okx.com/account/my-api',
    'https://www.okx.com/trade-spot/btc-usdt',
    'http://www.okx.com/trade-swap/btc-usdt-swap',
    'https://app.hyperliquid.xyz/portfolio',
    'https://app.hyperliquid.xyz/API',
    'https://app.hyperliquid.xyz/vaults',
    'http://app.hyperliquid.xyz/trade',
  ];
  it.each(SENSITIVE)('no content script runs on %s', (url) => {
    expect(inContentMatches(url)).toBe(false);
  });
});
