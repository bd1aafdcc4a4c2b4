/**
 * What an exchange's page reader is made of: its {@link ReaderConfig} (labels, synonyms, how it
 * shows direction and margin mode), the options of one read, and what a read returns. The
 * pipeline that uses them: ./page.ts (the page), ./row.ts (one position row), ./account.ts (the
 * account panel), ./checks/ (the cross-checks, one named law per file).
 */
import type { ExchangeId } from '../../../engine/exchanges';
import type { AccountSnapshot, OrderSnapshot } from '../../../engine/snapshot';
import type { PageReaderHealth } from '../../health';
import type { IdentityKind } from '../identity';
import type { NumberFormat } from '../number';
import type { ColumnSpec, PanelSpec } from '../table';

export type ColumnKey =
  | 'symbol'
  | 'size'
  | 'entry'
  | 'mark'
  | 'liq'
  | 'marginRatio'
  | 'margin'
  | 'im'
  | 'mm'
  | 'pnl'
  | 'breakEven'
  /** Position TP/SL trigger prices (`TP / SL`). */
  | 'tpsl'
  /** Bybit `Trailing Stop`. */
  | 'trailing';

export type AccountKey =
  | 'walletBalance'
  | 'marginBalance'
  | 'totalEquity'
  | 'maintenanceMargin'
  | 'marginRatio'
  | 'availableBalance'
  | 'unrealizedPnl';

/** What the symbol cell says. */
export interface SymbolCell {
  /** Exchange symbol as the engine and streams use it (`BTCUSDT`, `BTC-USDT-SWAP`, `ETH`). */
  symbol: string;
  /** Base asset: the unit a size in base units carries (`BTC`). */
  base: string;
  /** Quote / settlement asset (`USDT`). */
  quote: string;
  marginMode: 'cross' | 'isolated' | null;
  leverage: string | null;
}

/** Everything one exchange's reader needs to know. */
export interface ReaderConfig {
  exchange: ExchangeId;
  /** Reader id written to `snapshot.source.reader`. */
  reader: string;
  columns: readonly ColumnSpec<ColumnKey>[];
  account: readonly PanelSpec<AccountKey>[];
  /** CSS selectors of containers to search for the positions table first (stable hooks only). */
  tableScopes?: readonly string[];
  /** Also look for div-grid tables (Binance). */
  divGrid?: boolean;
  /** Positions tab label, group 1 = the position count: `Positions(2)`. */
  positionsTab: RegExp;
  /**
   * Open-orders tab label, group 1 = its count: `Open Orders(2)`. Only a count of 0 makes the
   * orders read from the positions table (TP/SL) the complete list; otherwise standalone stop
   * orders may exist that this read does not see.
   */
  ordersTab?: RegExp;
  /** The open-orders table (./orders.ts), read where the page shows it. */
  openOrders?: OpenOrdersConfig;
  /** Empty-state texts of the positions panel. */
  emptyState: RegExp;
  /** Parse the symbol cell's figures. Null if not a symbol we understand. */
  parseSymbol(figs: readonly string[], format: NumberFormat): SymbolCell | null;
  /** Where the margin mode is written when not in the symbol cell (Hyperliquid: the Margin cell). */
  marginModeColumn?: ColumnKey;
  /** How direction is shown. */
  direction: {
    /** A `-` on the size means short. */
    minusIsShort: boolean;
    /** An unsigned size means long (OKX one-way, where shorts always carry `-`). */
    unsignedIsLong: boolean;
    /** Columns whose colour (class / inline style) shows the direction. */
    colourColumns: readonly ColumnKey[];
    /**
     * The PnL-vs-(mark − entry) relation may establish direction on its own (Hyperliquid, whose
     * size carries no sign). Elsewhere it only corroborates: alone it cannot tell a long from a
     * short whose Entry and Mark headers were swapped, so a lost sign/colour makes it unknown.
     */
    pnlAlone?: boolean;
  };
  /** Column holding an isolated position's margin (its isolated wallet). */
  isolatedMarginColumn: 'margin' | 'im';
  /** Direction of the exchange's margin ratio: Binance/Bybit/Hyperliquid MM ÷ margin balance; OKX equity ÷ MM. */
  ratioDirection: 'mm/mb' | 'mb/mm';
  /** Contract value (base units per contract) for a symbol, when sizes are shown in `Cont`. */
  contractValue?(symbol: string): string | null;
  /** Derive the wallet balance as total equity − unrealised PnL when no wallet label is shown (OKX). */
  walletFromEquity?: boolean;
  /** Where the page shows which account it is (UID, sub-account name, wallet address). */
  identity?: readonly IdentityKind[];
}

