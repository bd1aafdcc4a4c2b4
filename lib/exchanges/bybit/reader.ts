/**
 * Bybit USDT-perpetual page reader, Unified Trading Account (reference exchange-pages.md §2).
 *
 * Positions: a real `<table>`; header labels `Contracts`, `Qty`, `Value`, `Entry Price`,
 * `Mark Price`, `Liq. Price`, `IM`, `MM`, `Unrealized P&L (ROI)` …; contracts cell
 * `BTCUSDT` + `Cross 20.00x`; Qty green (long) / red (short); IM/MM cells carry an extra
 * `≈… USD` (the first figure is used); PnL text may contain U+200E marks.
 * The isolated margin is the `IM` column of an isolated row.
 * UTA panel: `Wallet Balance`, `Margin Balance`, `Total Equity`, `Available Balance`,
 * `Unrealized P&L`, and the account MM rate (shown under `Maintenance Margin` as a percent,
 * MM ÷ margin balance). UTA figures are in USD.
 */
import type { PageRead, ReadOptions, ReaderConfig } from '../common/reader/config';
import { readPage } from '../common/reader/page';
import { parseConcatSymbolCell } from '../common/symbols';

export const BYBIT_READER: ReaderConfig = {
  exchange: 'bybit',
  reader: 'bybit/dom@1',
  positionsTab: /^Positions\s*(?:\((\d+)\))?$/i,
  // `Current Orders(N)` (fixture; [C] whether the count includes position TP/SL).
  ordersTab: /^Current Orders\s*(?:\((\d+)\))?$/i,
  emptyState: /No (?:open )?positions?|No data/i,
  columns: [
    { key: 'symbol', label: 'Contracts', synonyms: ['Contracts', 'Contract', 'Symbol'], need: 'identity' },
    { key: 'size', label: 'Qty', synonyms: ['Qty', 'Quantity', 'Size', 'Position'], need: 'identity' },
    { key: 'entry', label: 'Entry Price', synonyms: ['Entry Price', 'Entry', 'Avg. Entry Price', 'Avg Entry Price'], need: 'identity' },
    { key: 'mark', label: 'Mark Price', synonyms: ['Mark Price', 'Mark'], need: 'engine' },
    { key: 'im', label: 'IM', synonyms: ['IM', 'Initial Margin', 'Position Margin'], need: 'engine' },
    { key: 'mm', label: 'MM', synonyms: ['MM', 'Maintenance Margin'], need: 'display' },
    { key: 'liq', label: 'Liq. Price', synonyms: ['Liq. Price', 'Est. Liquidation Price', 'Est. Liq. Price', 'Liquidation Price'], need: 'display' },
    { key: 'pnl', label: 'Unrealized P&L (ROI)', synonyms: ['Unrealized P&L (ROI)', 'Unrealized P&L', 'Unrealized PnL (ROI)', 'Unrealised P&L (ROI)'], need: 'display' },
    { key: 'tpsl', label: 'TP/SL', synonyms: ['TP/SL'], need: 'display' },
    { key: 'trailing', label: 'Trailing Stop', synonyms: ['Trailing Stop'], need: 'display' },
  ],
  account: [
    { key: 'walletBalance', label: 'Wallet Balance', synonyms: ['Wallet Balance'], need: 'engine' },
    { key: 'marginBalance', label: 'Margin Balance', synonyms: ['Margin Balance'], need: 'display' },
    { key: 'totalEquity', label: 'Total Equity', synonyms: ['Total Equity'], need: 'display' },
    { key: 'maintenanceMargin', label: 'Maintenance Margin', synonyms: ['Maintenance Margin'], need: 'display' },
    { key: 'marginRatio', label: 'Account MM Rate', synonyms: ['Account MM Rate', 'MM Rate', 'Account Maintenance Margin Rate'], need: 'display' },
    { key: 'availableBalance', label: 'Available Balance', synonyms: ['Available Balance'], need: 'display' },
    { key: 'unrealizedPnl', label: 'Unrealized P&L', synonyms: ['Unrealized P&L', 'Unrealized PnL', 'Perp & Expiry Unrealized P&L'], need: 'display' },
  ],
  parseSymbol: parseConcatSymbolCell,
  direction: { minusIsShort: true, unsignedIsLong: false, colourColumns: ['size', 'symbol'] },
  isolatedMarginColumn: 'im',
  ratioDirection: 'mm/mb',
  // GUESSED markup (test/exchanges/helpers.ts IDENTITY_VARIANTS): `UID: 123456789` in the account menu.
  identity: ['uid', 'sub'],
};

/** Read a Bybit USDT-perpetual trading page. See {@link readPage} for the result shape. */
export function readBybit(doc: Document, url: string, opts?: ReadOptions): PageRead {
  return readPage(BYBIT_READER, doc, url, opts);
}
