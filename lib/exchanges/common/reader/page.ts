/**
 * The shared page-reading pipeline (the page as a whole: ./row.ts reads one row, ./account.ts the
 * account panel, ./checks/ holds the laws). Each exchange supplies a {@link ReaderConfig} (labels,
 * synonyms, how it shows direction and margin mode); this module finds the positions table
 * and the account panel by their labels, reads every cell on its own, cross-checks the
 * figures, and returns an AccountSnapshot plus a ReaderHealth record.
 *
 * Rules (see reference exchange-pages.md §0):
 * - the label → column map is rebuilt from the header row on every read;
 * - a value that cannot be read is unknown, never 0; a position whose symbol, side, size,
 *   entry price or margin mode is unknown is left out of `positions` and reported in
 *   `health.problems` (status `partial`), so the account never looks safer than it is;
 * - figures that contradict each other (PnL vs entry/mark/size, liquidation price on the
 *   wrong side of mark, margin larger than the notional…) make the row unknown: they are
 *   the signature of a mislabelled column;
 * - a page in a locale we have no labels for is `unrecognized`, whatever its numbers say.
 */
import type { AccountSnapshot, OrderSnapshot, PositionSnapshot } from '../../../engine/snapshot';
import type { PageReaderHealth, ReaderHealth } from '../../health';
import { isRendered, labelText } from '../dom';
import { cellFigures } from '../fields';
import { subDec } from '../fixed';
import { DOT_DECIMAL, numberFormatForLocale } from '../number';
import { findLabelTables, mapColumns, type LabelTable } from '../table';
import { readIdentity } from '../identity';
import { readAccount } from './account';
import { oneRowPerSide } from './checks/one-row-per-side';
import { rowsAddUpToAccountPnl } from './checks/rows-add-up-to-account-pnl';
import { MARKET_COLUMNS, type ColumnKey, type PageRead, type ReadOptions, type ReaderConfig } from './config';
import { attachOpenOrders, ordersTabState, readOpenOrders } from './orders';
import { readRow } from './row';

/** Locale of the page: `<html lang>`, else the URL's locale segment (`/en/`, `/zh-CN/`), else null. */
export function pageLocale(doc: Document, url: string): string | null {
  const lang = doc.documentElement?.getAttribute('lang')?.trim();
  if (lang) return lang;
  try {
    const seg = new URL(url).pathname.split('/')[1] ?? '';
    if (/^[a-z]{2}(?:[-_][A-Za-z]{2,4})?$/.test(seg)) return seg;
  } catch {
    /* not a URL: no locale */
  }
  return null;
}

/** The Positions tab: selected or not, the count it shows, and the tab panel it controls. */
interface TabState {
  selected: boolean | null;
  /** `Positions(2)` → 2; null when the tab shows no count. */
  count: number | null;
  tab: Element | null;
  /** The element the tab's `aria-controls` names, when it is in the page. */
  panel: Element | null;
}

function positionsTabState(cfg: ReaderConfig, doc: Document): TabState {
  let first: TabState | null = null;
  for (const tab of Array.from(doc.querySelectorAll('[role="tab"]'))) {
    const m = cfg.positionsTab.exec(labelText(tab));
    if (!m) continue;
    const sel = tab.getAttribute('aria-selected');
    const controls = tab.getAttribute('aria-controls');
    const state = { selected: sel === null ? null : sel === 'true', count: m[1] === undefined ? null : Number(m[1]), tab, panel: controls ? doc.getElementById(controls) : null };
    // A tab the page hides (another layout's copy) only counts when no shown tab matches.
    if (isRendered(tab)) return state;
    first ??= state;
  }
  return first ?? { selected: null, count: null, tab: null, panel: null };
}


/** The count an (open-orders) tab shows, `Open Orders(2)` → 2; null when no such tab or no count. */
function tabCount(doc: Document, label: RegExp): number | null {
  for (const tab of Array.from(doc.querySelectorAll('[role="tab"]'))) {
    const m = label.exec(labelText(tab));
    if (m && isRendered(tab)) return m[1] === undefined ? null : Number(m[1]);
  }
  return null;
}

/**
 * Find the positions table: inside the tab panel the Positions tab controls first, then inside
 * the configured scopes, then anywhere. The first place holding any rendered table decides: one
 * table is read; two or more are ambiguous (which one is the account's cannot be told, so none
 * is read: never the first by luck). Returns the rendered tables of that place.
 */
