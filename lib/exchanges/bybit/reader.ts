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
  // Open-orders table under `Current Orders(N)` (sub-tabs Limit & Market / Conditional / TP/SL:
  // the count covers all of them, so a sub-tab alone never reads as complete). Labels GUESSED [C].
  openOrders: {
    tab: /^Current Orders\s*(?:\((\d+)\))?$/i,
    columns: [
      { key: 'symbol', label: 'Contracts', synonyms: ['Contracts'], need: 'identity' },
      { key: 'type', label: 'Order Type', synonyms: ['Order Type'], need: 'identity' },
      { key: 'side', label: 'Direction', synonyms: ['Direction', 'Side'], need: 'identity' },
      { key: 'price', label: 'Order Price', synonyms: ['Order Price'], need: 'display' },
      { key: 'size', label: 'Qty', synonyms: ['Qty', 'Order Qty'], need: 'display' },
      { key: 'trigger', label: 'Trigger Price', synonyms: ['Trigger Price'], need: 'engine' },
      { key: 'reduceOnly', label: 'Reduce Only', synonyms: ['Reduce Only', 'Reduce-Only'], need: 'display' },
    ],
  },
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

/**
 * Account-panel titles that say which Bybit account the page shows. `Unified Trading Account` is in
 * the reconstructed page (test/fixtures/pages/bybit-linear.html, exchange-pages.md §2); the classic
 * titles are GUESSED from Bybit's help-centre naming (classic "Derivatives Account" / "Contract
 * Account") and need checking on a live classic account.
 */
export const BYBIT_ACCOUNT_TITLES: Readonly<Record<'uta' | 'classic', RegExp>> = {
  uta: /^\s*Unified Trading Account\s*$/i,
  classic: /^\s*(?:Classic Account|Derivatives Account|Contract Account)\s*$/i,
};

/** How often the account title is looked for again on the same document (ms): it changes only on an account switch. */
const ACCOUNT_TYPE_RECHECK_MS = 120_000;
const accountTypeSeen = new WeakMap<Document, { type: 'uta' | 'classic' | null; at: number }>();

/**
 * Which Bybit account the page shows, from the account panel's title: `uta`, `classic`, or null when
 * neither title is found (the snapshot then omits `accountType`, which the engine reads as UTA).
 * Looked up at most every 2 minutes per document (a walk of the element texts).
 */
export function bybitAccountType(doc: Document, now: number = Date.now()): 'uta' | 'classic' | null {
  const hit = accountTypeSeen.get(doc);
  if (hit && now - hit.at < ACCOUNT_TYPE_RECHECK_MS) return hit.type;
  let type: 'uta' | 'classic' | null = null;
  for (const el of Array.from(doc.querySelectorAll('div, span, h1, h2, h3, h4, p, button'))) {
    if (el.childElementCount !== 0) continue;
    const text = el.textContent ?? '';
    if (text.length > 40) continue;
    if (BYBIT_ACCOUNT_TITLES.uta.test(text)) type = 'uta';
    else if (BYBIT_ACCOUNT_TITLES.classic.test(text)) type = 'classic';
    if (type) break;
  }
  accountTypeSeen.set(doc, { type, at: now });
  return type;
}

/**
 * Read a Bybit USDT-perpetual trading page. See {@link readPage} for the result shape; the snapshot
 * also carries `accountType` when the account panel's title says it ({@link bybitAccountType}).
 */
export function readBybit(doc: Document, url: string, opts?: ReadOptions): PageRead {
  const read = readPage(BYBIT_READER, doc, url, opts);
  if (!read.snapshot) return read;
  const accountType = bybitAccountType(doc, opts?.now);
  return accountType ? { ...read, snapshot: { ...read.snapshot, accountType } } : read;
}
