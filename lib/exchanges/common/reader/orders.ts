/**
 * The open-orders table (standalone limit, stop-market, stop-limit, take-profit, trailing
 * orders), read by its header labels where the page shows it: under the selected open-orders
 * tab (`Open Orders(N)`, Bybit `Current Orders(N)`, OKX `Open orders(N)`), or in the panel that
 * tab controls when that panel is rendered. True or unknown: a row whose symbol, type, side or
 * (for trigger types) trigger price cannot be read is left out and the list is not complete.
 *
 * The list is complete (`complete: true`) only when every shown row was read, no row is hidden
 * and the tab's count equals the rows read. Column labels and cell formats are per exchange
 * ({@link OpenOrdersConfig}); the reference (exchange-pages.md) documents the tab labels [A/B]
 * and Binance's open-order rows as a div grid [A, E-B1]; the column labels and cell formats are
 * GUESSED [C] (see the fixtures in test/fixtures/pages/orders/ for each exchange's guess).
 *
 * Cell formats accepted (all exchanges; a cell outside them makes its order unknown):
 * - type: `Limit`, `Market`, `Stop Market`, `Stop Limit`, `Take Profit Market`,
 *   `Take Profit Limit`, `Trailing Stop` (also `Stop-loss`, `Take-profit`, `Trailing`, `TP`, `SL`);
 * - side: `Buy` / `Sell`, `Open Long` / `Close Long` / `Open Short` / `Close Short`, `Long` / `Short`
 *   (`Close …` implies reduce-only);
 * - trigger: `Mark Price <= 73,000.0`, `Last Price >= 80,000`, `Price below 3,000`, `73,000`
 *   (one price, an optional price kind and comparison); `--`, `N/A` = none;
 * - price: a number, or `--` / `Market` for market types;
 * - amount: `0.010 BTC`, `0.5`, `Close Position` (closes the whole position); in the quote unit
 *   (`75.78 USDT`) the size is unknown (`null`), the order still counts;
 * - reduce only: `Yes` / `No` / `--`.
 * A figure that reads differently under the other separator convention (`70.000`, `0,005`) is
 * unknown: nothing in this table can tell which is meant.
 */
import type { OrderSnapshot, OrderType } from '../../../engine/snapshot';
import { isRendered, labelText } from '../dom';
import { cellFigures } from '../fields';
import { DOT_DECIMAL, parseNumber, type NumberFormat } from '../number';
import { findLabelTables, mapColumns, type ColumnSpec } from '../table';
import type { OpenOrdersConfig, OpenOrdersRead, OrderColumnKey, SymbolCell } from './config';

export type { OpenOrdersConfig, OpenOrdersRead, OrderColumnKey } from './config';

/** The open-orders tab: its element, whether it is selected, its count, its panel. */
export function ordersTabState(doc: Document, tabLabel: RegExp): { tab: Element | null; selected: boolean | null; count: number | null; panel: Element | null } {
  for (const tab of Array.from(doc.querySelectorAll('[role="tab"]'))) {
    const m = tabLabel.exec(labelText(tab));
    if (!m || !isRendered(tab)) continue;
    const sel = tab.getAttribute('aria-selected');
    const controls = tab.getAttribute('aria-controls');
    return { tab, selected: sel === null ? null : sel === 'true', count: m[1] === undefined ? null : Number(m[1]), panel: controls ? doc.getElementById(controls) : null };
  }
  return { tab: null, selected: null, count: null, panel: null };
}

const NONE = /^(?:--|-|—|N\/A|None)$/i;

