/**
 * Binance spot margin page reader: the Cross Margin and Isolated Margin trading pages and the
 * margin wallet overview (./page.ts), by header LABELS, never by position or class name.
 *
 * What is read (labels GUESSED from the API's field names and the FAQ; see the fixtures'
 * headers, test/fixtures/pages/binance-margin-*.html):
 * - the assets table: `Coin`, `Available` (free), `In Order` (locked), `Borrowed`, `Interest`, and
 *   the cross-check columns `Total Balance` (= Available + In Order) and `Equity`
 *   (= Total Balance − Borrowed − Interest, "Equity = Position = Balance - Debt":
 *   https://binance.com/en/support/faq/binance-cross-margin-trading-guide-360041505471);
 * - Cross: the `Margin Level` figure outside the table (the exchange's own level, reconciled);
 * - Isolated: one row per asset of each pair, with `Pair`, and per pair `Margin Level`,
 *   `Index Price` (the pair's price) and `Liq. Price`.
 *
 * True or unknown: a row whose figures fail a check (unparsable, a sign on a balance, totals that
 * do not add up, interest above the loan) is not read and is named in `snapshot.unread`, which
 * makes the engine's level unknown (a missing debt would look safe). No table, a required label
 * missing or an unknown mode: not recognised (snapshot null). Prices are not read here (cross:
 * only the quote asset is priced, 1); the background prices assets from the public spot streams.
 */
import type { SpotMarginSnapshot } from '../../engine/snapshot';
import { figuresOf } from '../common/dom';
import { DOT_DECIMAL, parseNumber } from '../common/number';
import { addDec, cmpDec, mulDec, subDec } from '../common/fixed';
import { findLabelTables, mapColumns, readPanelValues, type ColumnSpec, type LabelTable, type PanelSpec } from '../common/table';
import type { ReaderHealth } from '../health';
import { binanceMarginMode } from './page';

export const BINANCE_MARGIN_READER_ID = 'binance-margin/dom@1';

type Col = 'pair' | 'coin' | 'total' | 'free' | 'locked' | 'borrowed' | 'interest' | 'equity' | 'level' | 'index' | 'liq';

const ASSET_COLUMNS: ColumnSpec<Col>[] = [
  { key: 'coin', label: 'Coin', synonyms: ['Coin', 'Asset'], need: 'identity' },
  { key: 'borrowed', label: 'Borrowed', synonyms: ['Borrowed', 'Debt'], need: 'identity' },
  { key: 'free', label: 'Available', synonyms: ['Available', 'Available Balance'], need: 'engine' },
  { key: 'locked', label: 'In Order', synonyms: ['In Order', 'In Orders', 'Locked'], need: 'engine' },
  { key: 'interest', label: 'Interest', synonyms: ['Interest'], need: 'engine' },
  { key: 'total', label: 'Total Balance', synonyms: ['Total Balance', 'Total'], need: 'display' },
  { key: 'equity', label: 'Equity', synonyms: ['Equity', 'Net Asset', 'Net Assets'], need: 'display' },
];
const ISOLATED_COLUMNS: ColumnSpec<Col>[] = [
  { key: 'pair', label: 'Pair', synonyms: ['Pair', 'Trading Pair'], need: 'identity' },
  ...ASSET_COLUMNS,
  { key: 'level', label: 'Margin Level', synonyms: ['Margin Level'], need: 'display' },
  { key: 'index', label: 'Index Price', synonyms: ['Index Price'], need: 'display' },
  { key: 'liq', label: 'Liq. Price', synonyms: ['Liq. Price', 'Liq.Price', 'Liquidation Price'], need: 'display' },
];
/** Binance caps the level it shows ("999" without debt, a Binance Square post, account-apis.md §2.8.2): a larger figure is another figure under the label. */
const LEVEL_MAX = '999';
const LEVEL_PANEL: PanelSpec<'level'>[] = [{ key: 'level', label: 'Margin Level', synonyms: ['Margin Level'], need: 'display' }];

/** Health of one margin page read (the futures {@link ReaderHealth} fields, for `binance-margin`). */
export interface MarginReaderHealth extends Pick<ReaderHealth, 'status' | 'url' | 'readAt' | 'found' | 'missing' | 'problems'> {
  exchange: 'binance-margin';
  mode: 'cross' | 'isolated' | null;
  /** Every asset (pair) row the page lists was read. */
  complete: boolean;
}

export interface MarginPageRead {
  snapshot: SpotMarginSnapshot | null;
  health: MarginReaderHealth;
  /** Elements worth observing (the assets table, the level figure). */
  panels: Element[];
}

type Bal = { asset: string; free: string; locked: string; borrowed: string; interest: string };