function findTable(cfg: ReaderConfig, doc: Document, tabPanel: Element | null): LabelTable[] {
  const places: ParentNode[][] = [[doc]];
  if (cfg.tableScopes) places.unshift(cfg.tableScopes.flatMap((sel) => Array.from(doc.querySelectorAll(sel))));
  if (tabPanel) places.unshift([tabPanel]);
  for (const scopes of places) {
    const found = new Set<LabelTable>();
    const roots = new Set<Element>();
    for (const scope of scopes) for (const t of findLabelTables(scope, cfg.columns, cfg.divGrid)) if (!roots.has(t.root)) (roots.add(t.root), found.add(t));
    if (found.size) return [...found];
  }
  return [];
}

/**
 * Read one exchange page.
 *
 * @param cfg - the exchange's reader configuration.
 * @param doc - the page's document (live page or happy-dom).
 * @param url - the page URL (for the locale and `source.url`).
 * @returns snapshot (null when unrecognised; not yet validated against the schema: the background
 *   does that, see lib/background/monitor.ts `handlePageRead`), health, and the panels to observe.
 */
export function readPage(cfg: ReaderConfig, doc: Document, url: string, opts: ReadOptions = {}): PageRead {
  const read = readPositionsPage(cfg, doc, url, opts);
  if (!cfg.openOrders) return read;
  // The open-orders table where the page shows it (English pages only, as the positions).
  const tab = ordersTabState(doc, cfg.openOrders.tab);
  read.ordersTabCount = tab.count;
  if (tab.tab) read.panels.push(tab.tab);
  if (read.health.status === 'unrecognized' && read.health.problems.some((p) => p.startsWith('page language'))) return read;
  const orders = readOpenOrders(cfg.openOrders, cfg.parseSymbol, doc, read.health.readAt);
  read.openOrders = orders;
  if (orders) {
    read.panels.push(orders.root);
    // Both tables shown at once: attach at once (same rules as the watcher's carry-over).
    const s = read.snapshot;
    if (s?.orders !== undefined && read.rowOrdersReadable !== undefined) {
      const a = attachOpenOrders(s.orders, read.rowOrdersReadable, orders, tab.count, orders.readAt);
      s.orders = a.orders;
      s.ordersComplete = a.complete;
    }
  }
  return read;
}

