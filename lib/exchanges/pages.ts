/**
 * Content-side registry of exchange page readers: `{ id, label, matches, isPage, read }`.
 * Adding an exchange = adding a folder under lib/exchanges/<id>/ and one entry here.
 */
import type { ExchangeId } from '../engine/snapshot';
import { EXCHANGE_NAMES } from '../engine/exchanges';
import { BINANCE_USDM_MATCHES, isBinanceUsdmPage } from './binance-usdm/page';
import { readBinanceUsdm } from './binance-usdm/reader';
import { BYBIT_MATCHES, isBybitPage } from './bybit/page';
import { readBybit } from './bybit/reader';
import type { PageRead, ReadOptions } from './common/reader';
import { HYPERLIQUID_MATCHES, isHyperliquidPage } from './hyperliquid/page';
import { readHyperliquid } from './hyperliquid/reader';
import { OKX_MATCHES, isOkxPage } from './okx/page';
import { readOkx } from './okx/reader';

export interface ExchangePage {
  id: ExchangeId;
  /** Human name for the UI. */
  label: string;
  /** Content-script match patterns for the exchange's host. */
  matches: readonly string[];
  /** Pure URL test: is this the futures page this reader understands? */
  isPage(url: string | URL): boolean;
  /** Read the page: snapshot (null if unrecognised) + health + panels to observe. */
  read(doc: Document, url: string, opts?: ReadOptions): PageRead;
}

export const EXCHANGE_PAGES: readonly ExchangePage[] = [
  { id: 'binance-usdm', label: EXCHANGE_NAMES['binance-usdm'], matches: BINANCE_USDM_MATCHES, isPage: isBinanceUsdmPage, read: readBinanceUsdm },
  { id: 'bybit', label: EXCHANGE_NAMES.bybit, matches: BYBIT_MATCHES, isPage: isBybitPage, read: readBybit },
  { id: 'okx', label: EXCHANGE_NAMES.okx, matches: OKX_MATCHES, isPage: isOkxPage, read: readOkx },
  { id: 'hyperliquid', label: EXCHANGE_NAMES.hyperliquid, matches: HYPERLIQUID_MATCHES, isPage: isHyperliquidPage, read: readHyperliquid },
];

/** The reader for a URL, or null when no reader claims it. */
export function pageFor(url: string | URL): ExchangePage | null {
  return EXCHANGE_PAGES.find((p) => p.isPage(url)) ?? null;
}