/** A non-negative quantity: one figure, no sign, no percent, no `≈`, unit absent or the coin. */
function qty(cell: Element | undefined, what: string, coin: string | null, signed = false): string | string[] {
  if (!cell) return [`${what}: no cell`];
  const figs = figuresOf(cell);
  if (figs.length !== 1) return [`${what}: expected one figure, got ${figs.length}`];
  const n = parseNumber(figs[0]!, DOT_DECIMAL);
  if (!n.ok) return [`${what}: ${n.reason} ("${figs[0]}")`];
  if (n.percent || n.approx || n.currency) return [`${what}: not a quantity ("${figs[0]}")`];
  if (n.unit && n.unit.toUpperCase() !== coin) return [`${what}: unexpected unit ${n.unit}`];
  if (n.sign === '-' && !signed) return [`${what}: unexpected sign ("${figs[0]}")`];
  return n.value;
}

/** A positive bare figure (a level or a price). */
function bare(cell: Element | undefined, what: string, max?: string): string | string[] {
  if (!cell) return [`${what}: no cell`];
  const figs = figuresOf(cell);
  if (figs.length !== 1) return [`${what}: expected one figure, got ${figs.length}`];
  const n = parseNumber(figs[0]!, DOT_DECIMAL);
  if (!n.ok) return [`${what}: ${n.reason} ("${figs[0]}")`];
  if (n.percent || n.approx || n.sign || n.unit || n.currency) return [`${what}: not a plain figure ("${figs[0]}")`];
  if (!/[1-9]/.test(n.value)) return [`${what}: zero`];
  if (max && cmpDec(n.value, max) > 0) return [`${what}: ${n.value} is out of range`];
  return n.value;
}

const isErr = (x: string | string[]): x is string[] => Array.isArray(x);

function coinOf(cell: Element | undefined): string | null {
  const t = cell ? figuresOf(cell)[0] : undefined;
  return t && /^[A-Z0-9]{2,12}$/.test(t) ? t : null;
}

/** Read one asset row; problems instead when any check fails. */
function readRow(row: Element[], idx: Map<Col, number>): { bal: Bal } | { coin: string | null; problems: string[] } {
  const cell = (k: Col) => (idx.has(k) ? row[idx.get(k)!] : undefined);
  const coin = coinOf(cell('coin'));
  if (!coin) return { coin: null, problems: ['a row without a coin ticker'] };
  const problems: string[] = [];
  const v = {} as Record<'free' | 'locked' | 'borrowed' | 'interest', string>;
  for (const k of ['free', 'locked', 'borrowed', 'interest'] as const) {
    const r = qty(cell(k), `${coin} ${k}`, coin);
    if (isErr(r)) problems.push(...r);
    else v[k] = r;
  }
  if (problems.length) return { coin, problems };
  const held = addDec(v.free, v.locked);
  const owed = addDec(v.borrowed, v.interest);
  let checked = 0;
  if (idx.has('total')) {
    const t = qty(cell('total'), `${coin} total`, coin);
    if (isErr(t)) problems.push(...t);
    else if (cmpDec(t, held) !== 0) problems.push(`${coin}: Total Balance ${t} ≠ Available + In Order ${held}`);
    else checked++;
  }
  if (idx.has('equity')) {
    const e = qty(cell('equity'), `${coin} equity`, coin, true);
    if (isErr(e)) problems.push(...e);
    else if (cmpDec(e, subDec(held, owed)) !== 0) problems.push(`${coin}: Equity ${e} ≠ balance − debt ${subDec(held, owed)}`);
    else checked++;
  }
  if (cmpDec(v.interest, '0') > 0 && cmpDec(v.interest, v.borrowed) >= 0) problems.push(`${coin}: interest ${v.interest} not below the loan ${v.borrowed}`);
  if (!problems.length && checked === 0) problems.push(`${coin}: no Total Balance or Equity column to check the row against`);
  return problems.length ? { coin, problems } : { bal: { asset: coin, ...v } };
}

function locate(doc: Document, specs: ColumnSpec<Col>[]): { table: LabelTable | null; problems: string[] } {
  const tables = findLabelTables(doc, specs, true);
  if (tables.length === 0) return { table: null, problems: ['no margin assets table (Coin / Borrowed headers)'] };
  if (tables.length > 1) return { table: null, problems: [`${tables.length} margin assets tables shown: ambiguous`] };
  return { table: tables[0]!, problems: [] };
}

/**
 * Read a Binance margin page.
 * @param url the page URL (decides cross or isolated)
 * @returns snapshot (null when not recognised), health, panels to observe
 */
