/**
 * OKX perpetual-swap page reader (reference exchange-pages.md §3).
 *
 * Positions: `.position-box` `okui-table` rows (`tr[aria-hidden="true"]` measure rows are
 * skipped); the column labels are GUESSED in the shared fixture, so every likely synonym is
 * accepted. Size is signed (`-0.5000 ETH` = short) and may be in contracts (`Cont`),
 * converted with the instrument's contract value (ctVal). Instrument cell `BTCUSDT Perp` +
 * `Cross` + `20x`; the symbol is reported as the OKX instId (`BTC-USDT-SWAP`).
 * Margin ratio is OKX's own direction: adjusted equity ÷ MM, higher is safer (`9,885.59%` → `98.8559`).
 * Account panel labels are guessed: `Total equity`, `Available`, `Unrealized PnL`,
 * `Margin ratio`, `Maint. margin`. With no wallet label, the wallet is total equity − unrealized PnL.
 */
import type { NumberFormat } from '../common/number';
import type { PageRead, ReadOptions, ReaderConfig, SymbolCell } from '../common/reader/config';
import { readPage } from '../common/reader/page';
import { leverageIn, marginModeIn } from '../common/fields';

/**
 * Contract values (base units per contract) of OKX USDT swaps we are sure of
 * (https://www.okx.com/api/v5/public/instruments?instType=SWAP, `ctVal`). Others must be
 * passed in `ReadOptions.contractValues`; without one, a `Cont` size is unknown.
 */
export const OKX_CONTRACT_VALUES: Readonly<Record<string, string>> = {
  'BTC-USDT-SWAP': '0.01',
  'ETH-USDT-SWAP': '0.1',
};

/** Instrument cell → instId: `BTCUSDT Perp` / `BTC-USDT-SWAP` / `BTC-USDT` → `BTC-USDT-SWAP`. */
export function parseOkxInstrument(figs: readonly string[], format: NumberFormat): SymbolCell | null {
  let inst: { symbol: string; base: string; quote: string } | null = null;
  for (const f of figs) {
    const t = f.replace(/\s+(?:Perp|Perpetual|Swap)$/i, '').trim().toUpperCase();
    const m = /^([A-Z0-9]{1,20})-?(USDT|USDC)(?:-SWAP)?$/.exec(t);
    if (!m) continue;
    const s = { symbol: `${m[1]}-${m[2]}-SWAP`, base: m[1]!, quote: m[2]! };
    if (inst && inst.symbol !== s.symbol) return null;
    inst = s;
  }
  if (!inst) return null;
  return { ...inst, marginMode: marginModeIn(figs), leverage: leverageIn(figs, format) };
}

export const OKX_READER: ReaderConfig = {
  exchange: 'okx',
  reader: 'okx/dom@1',
  tableScopes: ['.position-box'],
  positionsTab: /^Open positions\s*(?:\((\d+)\))?$/i,
  // `Open orders (N)` [A, E-O1 capture].
  ordersTab: /^Open orders\s*(?:\((\d+)\))?$/i,
  // Open-orders table under `Open orders(N)` (sub-tabs Limit / TP/SL / Trigger). Labels GUESSED [C].
  openOrders: {
    tab: /^Open orders\s*(?:\((\d+)\))?$/i,
    columns: [
      { key: 'symbol', label: 'Symbol', synonyms: ['Symbol', 'Instrument'], need: 'identity' },
      { key: 'type', label: 'Order type', synonyms: ['Order type', 'Type'], need: 'identity' },
      { key: 'side', label: 'Side', synonyms: ['Side'], need: 'identity' },
      { key: 'price', label: 'Order price', synonyms: ['Order price', 'Price'], need: 'display' },
      { key: 'size', label: 'Amount', synonyms: ['Amount', 'Size'], need: 'display' },
      { key: 'trigger', label: 'Trigger price', synonyms: ['Trigger price', 'TP/SL trigger price'], need: 'engine' },
      { key: 'reduceOnly', label: 'Reduce-only', synonyms: ['Reduce-only', 'Reduce only'], need: 'display' },
    ],
  },
  emptyState: /No open positions|No data/i,
  columns: [
    { key: 'symbol', label: 'Instrument', synonyms: ['Instrument', 'Symbol', 'Contract'], need: 'identity' },
    { key: 'size', label: 'Size', synonyms: ['Size', 'Amount', 'Position', 'Pos.', 'Positions'], need: 'identity' },
    { key: 'entry', label: 'Entry price', synonyms: ['Entry price', 'Avg. entry price', 'Avg entry price', 'Avg. open price', 'Open price', 'Avg. price'], need: 'identity' },
    { key: 'mark', label: 'Mark price', synonyms: ['Mark price'], need: 'engine' },
    { key: 'margin', label: 'Margin', synonyms: ['Margin'], need: 'engine' },
    { key: 'liq', label: 'Est. liq. price', synonyms: ['Est. liq. price', 'Est. liquidation price', 'Liq. price', 'Liquidation price'], need: 'display' },
    { key: 'marginRatio', label: 'Margin ratio', synonyms: ['Margin ratio', 'MMR'], need: 'display' },
    { key: 'pnl', label: 'Unrealized PnL', synonyms: ['Unrealized PnL', 'Unrealized PnL (ROI)', 'PnL (ROI)', 'Upl', 'PnL'], need: 'display' },
    { key: 'tpsl', label: 'TP/SL', synonyms: ['TP/SL'], need: 'display' },
  ],
  account: [
    { key: 'walletBalance', label: 'Wallet balance', synonyms: ['Wallet balance', 'Cash balance'], need: 'display' },
    { key: 'totalEquity', label: 'Total equity', synonyms: ['Total equity', 'Equity', 'Adj. equity'], need: 'engine' },
    { key: 'unrealizedPnl', label: 'Unrealized PnL', synonyms: ['Unrealized PnL', 'Unrealized P&L'], need: 'engine' },
    { key: 'maintenanceMargin', label: 'Maint. margin', synonyms: ['Maint. margin', 'Maintenance margin', 'MM'], need: 'display' },
    { key: 'marginRatio', label: 'Margin ratio', synonyms: ['Margin ratio'], need: 'display' },
    { key: 'availableBalance', label: 'Available', synonyms: ['Available', 'Available balance'], need: 'display' },
  ],
  parseSymbol: parseOkxInstrument,
  direction: { minusIsShort: true, unsignedIsLong: true, colourColumns: [] },
  isolatedMarginColumn: 'margin',
  ratioDirection: 'mb/mm',
  contractValue: (symbol) => OKX_CONTRACT_VALUES[symbol] ?? null,
  walletFromEquity: true,
  // GUESSED markup (test/exchanges/helpers.ts IDENTITY_VARIANTS): the sub-account switcher `Sub-account:` + name.
  identity: ['uid', 'sub'],
};

/** Read an OKX perpetual-swap trading page. See {@link readPage} for the result shape. */
export function readOkx(doc: Document, url: string, opts?: ReadOptions): PageRead {
  return readPage(OKX_READER, doc, url, opts);
}