function readPositionsPage(cfg: ReaderConfig, doc: Document, url: string, opts: ReadOptions): PageRead {
  const readAt = opts.now ?? Date.now();
  const problems: string[] = [];
  // Filled in once the Positions tab was looked at: the count the page shows, when it does.
  let positionsExpected: number | null = null;
  /** `positionsComplete`: every open position the page knows of was read (see ReaderHealth). */
  const health = (status: ReaderHealth['status'], found: string[], missing: string[], positionsComplete = false): PageReaderHealth => ({
    exchange: cfg.exchange,
    status,
    url,
    readAt,
    found,
    missing,
    problems,
    lastGoodReadAt: status === 'ok' ? readAt : (opts.lastGoodReadAt ?? null),
    // An unrecognised page read no position: the list is never known complete.
    positionsComplete: status !== 'unrecognized' && positionsComplete,
    positionsExpected,
  });
  const allLabels = [...cfg.columns.map((c) => c.label), ...cfg.account.map((a) => a.label)];

  const locale = pageLocale(doc, url) ?? 'en';
  const format = numberFormatForLocale(locale);
  if (!/^en\b/i.test(locale) || format !== DOT_DECIMAL) {
    problems.push(`page language "${locale}" is not supported yet (English labels only): switch the exchange to English`);
    return { snapshot: null, health: health('unrecognized', [], allLabels), panels: [], identity: null };
  }

  const tab = positionsTabState(cfg, doc);
  positionsExpected = tab.count;
  const tables = findTable(cfg, doc, tab.selected === false ? null : tab.panel);
  const table = tables.length === 1 ? tables[0]! : null;
  const who = cfg.identity ? readIdentity(doc, cfg.identity, table?.root ?? null, readAt) : { identity: null, elements: [] };
  const identity = who.identity;
  let rows: Element[][] = [];
  let colFound: string[] = [];
  let colMissing: string[] = cfg.columns.map((c) => c.label);
  let index = new Map<ColumnKey, number>();
  const panels: Element[] = [];
  if (tab.tab) panels.push(tab.tab);
  // A switch of account changes what these say: read at once (not market-driven).
  panels.push(...who.elements);
  if (table) {
    const map = mapColumns(table.headerCells, cfg.columns);
    problems.push(...map.problems);
    colFound = map.found;
    colMissing = map.missing;
    index = map.index;
    rows = table.rows;
    panels.push(table.root);
    const identityMissing = cfg.columns.filter((c) => c.need === 'identity' && !index.has(c.key));
    if (identityMissing.length) {
      problems.push(`positions table not recognised: missing ${identityMissing.map((c) => c.label).join(', ')}`);
      return { snapshot: null, health: health('unrecognized', colFound, colMissing), panels, identity };
    }
  } else if (tables.length) {
    problems.push(`${tables.length} positions tables shown: which is this account's is unknown (not read)`);
    return { snapshot: null, health: health('unrecognized', [], colMissing), panels, identity };
  } else {
    const emptyShown = cfg.emptyState.test(doc.body?.textContent ?? '');
    if (tab.selected === false) problems.push('the Positions tab is not open: open it so positions can be read');
    else if (!(emptyShown && (tab.count === 0 || tab.count === null))) problems.push(`positions table not found (looked for headers ${cfg.columns.filter((c) => c.need === 'identity').map((c) => c.label).join(', ')})`);
    if (tab.selected === false || !(emptyShown && (tab.count === 0 || tab.count === null))) {
      return { snapshot: null, health: health('unrecognized', [], colMissing), panels, identity };
    }
    colMissing = [];
  }
  if (tab.selected === false) {
    problems.push('the Positions tab is not open: open it so positions can be read');
    return { snapshot: null, health: health('unrecognized', colFound, colMissing), panels, identity };
  }

  let partial = cfg.columns.some((c) => c.need === 'engine' && colMissing.includes(c.label));
  const positions: PositionSnapshot[] = [];
  let unknownRows = 0;
  const marketDriven: Element[] = [];
  // Orders from the rows' TP/SL cells; null once a row's cell cannot be read.
  const rowOrders = new Map<PositionSnapshot, OrderSnapshot[] | null>();
  let ordersUnreadable = false;
  const keyAt: (ColumnKey | undefined)[] = [];
  for (const [k, i] of index) keyAt[i] = k;
  rows.forEach((cells, i) => {
    const out = readRow(cfg, cells, index, table!.headerCells.length, format, opts, i + 1);
    if (out.position) {
      positions.push(out.position);
      if (out.orders !== undefined) rowOrders.set(out.position, out.orders);
      // Not a health problem (Hyperliquid's cell normally says "View Orders"): the snapshot's
      // `ordersComplete: false` makes that position's stop unknown.
      if (out.orders === null) ordersUnreadable = true;
      // Only rows read in full: any change in a row left out may make it readable.
      const cross = out.position.marginMode === 'cross';
      cells.forEach((cell, c) => {
        const k = keyAt[c];
        if (k === undefined || MARKET_COLUMNS.has(k) || (cross && (k === 'margin' || k === 'im'))) marketDriven.push(cell);
      });
    } else {
      unknownRows++;
      problems.push(`${out.label}: ${out.problem} (position left out: its risk is NOT counted)`);
    }
  });
  // A hidden row that reads as a position row (its symbol is one we understand) is a position
  // the page knows of and does not show: not read, and the list is not complete without it.
  for (const cells of table?.hiddenRows ?? []) {
    const sym = cells.length === table!.headerCells.length && cfg.parseSymbol(cellFigures(cells[index.get('symbol')!]!), format);
    if (sym) problems.push(`${sym.symbol}: row hidden on the page (position left out: its risk is NOT counted)`), unknownRows++;
  }
  // Rows the page shows but that were not confirmed as every open position.
  let unconfirmed = false;
  if (table && rows.length === 0 && tab.count !== 0 && !cfg.emptyState.test(table.root.parentElement?.textContent ?? '')) {
    problems.push('positions table has no rows and nothing confirms there are no positions');
    partial = true;
    unconfirmed = true;
  }
  if (tab.count !== null && tab.count !== rows.length) {
    problems.push(`the Positions tab says ${tab.count} but the table shows ${rows.length} rows`);
    partial = true;
  }
  if (unknownRows) partial = true;

  // Hedge mode: both sides of one symbol and margin mode. Anything else duplicated is a reading error.
  const { hedge, dropped, problems: duplicated } = oneRowPerSide(positions);
  if (duplicated.length) {
    problems.push(...duplicated);
    partial = true;
  }
  const kept = positions.filter((p) => !dropped.has(p));

  // Account panel, excluding the positions table (its headers reuse labels such as "Margin Ratio").
  let incomplete = unknownRows > 0 || dropped.size > 0 || (tab.count !== null && tab.count !== rows.length);
  const acc = readAccount(cfg, doc, table ? [table.root] : [], format, problems, kept, !incomplete, readAt);
  panels.push(...acc.panels);
  marketDriven.push(...acc.marketDriven);
  const v = acc.values;
  // A distrusted panel (a cross-check failed: one cause is a row missing from the table) leaves
  // nothing to confirm the rows against: the list is not claimed complete (the background then
  // keeps the last known positions instead of shrinking the list to what was read).
  if (acc.distrusted) unconfirmed = true;
  // Completeness: the rows must add up to the account's unrealized PnL (catches missing rows,
  // virtualised tables and "Hide Other Symbols").
  if (v.unrealizedPnl && kept.every((p) => p.displayed?.unrealizedPnl != null)) {
    const missingRows = rowsAddUpToAccountPnl(kept.map((p) => p.displayed!.unrealizedPnl!), v.unrealizedPnl);
    if (missingRows) {
      problems.push(missingRows);
      // Either cause leaves the account figure unconfirmed: it is not shown (unknown, not a guess).
      delete v.unrealizedPnl;
      incomplete = true;
      partial = true;
    }
  }
  let wallet: string | null = v.walletBalance?.value ?? null;
  if (!wallet && cfg.walletFromEquity && v.totalEquity && v.unrealizedPnl) wallet = subDec(v.totalEquity.value, v.unrealizedPnl.value);
  // Cross wallet = wallet − isolated wallets; only if every position (so every isolated one) is known.
  if (wallet !== null) {
    if (incomplete) wallet = null;
    else {
      for (const p of kept) {
        if (p.marginMode !== 'isolated') continue;
        if (p.isolatedMargin == null) {
          wallet = null;
          problems.push(`${p.symbol}: isolated margin unknown, so the cross wallet balance is unknown`);
          break;
        }
        wallet = subDec(wallet, p.isolatedMargin);
      }
    }
  }
  const accountEngineMissing = cfg.account.filter((a) => a.need === 'engine' && acc.missing.includes(a.label));
  if (wallet === null) {
    partial = true;
    if (!problems.some((p) => p.includes('wallet'))) problems.push('wallet balance unknown (account panel not found or hidden)');
  }
  if (accountEngineMissing.length && wallet === null) partial = true;

  // The exchange's account figures are only for reconciliation with ours, which needs every
  // position; with rows left out, the panel cannot be cross-checked against them either, so its
  // MM and available balance (checked by nothing else) are not passed on.
  if (incomplete) {
    delete v.maintenanceMargin;
    delete v.availableBalance;
  }
  const snapshot: AccountSnapshot = {
    exchange: cfg.exchange,
    positionMode: hedge ? 'hedge' : 'one-way',
    walletBalance: wallet,
    source: { url, readAt, reader: cfg.reader },
    displayed: {
      marginRatio: v.marginRatio?.value ?? null,
      maintenanceMargin: v.maintenanceMargin?.value ?? null,
      marginBalance: (v.marginBalance ?? v.totalEquity)?.value ?? null,
      availableBalance: v.availableBalance?.value ?? null,
      unrealizedPnl: v.unrealizedPnl?.value ?? null,
    },
    positions: kept,
  };
  // Orders: only when the table has a TP/SL column. Complete only when every row's cell was read
  // and the open-orders tab says 0 (no standalone order this read cannot see).
  if (index.has('tpsl')) {
    snapshot.orders = kept.flatMap((p) => rowOrders.get(p) ?? []);
    const open = cfg.ordersTab ? tabCount(doc, cfg.ordersTab) : null;
    snapshot.ordersComplete = !ordersUnreadable && open === 0;
  }
  const rowOrdersReadable = index.has('tpsl') ? !ordersUnreadable : undefined;
  // Validated by the background (lib/background/monitor.ts handlePageRead), which shows a rejected
  // snapshot as "page not recognised" with the field named: the schema stays out of the page.
  const found = [...colFound, ...acc.found];
  const missing = [...colMissing, ...acc.missing];
  return { snapshot, health: health(partial ? 'partial' : 'ok', found, missing, !incomplete && !unconfirmed), panels, marketDriven, identity, rowOrdersReadable };
}
