/**
 * Page detection (pure URL predicates with example URLs, including look-alikes) and the
 * content-side registry.
 */
import { describe, expect, it } from 'vitest';
import { BINANCE_USDM_EXAMPLES, isBinanceUsdmPage } from '../../lib/exchanges/binance-usdm/page';
import { BYBIT_EXAMPLES, isBybitPage } from '../../lib/exchanges/bybit/page';
import { HYPERLIQUID_EXAMPLES, isHyperliquidPage } from '../../lib/exchanges/hyperliquid/page';
import { OKX_EXAMPLES, isOkxPage } from '../../lib/exchanges/okx/page';
import { EXCHANGE_PAGES, pageFor } from '../../lib/exchanges/pages';
import { EXCHANGE_PAGE_MATCHES } from '../../wxt.config';
import { CONTENT_MATCHES } from '../../lib/exchanges/content-matches';

const CASES = [
  ['binance-usdm', isBinanceUsdmPage, BINANCE_USDM_EXAMPLES],
  ['bybit', isBybitPage, BYBIT_EXAMPLES],
  ['okx', isOkxPage, OKX_EXAMPLES],
  ['hyperliquid', isHyperliquidPage, HYPERLIQUID_EXAMPLES],
] as const;

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
});

describe('registry', () => {
  it('has unique ids and no URL claimed by two readers', () => {
    expect(new Set(EXCHANGE_PAGES.map((p) => p.id)).size).toBe(EXCHANGE_PAGES.length);
    for (const [, , ex] of CASES) {
      for (const url of ex.match) expect(EXCHANGE_PAGES.filter((p) => p.isPage(url))).toHaveLength(1);
    }
  });
  it('every reader host is covered by the manifest matches, and the content script uses exactly those', () => {
    expect([...CONTENT_MATCHES].sort()).toEqual([...EXCHANGE_PAGE_MATCHES].sort());
    expect(EXCHANGE_PAGES.flatMap((p) => p.matches).sort()).toEqual([...EXCHANGE_PAGE_MATCHES].sort());
  });
});
