/**
 * Hyperliquid trade page reader (reference exchange-pages.md §4).
 *
 * Positions: a real `<table>` with headers `Coin | Size | Position Value | Entry Price |
 * Mark Price | PNL (ROE %) | Liq. Price | Margin | Funding …`. The coin cell is
 * `ETH  20x`; the margin cell `$1,474.08 (Cross)` carries the margin mode. The size text has
 * NO sign even for a short: direction comes from the coin cell's colour (green/teal = long,
 * red/pink = short) and from the PnL vs (mark − entry) relation; they must agree, and a
 * position with neither is unknown.
 * Account panel: `Perps` (account equity), `Balance`, `Unrealized PNL`, `Cross Margin Ratio`
 * (MM ÷ equity), `Maintenance Margin`. Values are USDC shown as `$`.
 */
import type { NumberFormat } from '../common/number';
import type { PageRead, ReadOptions, ReaderConfig, SymbolCell } from '../common/reader/config';
import { readPage } from '../common/reader/page';
import { leverageIn } from '../common/fields';

/** Coin cell `ETH  20x` → coin and leverage (margin mode comes from the Margin cell). */
export function parseHyperliquidCoin(figs: readonly string[], format: NumberFormat): SymbolCell | null {
  const f = figs[0];
  if (figs.length !== 1 || !f) return null;
  const m = /^([A-Za-z0-9]{1,20})(?: (\d+(?:\.\d+)?x))?$/.exec(f);
  if (!m || /^\d+$/.test(m[1]!)) return null;
  return { symbol: m[1]!, base: m[1]!, quote: 'USDC', marginMode: null, leverage: m[2] ? leverageIn([m[2]], format) : null };
}

export const HYPERLIQUID_READER: ReaderConfig = {
  exchange: 'hyperliquid',
  reader: 'hyperliquid/dom@1',
  positionsTab: /^Positions\s*(?:\((\d+)\))?$/i,
  // `Open Orders` [A]; a count is not seen in the capture, so the TP/SL column is never known complete.
  ordersTab: /^Open Orders\s*(?:\((\d+)\))?$/i,
  // Open-orders table under `Open Orders(N)`. Labels GUESSED [C] (Type, Coin, Direction, Size,
  // Price, Trigger Conditions, Reduce Only as the app's order table shows them).
  openOrders: {
    tab: /^Open Orders\s*(?:\((\d+)\))?$/i,
    columns: [
      { key: 'symbol', label: 'Coin', synonyms: ['Coin'], need: 'identity' },
      { key: 'type', label: 'Type', synonyms: ['Type'], need: 'identity' },
      { key: 'side', label: 'Direction', synonyms: ['Direction'], need: 'identity' },
      { key: 'price', label: 'Price', synonyms: ['Price'], need: 'display' },
      { key: 'size', label: 'Size', synonyms: ['Size'], need: 'display' },
      { key: 'trigger', label: 'Trigger Conditions', synonyms: ['Trigger Conditions'], need: 'engine' },
      { key: 'reduceOnly', label: 'Reduce Only', synonyms: ['Reduce Only'], need: 'display' },
    ],
  },
  emptyState: /No open positions(?: yet)?/i,
  columns: [
    { key: 'symbol', label: 'Coin', synonyms: ['Coin', 'Asset'], need: 'identity' },
    { key: 'size', label: 'Size', synonyms: ['Size'], need: 'identity' },
    { key: 'entry', label: 'Entry Price', synonyms: ['Entry Price', 'Entry'], need: 'identity' },
    { key: 'margin', label: 'Margin', synonyms: ['Margin'], need: 'identity' },
    { key: 'mark', label: 'Mark Price', synonyms: ['Mark Price', 'Mark'], need: 'engine' },
    { key: 'liq', label: 'Liq. Price', synonyms: ['Liq. Price', 'Liquidation Price'], need: 'display' },
    { key: 'pnl', label: 'PNL (ROE %)', synonyms: ['PNL (ROE %)', 'PNL (ROE)'], need: 'display' },
    { key: 'tpsl', label: 'TP/SL', synonyms: ['TP/SL'], need: 'display' },
  ],
  account: [
    { key: 'walletBalance', label: 'Balance', synonyms: ['Balance'], need: 'engine' },
    { key: 'marginBalance', label: 'Perps', synonyms: ['Perps', 'Perps Equity'], need: 'display' },
    { key: 'unrealizedPnl', label: 'Unrealized PNL', synonyms: ['Unrealized PNL'], need: 'display' },
    { key: 'marginRatio', label: 'Cross Margin Ratio', synonyms: ['Cross Margin Ratio'], need: 'display' },
    { key: 'maintenanceMargin', label: 'Maintenance Margin', synonyms: ['Maintenance Margin'], need: 'display' },
  ],
  parseSymbol: parseHyperliquidCoin,
  marginModeColumn: 'margin',
  direction: { minusIsShort: true, unsignedIsLong: false, colourColumns: ['symbol'], pnlAlone: true },
  isolatedMarginColumn: 'margin',
  ratioDirection: 'mm/mb',
  // GUESSED markup (test/exchanges/helpers.ts IDENTITY_VARIANTS): the connected wallet's shortened address in the header.
  identity: ['addr'],
};

/** Read the Hyperliquid trade page. See {@link readPage} for the result shape. */
export function readHyperliquid(doc: Document, url: string, opts?: ReadOptions): PageRead {
  return readPage(HYPERLIQUID_READER, doc, url, opts);
}