export function readBinanceMargin(doc: Document, url: string, opts: { now?: number } = {}): MarginPageRead {
  const now = opts.now ?? Date.now();
  const mode = binanceMarginMode(url);
  const health: MarginReaderHealth = { exchange: 'binance-margin', mode, status: 'unrecognized', url, readAt: now, found: [], missing: [], problems: [], complete: false };
  if (!mode) {
    health.problems.push('not a Binance Cross or Isolated Margin page');
    return { snapshot: null, health, panels: [] };
  }
  const specs = mode === 'cross' ? ASSET_COLUMNS : ISOLATED_COLUMNS;
  const { table, problems } = locate(doc, specs);
  health.problems.push(...problems);
  if (!table) {
    health.missing = specs.filter((s) => s.need === 'identity').map((s) => s.label);
    return { snapshot: null, health, panels: [] };
  }
  const map = mapColumns(table.headerCells, specs);
  health.found = map.found;
  health.missing = map.missing;
  health.problems.push(...map.problems);
  const required = specs.filter((s) => s.need !== 'display').map((s) => s.label);
  const lacking = required.filter((l) => !map.found.includes(l));
  if (mode === 'cross' && map.index.has('pair')) health.problems.push('a Pair column on a Cross Margin page');
  if (mode === 'isolated' && !map.index.has('pair')) lacking.push('Pair');
  if (lacking.length || (mode === 'cross' && map.index.has('pair'))) {
    if (lacking.length) health.problems.push(`required columns missing: ${lacking.join(', ')}`);
    return { snapshot: null, health, panels: [table.root] };
  }
  const unread: string[] = [];
  if (table.hiddenRows.length) health.problems.push(`${table.hiddenRows.length} hidden row(s) not read`);
  for (const r of table.hiddenRows) unread.push(coinOf(r[map.index.get('coin')!]) ?? '(hidden row)');
  const panels: Element[] = [table.root];
  const source = { url, readAt: now, reader: BINANCE_MARGIN_READER_ID };

  if (mode === 'cross') {
    const assets: SpotMarginSnapshot['assets'] = [];
    const seen = new Map<string, number>();
    const readRows = table.rows.map((row) => readRow(row, map.index));
    const failed = readRows.filter((r) => !('bal' in r));
    if (failed.length) {
      // A row that fails its checks may mean the labels no longer sit over their figures: no row
      // of this table is trusted (every coin named unread; the level is then unknown).
      health.problems.push('a row failed its checks: no row of the table is used');
    }
    for (const r of readRows) {
      if (failed.length) {
        if ('bal' in r) unread.push(r.bal.asset);
        else {
          health.problems.push(...r.problems);
          unread.push(r.coin ?? '(unreadable row)');
        }
        continue;
      }
      if ('bal' in r) {
        if (seen.has(r.bal.asset)) {
          health.problems.push(`${r.bal.asset}: two rows`);
          unread.push(r.bal.asset);
          continue;
        }
        seen.set(r.bal.asset, assets.length);
        assets.push({ ...r.bal, price: r.bal.asset === 'USDT' ? '1' : null });
      } else {
        health.problems.push(...r.problems);
        unread.push(r.coin ?? '(unreadable row)');
      }
    }
    // An asset named twice: neither row is trusted.
    const dupes = new Set(unread.filter((u) => seen.has(u)));
    const kept = assets.filter((a) => !dupes.has(a.asset));
    const levels = readPanelValues(doc, LEVEL_PANEL, [table.root]).get('level') ?? [];
    const values = new Set<string>();
    let levelErrors = 0;
    for (const l of levels) {
      const v = bare(l.valueEl, 'Margin Level', LEVEL_MAX);
      if (isErr(v)) {
        health.problems.push(...v);
        levelErrors++;
      } else values.add(v);
      panels.push(l.valueEl);
    }
    // One value, and no candidate that failed to read (it might be the real one).
    const marginLevel: string | null = values.size === 1 && levelErrors === 0 ? [...values][0]! : null;
    if (values.size > 1) health.problems.push(`Margin Level shown with ${values.size} different values`);
    if (levels.length === 0) health.missing.push('Margin Level');
    else if (marginLevel !== null) health.found.push('Margin Level');
    const complete = unread.length === 0;
    health.complete = complete;
    health.status = complete && marginLevel !== null ? 'ok' : 'partial';
    const snapshot: SpotMarginSnapshot = {
      kind: 'spot-margin',
      exchange: 'binance-margin',
      mode: 'cross',
      variant: 'classic',
      quoteAsset: 'USDT',
      assets: kept,
      pairs: [],
      displayed: { marginLevel },
      ...(unread.length ? { unread: [...new Set(unread)] } : {}),
      source,
    };
    return { snapshot, health, panels };
  }

  // ---- isolated: group rows by pair
  const groups = new Map<string, Element[][]>();
  for (const row of table.rows) {
    const pairText = figuresOf(row[map.index.get('pair')!] ?? row[0]!).join('');
    const m = /^([A-Z0-9]{2,12})\/([A-Z0-9]{2,12})$/.exec(pairText);
    const key = m ? `${m[1]}/${m[2]}` : `?${pairText}`;
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  const pairs: SpotMarginSnapshot['pairs'] = [];
  // As on the cross page: one row failing its checks puts the whole table in doubt.
  const tableSuspect = table.rows.some((r) => !('bal' in readRow(r, map.index)));
  for (const [key, rows] of groups) {
    const [base, quote] = key.split('/') as [string, string];
    const symbol = key.startsWith('?') ? key : base + quote;
    const fail = (why: string[]) => {
      health.problems.push(...why.map((w) => `${symbol}: ${w}`));
      unread.push(symbol);
    };
    if (key.startsWith('?')) {
      fail(['pair not readable']);
      continue;
    }
    const read = rows.map((r) => readRow(r, map.index));
    if (tableSuspect) {
      fail(['not used: another row of the table failed its checks']);
      continue;
    }
    const bals = read.filter((r): r is { bal: Bal } => 'bal' in r).map((r) => r.bal);
    const bad = read.filter((r) => !('bal' in r)) as { problems: string[] }[];
    if (bad.length) {
      fail(bad.flatMap((b) => b.problems));
      continue;
    }
    const b = bals.find((x) => x.asset === base);
    const q = bals.find((x) => x.asset === quote);
    if (rows.length !== 2 || !b || !q) {
      fail([`expected one ${base} and one ${quote} row, got ${bals.map((x) => x.asset).join(', ')}`]);
      continue;
    }
    // Per-pair figures: the same on both rows, else unknown.
    const same = (k: Col, what: string, max?: string): string | null => {
      if (!map.index.has(k)) return null;
      const vals = rows.map((r) => bare(r[map.index.get(k)!], `${symbol} ${what}`, max));
      const errs = vals.filter(isErr);
      if (errs.length) {
        health.problems.push(...errs.flat());
        return null;
      }
      const set = new Set(vals as string[]);
      if (set.size !== 1) {
        health.problems.push(`${symbol}: ${what} differs between its rows`);
        return null;
      }
      return [...set][0]!;
    };
    let level = same('level', 'Margin Level', LEVEL_MAX);
    let index = same('index', 'Index Price');
    let liq = same('liq', 'Liq. Price');
    const doubt = pairFiguresDoubt(b, q, level, index, liq);
    if (doubt) {
      // Which of the three is misplaced cannot be told: none is used.
      health.problems.push(`${symbol}: ${doubt}`);
      level = index = liq = null;
    }
    pairs.push({ symbol, base: b, quote: q, price: index, displayed: { marginLevel: level, liquidationPrice: liq } });
  }
  const complete = unread.length === 0;
  health.complete = complete;
  health.status = complete ? 'ok' : 'partial';
  const snapshot: SpotMarginSnapshot = {
    kind: 'spot-margin',
    exchange: 'binance-margin',
    mode: 'isolated',
    variant: 'classic',
    quoteAsset: 'USDT',
    assets: [],
    pairs,
    ...(unread.length ? { unread: [...new Set(unread)] } : {}),
    source,
  };
  return { snapshot, health, panels };
}

/**
 * Why an isolated pair's level, index price and liquidation price do not fit its balances, or
 * null when they do (or cannot be compared): the liquidation price within 100× of the index, and
 * the level shown within max(0.02, 2 %) of (base held × index + quote held) / (base owed × index
 * + quote owed), without division (exact decimal strings).
 */
function pairFiguresDoubt(b: Bal, q: Bal, level: string | null, index: string | null, liq: string | null): string | null {
  if (liq !== null && index !== null && (cmpDec(liq, mulDec(index, '100')) > 0 || cmpDec(mulDec(liq, '100'), index) < 0)) {
    return `Liq. Price ${liq} implausible beside index ${index}`;
  }
  if (level === null || index === null) return null;
  const assets = addDec(mulDec(addDec(b.free, b.locked), index), addDec(q.free, q.locked));
  const owed = addDec(mulDec(addDec(b.borrowed, b.interest), index), addDec(q.borrowed, q.interest));
  if (cmpDec(owed, '0') === 0) return null;
  const diff = subDec(mulDec(level, owed), assets);
  const tol = cmpDec(mulDec(level, '0.02'), '0.02') > 0 ? mulDec(level, '0.02') : '0.02';
  const abs = cmpDec(diff, '0') < 0 ? subDec('0', diff) : diff;
  return cmpDec(abs, mulDec(tol, owed)) > 0 ? `Margin Level ${level} does not fit the balances at index ${index}` : null;
}