/** `Stop Market` → `stop-market`…; null when the text names no order type we know. */
export function orderType(text: string): OrderType | null {
  const t = text.toLowerCase().replace(/[-_/]+/g, ' ').replace(/\s+/g, ' ').trim();
  if (/^trailing( stop)?$/.test(t)) return 'trailing-stop';
  const limit = /\blimit\b/.test(t);
  const market = /\bmarket\b/.test(t);
  if (limit && market) return null;
  if (/^(?:take profit|tp)( market| limit)?$/.test(t)) return limit ? 'take-profit-limit' : 'take-profit-market';
  if (/^(?:stop|stop loss|sl)( market| limit)?$/.test(t)) return limit ? 'stop-limit' : 'stop-market';
  if (t === 'limit') return 'limit';
  if (t === 'market') return 'market';
  return null;
}

const TRIGGER_TYPES = new Set<OrderType>(['stop-market', 'stop-limit', 'take-profit-market', 'take-profit-limit', 'trailing-stop']);

/** Side cell → side and whether it closes (`Close Long` = sell, reduce-only). */
export function orderSide(text: string): { side: 'buy' | 'sell'; closing: boolean } | null {
  const t = text.toLowerCase().replace(/\s+/g, ' ').trim();
  switch (t) {
    case 'buy':
    case 'long':
    case 'open long':
      return { side: 'buy', closing: false };
    case 'sell':
    case 'short':
    case 'open short':
      return { side: 'sell', closing: false };
    case 'close long':
      return { side: 'sell', closing: true };
    case 'close short':
      return { side: 'buy', closing: true };
    default:
      return null;
  }
}

/**
 * A figure that reads as another number under the other separator convention: `70.000` (one dot,
 * exactly three decimals, a non-zero integer part of 1–3 digits) is 70 here and 70 000 in a
 * decimal-comma rendering; `0,005` is no grouped number. The open-orders table has no law
 * (like the positions' PnL law) to tell them apart, so such a figure is unknown.
 */
const AMBIGUOUS = /^(?:[1-9]\d{0,2}\.\d{3}|0,\d+(?:[.,]\d+)*)(?:\s|$)/;

/** A positive price from one figure, null when it is not exactly one. */
function price(text: string, format: NumberFormat): string | null {
  if (AMBIGUOUS.test(text.trim())) return null;
  const n = parseNumber(text.trim(), format);
  if (!n.ok || n.percent || n.sign || n.approx || n.currency || !/[1-9]/.test(n.value)) return null;
  return n.value;
}

const TRIGGER = /^(?:(?:mark|last|index)\s+price|price|trigger(?:\s+price)?)?\s*(?:<=|>=|≤|≥|<|>|below|above)?\s*(\S+)$/i;

/** Trigger cell → price; `none` for a placeholder; null when unreadable. */
export function triggerPrice(text: string, format: NumberFormat = DOT_DECIMAL): string | 'none' | null {
  const t = text.replace(/\s+/g, ' ').trim();
  if (t === '' || NONE.test(t)) return 'none';
  const m = TRIGGER.exec(t);
  if (!m) return null;
  const p = price(m[1]!, format);
  return p;
}

/** `mislabel`: the row contradicts the column map (a limit order with a trigger, a market order with a price). */
type RowRead = { ok: true; order: OrderSnapshot } | { ok: false; why: string; mislabel?: boolean };

