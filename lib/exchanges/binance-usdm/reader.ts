/**
 * Binance USDⓈ-M futures page reader (reference exchange-pages.md §1).
 *
 * Positions: a div grid under the selected `Positions(N)` tab (`role="tab"`, `aria-controls`
 * → tabpanel); header labels from the design spec (`Symbol`, `Size`, `Entry Price`,
 * `Mark Price`, `Liq.Price`, `Margin Ratio`, `Margin`, `PNL(ROI %)` …). Symbol cell
 * `BTCUSDT Perp Cross 20x`. Direction: a minus sign on the size and/or the green/red colour
 * of the size and symbol cells, cross-checked with the PnL direction.
 * Account widget: `Margin Ratio` (MM ÷ margin balance), `Maintenance Margin`,
 * `Margin Balance`, `Wallet Balance`, `Unrealized PNL`, `Avbl`.
 * The isolated `Margin` column is taken as the isolated wallet (as in the shared fixture).
 */
import type { PageRead, ReadOptions, ReaderConfig } from '../common/reader/config';
import { readPage } from '../common/reader/page';
import { parseConcatSymbolCell } from '../common/symbols';

export const BINANCE_USDM_READER: ReaderConfig = {
  exchange: 'binance-usdm',
  reader: 'binance-usdm/dom@1',
  divGrid: true,
  tableScopes: ['[role="tabpanel"]'],
  positionsTab: /^Positions\s*(?:\((\d+)\))?$/i,
  // Open-orders tab and its count [A/B, E-B1/E-B2]: `Open Orders(N)`.
  ordersTab: /^Open Orders\s*(?:\((\d+)\))?$/i,
  // Open-orders table [A for a div grid of >= 10 cells, E-B1; column labels GUESSED C].
  openOrders: {
    tab: /^Open Orders\s*(?:\((\d+)\))?$/i,
    divGrid: true,
    columns: [
      { key: 'symbol', label: 'Symbol', synonyms: ['Symbol'], need: 'identity' },
      { key: 'type', label: 'Type', synonyms: ['Type'], need: 'identity' },
      { key: 'side', label: 'Side', synonyms: ['Side'], need: 'identity' },
      { key: 'price', label: 'Price', synonyms: ['Price'], need: 'display' },
      { key: 'size', label: 'Amount', synonyms: ['Amount'], need: 'display' },
      { key: 'trigger', label: 'Trigger Conditions', synonyms: ['Trigger Conditions'], need: 'engine' },
      { key: 'reduceOnly', label: 'Reduce Only', synonyms: ['Reduce Only'], need: 'display' },
    ],
  },
  emptyState: /You have no position/i,
  columns: [
    { key: 'symbol', label: 'Symbol', synonyms: ['Symbol', 'Contract'], need: 'identity' },
    { key: 'size', label: 'Size', synonyms: ['Size', 'Position Size'], need: 'identity' },
    { key: 'entry', label: 'Entry Price', synonyms: ['Entry Price', 'Entry', 'Avg. Entry Price'], need: 'identity' },
    { key: 'mark', label: 'Mark Price', synonyms: ['Mark Price', 'Mark'], need: 'engine' },
    { key: 'margin', label: 'Margin', synonyms: ['Margin'], need: 'engine' },
    { key: 'liq', label: 'Liq.Price', synonyms: ['Liq.Price', 'Liquidation Price', 'Est. Liq. Price', 'Est. Liquidation Price'], need: 'display' },
    { key: 'marginRatio', label: 'Margin Ratio', synonyms: ['Margin Ratio'], need: 'display' },
    { key: 'pnl', label: 'PNL(ROI %)', synonyms: ['PNL(ROI %)', 'PNL (ROI)', 'Unrealized PNL (ROI %)'], need: 'display' },
    { key: 'breakEven', label: 'Break Even Price', synonyms: ['Break Even Price', 'Break-even Price', 'Break Even'], need: 'display' },
    { key: 'tpsl', label: 'TP/SL for position', synonyms: ['TP/SL for position', 'TP/SL'], need: 'display' },
  ],
  account: [
    { key: 'walletBalance', label: 'Wallet Balance', synonyms: ['Wallet Balance'], need: 'engine' },
    { key: 'marginBalance', label: 'Margin Balance', synonyms: ['Margin Balance'], need: 'display' },
    { key: 'maintenanceMargin', label: 'Maintenance Margin', synonyms: ['Maintenance Margin'], need: 'display' },
    { key: 'marginRatio', label: 'Margin Ratio', synonyms: ['Margin Ratio'], need: 'display' },
    { key: 'unrealizedPnl', label: 'Unrealized PNL', synonyms: ['Unrealized PNL'], need: 'display' },
    { key: 'availableBalance', label: 'Avbl', synonyms: ['Avbl', 'Available', 'Available Balance'], need: 'display' },
  ],
  parseSymbol: parseConcatSymbolCell,
  direction: { minusIsShort: true, unsignedIsLong: false, colourColumns: ['size', 'symbol'] },
  isolatedMarginColumn: 'margin',
  ratioDirection: 'mm/mb',
  // GUESSED markup (test/exchanges/helpers.ts IDENTITY_VARIANTS): the UID beside its label in the account header.
  identity: ['uid', 'sub'],
};

/** Read a Binance USDⓈ-M futures page. See {@link readPage} for the result shape. */
export function readBinanceUsdm(doc: Document, url: string, opts?: ReadOptions): PageRead {
  return readPage(BINANCE_USDM_READER, doc, url, opts);
}