export interface ReadOptions {
  /** ms epoch of this read (default Date.now()). */
  now?: number;
  /** ms epoch of the previous read with status ok, carried into health. */
  lastGoodReadAt?: number | null;
  /** Extra contract values (symbol → base units per contract), e.g. from the instruments endpoint. */
  contractValues?: Readonly<Record<string, string>>;
}

export interface PageRead {
  /** Null when the page was not recognised. */
  snapshot: AccountSnapshot | null;
  health: PageReaderHealth;
  /** The account the page shows, `uid:…` / `sub:…` / `addr:…` (lib/exchanges/common/identity.ts), or null. */
  identity: string | null;
  /** Elements worth observing for changes (positions table, account panel values). */
  panels: Element[];
  /**
   * Elements inside `panels` whose changes come from market moves only: cells of the mark,
   * PnL, liquidation-price, margin-ratio, break-even and MM columns, a cross position's margin,
   * columns the reader does not use, and the account's margin balance, equity, PnL, MM,
   * margin ratio and available balance. What the trader does (open, close, resize, add margin,
   * deposit) changes something else: symbol, size, entry, mode, leverage, an isolated
   * position's margin, the wallet balance, or the rows themselves. The content script reads
   * such changes at once and market-only changes less often (the background has live marks).
   */
  marketDriven?: Element[];
  /**
   * The open-orders table read (./orders.ts), when the reader has an `openOrders` config: null
   * when the page does not show that table now. The watcher carries it into later position reads.
   */
  openOrders?: OpenOrdersRead | null;
  /** The open-orders tab's count now (null when not shown); set with `openOrders`. */
  ordersTabCount?: number | null;
  /** Every position row's TP/SL cell was read (undefined: the table has no TP/SL column). */
  rowOrdersReadable?: boolean;
}

/** Columns whose cells move with the mark price, not with the trader's actions. */
export const MARKET_COLUMNS: ReadonlySet<ColumnKey> = new Set<ColumnKey>(['mark', 'pnl', 'liq', 'marginRatio', 'breakEven', 'mm']);
/** Account figures that move with the mark price (the wallet balance does not). */
export const MARKET_ACCOUNT: ReadonlySet<AccountKey> = new Set<AccountKey>(['marginBalance', 'totalEquity', 'maintenanceMargin', 'marginRatio', 'availableBalance', 'unrealizedPnl']);

export type OrderColumnKey = 'symbol' | 'type' | 'side' | 'price' | 'size' | 'trigger' | 'reduceOnly';

/** How one exchange shows its open orders. */
export interface OpenOrdersConfig {
  /** Open-orders tab label, group 1 = its count (`Open Orders(2)`). */
  tab: RegExp;
  /** Columns; `symbol`, `type` and `side` are `identity` (the table is not this one without them). */
  columns: readonly ColumnSpec<OrderColumnKey>[];
  /** Also look for div grids (Binance). */
  divGrid?: boolean;
}

/** One read of the open-orders table. */
export interface OpenOrdersRead {
  /** Orders read (rows that could not be read are left out). */
  orders: OrderSnapshot[];
  /** Every open order was read: all rows read, none hidden, tab count = rows read. */
  complete: boolean;
  /** The tab's count at read time (null when it shows none). */
  count: number | null;
  /** ms epoch of the read. */
  readAt: number;
  problems: string[];
  /** The table's root element (observed for changes). */
  root: Element;
}