function readOrderRow(cells: readonly Element[], index: Map<OrderColumnKey, number>, parseSymbol: (figs: readonly string[], format: NumberFormat) => SymbolCell | null, format: NumberFormat): RowRead {
  const figs = (k: OrderColumnKey): string[] | null => {
    const i = index.get(k);
    return i === undefined || !cells[i] ? null : cellFigures(cells[i]!);
  };
  const text = (k: OrderColumnKey): string | null => figs(k)?.join(' ').replace(/\s+/g, ' ').trim() ?? null;
  const symFigs = figs('symbol');
  const sym = symFigs && parseSymbol(symFigs, format);
  if (!sym) return { ok: false, why: `symbol not readable ("${text('symbol') ?? ''}")` };
  const label = sym.symbol;
  const type = orderType(text('type') ?? '');
  if (!type) return { ok: false, why: `${label}: order type not readable ("${text('type') ?? ''}")` };
  const side = orderSide(text('side') ?? '');
  if (!side) return { ok: false, why: `${label}: order side not readable ("${text('side') ?? ''}")` };
  const order: OrderSnapshot = { symbol: sym.symbol, side: side.side, type, reduceOnly: null };
  // Trigger: required for trigger types (a trailing stop may show none: its trigger moves).
  const trigText = text('trigger');
  const trig = trigText === null ? 'none' : triggerPrice(trigText, format);
  if (trig === null) return { ok: false, why: `${label}: trigger not readable ("${trigText}")` };
  if (TRIGGER_TYPES.has(type)) {
    if (trig === 'none' && type !== 'trailing-stop') return { ok: false, why: `${label}: ${type} order shows no trigger price` };
    order.triggerPrice = trig === 'none' ? null : trig;
  } else if (trig !== 'none') return { ok: false, why: `${label}: a ${type} order with a trigger ("${trigText}")`, mislabel: true };
  // Limit price: limit types need one; market types show a placeholder or "Market".
  const pText = text('price');
  if (type.endsWith('limit')) {
    const p = pText === null ? null : price(pText, format);
    if (p === null) return { ok: false, why: `${label}: limit price not readable ("${pText ?? ''}")` };
    order.price = p;
  } else if (pText !== null && !(pText === '' || NONE.test(pText) || /^market$/i.test(pText))) {
    // A market order showing a price: another column's figure under this label.
    return { ok: false, why: `${label}: a ${type} order with a price ("${pText}")`, mislabel: true };
  }
  // Amount.
  const sText = text('size');
  if (sText !== null) {
    if (/^close position$/i.test(sText)) order.closePosition = true;
    else {
      if (AMBIGUOUS.test(sText)) return { ok: false, why: `${label}: amount ambiguous ("${sText}")` };
      const n = parseNumber(sText, format);
      if (!n.ok || n.percent || n.sign || n.approx || n.currency || !/[1-9]/.test(n.value)) return { ok: false, why: `${label}: amount not readable ("${sText}")` };
      // In base units (or none shown: Hyperliquid coins); in the quote unit the base size is unknown.
      order.size = n.unit === null || n.unit.toUpperCase() === sym.base.toUpperCase() ? n.value : null;
    }
  } else order.size = null;
  // Reduce only.
  const rText = text('reduceOnly');
  let reduceOnly: boolean | null = null;
  if (rText !== null && rText !== '' && !NONE.test(rText)) {
    if (/^yes$/i.test(rText)) reduceOnly = true;
    else if (/^no$/i.test(rText)) reduceOnly = false;
    else return { ok: false, why: `${label}: reduce-only not readable ("${rText}")` };
  }
  if (side.closing || order.closePosition) {
    // The signature of another Yes/No column (Post Only) under this label: the table is distrusted.
    if (reduceOnly === false) return { ok: false, why: `${label}: a closing order shown as not reduce-only`, mislabel: true };
    reduceOnly = true;
  }
  order.reduceOnly = reduceOnly;
  return { ok: true, order };
}

/**
 * Read the open-orders table, when the page shows it.
 *
 * @param cfg - the exchange's open-orders configuration.
 * @param parseSymbol - the exchange's symbol-cell parser (the positions reader's).
 * @returns the read, or null when the open-orders table is not shown (its tab not selected and
 *   its panel not rendered, or no table with the configured labels in it).
 */
