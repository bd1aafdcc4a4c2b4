/**
 * Content-side registry of exchange page readers: `{ id, label, matches, isPage, read }`, built
 * from ./meta.ts and each exchange's `page.ts` and `reader.ts`. Light on purpose: the content
 * script imports it, so it must not pull stream, tier or REST code (a build test bounds the
 * content script's size). The worker-side registry is ./registry.ts; how to add an exchange is
 * described there.
 */
import type { ExchangeId } from '../engine/exchanges';
import { isBinanceUsdmPage } from './binance-usdm/page';
import { readBinanceUsdm } from './binance-usdm/reader';
import { isBybitPage } from './bybit/page';
import { readBybit } from './bybit/reader';
import type { ExchangePage } from './common/page';
import { isHyperliquidPage } from './hyperliquid/page';
import { readHyperliquid } from './hyperliquid/reader';
import { EXCHANGE_META } from './meta';
import { isOkxPage } from './okx/page';
import { readOkx } from './okx/reader';

export type { ExchangePage } from './common/page';

function page(id: ExchangeId, isPage: ExchangePage['isPage'], read: ExchangePage['read']): ExchangePage {
  const m = EXCHANGE_META[id];
  return { id, label: m.label, matches: m.matches, isPage, read };
}

/** The page reader of each exchange that has one (Binance COIN-M has none: see ./meta.ts). */
export const PAGE_READERS: Readonly<Partial<Record<ExchangeId, ExchangePage>>> = {
  'binance-usdm': page('binance-usdm', isBinanceUsdmPage, readBinanceUsdm),
  bybit: page('bybit', isBybitPage, readBybit),
  okx: page('okx', isOkxPage, readOkx),
  hyperliquid: page('hyperliquid', isHyperliquidPage, readHyperliquid),
};

/** Every page reader, in a fixed order. */
export const EXCHANGE_PAGES: readonly ExchangePage[] = Object.values(PAGE_READERS).filter((p): p is ExchangePage => p !== undefined);

/** The reader for a URL, or null when no reader claims it. */
export function pageFor(url: string | URL): ExchangePage | null {
  return EXCHANGE_PAGES.find((p) => p.isPage(url)) ?? null;
}