export function readOpenOrders(
  cfg: OpenOrdersConfig,
  parseSymbol: (figs: readonly string[], format: NumberFormat) => SymbolCell | null,
  doc: Document,
  now: number,
  format: NumberFormat = DOT_DECIMAL,
): OpenOrdersRead | null {
  const tab = ordersTabState(doc, cfg.tab);
  if (!tab.tab || tab.selected === false) return null;
  const scope: ParentNode | null = tab.panel && isRendered(tab.panel) ? tab.panel : tab.selected === true ? doc : null;
  if (!scope) return null;
  const tables = findLabelTables(scope, cfg.columns, cfg.divGrid);
  // The tab shown and saying 0, no table (the empty state): no open order, as the positions reader trusts.
  if (tables.length === 0 && tab.selected === true && tab.count === 0) return { orders: [], complete: true, count: 0, readAt: now, problems: [], root: tab.tab };
  if (tables.length !== 1) return null;
  const table = tables[0]!;
  const map = mapColumns(table.headerCells, cfg.columns);
  const problems = [...map.problems];
  if (cfg.columns.some((c) => c.need === 'identity' && !map.index.has(c.key))) return null;
  let orders: OrderSnapshot[] = [];
  let unread = 0;
  let mislabel = false;
  table.rows.forEach((cells, i) => {
    const r: RowRead = cells.length === table.headerCells.length ? readOrderRow(cells, map.index, parseSymbol, format) : { ok: false, why: 'cells do not line up with the header' };
    if (r.ok) orders.push(r.order);
    else {
      unread++;
      if (r.mislabel) mislabel = true;
      problems.push(`open order ${i + 1}: ${r.why} (order left out: the list is not complete)`);
    }
  });
  // A row contradicting the column map is the signature of swapped or mislabelled headers: the
  // other rows' prices and triggers may come from the wrong columns too, so none is kept.
  if (mislabel) {
    problems.push('open-orders columns not trusted (a row contradicts its headers): no open order read');
    unread += orders.length;
    orders = [];
  }
  if (table.hiddenRows.length) problems.push(`${table.hiddenRows.length} open-order rows hidden on the page`);
  if (tab.count === null) problems.push('the open-orders tab shows no count: the list is not confirmed complete');
  else if (tab.count !== table.rows.length) problems.push(`the open-orders tab says ${tab.count} but the table shows ${table.rows.length} rows`);
  // Trigger/limit columns missing: rows read without them would claim no trigger.
  const complete = unread === 0 && table.hiddenRows.length === 0 && tab.count !== null && tab.count === orders.length && map.index.has('trigger');
  return { orders, complete, count: tab.count, readAt: now, problems, root: table.root };
}

/** How long a read of the open-orders table is carried into position reads (ms). */
export const OPEN_ORDERS_FRESH_MS = 60_000;

const orderKey = (o: OrderSnapshot) => `${o.symbol}|${o.side}|${o.type}|${o.triggerPrice ?? ''}`;

/**
 * Attach a carried open-orders read to a position read's orders (from its TP/SL cells).
 *
 * @param rowOrders - orders from the positions table (may repeat orders of the table: position
 *   TP/SL orders are also open orders; repeats of symbol, side, type and trigger are kept once).
 * @param rowsComplete - every TP/SL cell was read.
 * @param carried - the last open-orders read of this document, or null.
 * @param count - the open-orders tab's count now (null when not shown).
 * @returns the orders and whether they are complete: only when `carried` is at most
 *   {@link OPEN_ORDERS_FRESH_MS} old, was complete and the tab count is unchanged; otherwise the
 *   carried orders are dropped (stale: unknown) and the list is not complete.
 */
export function attachOpenOrders(rowOrders: readonly OrderSnapshot[], rowsComplete: boolean, carried: OpenOrdersRead | null, count: number | null, now: number): { orders: OrderSnapshot[]; complete: boolean; fresh: boolean } {
  const fresh = carried !== null && now - carried.readAt <= OPEN_ORDERS_FRESH_MS && now >= carried.readAt && count !== null && count === carried.count;
  if (!fresh) return { orders: [...rowOrders], complete: false, fresh: false };
  const seen = new Set(carried!.orders.map(orderKey));
  const orders = [...carried!.orders, ...rowOrders.filter((o) => !seen.has(orderKey(o)))];
  return { orders, complete: rowsComplete && carried!.complete, fresh: true };
}
