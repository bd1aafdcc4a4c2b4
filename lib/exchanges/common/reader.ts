/**
 * The shared page-reading pipeline. Each exchange supplies a {@link ReaderConfig} (labels,
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
import type { AccountSnapshot, ExchangeId, PositionSnapshot } from '../../engine/snapshot';
import type { ReaderHealth } from '../health';
import { colourHints, labelText, type Direction } from './dom';
import { absDec, addDec, cmpDec, fx, fxAbs, fxAdd, fxCmp, fxMul, fxNeg, fxSign, fxString, fxSub, fxUlp, mulDec, subDec, ulp, type Fixed } from './fixed';
import {
  cellFigures,
  leverageIn,
  marginModeIn,
  readAmount,
  readPercent,
  readPnl,
  readPrice,
  type Read,
} from './fields';
import { DOT_DECIMAL, numberFormatForLocale, parseNumber, type NumberFormat } from './number';
import { findLabelTable, mapColumns, readPanelValues, type ColumnSpec, type LabelTable, type PanelSpec } from './table';

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
  | 'breakEven';

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
  health: ReaderHealth;
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
}

/** Columns whose cells move with the mark price, not with the trader's actions. */
const MARKET_COLUMNS: ReadonlySet<ColumnKey> = new Set<ColumnKey>(['mark', 'pnl', 'liq', 'marginRatio', 'breakEven', 'mm']);
/** Account figures that move with the mark price (the wallet balance does not). */
const MARKET_ACCOUNT: ReadonlySet<AccountKey> = new Set<AccountKey>(['marginBalance', 'totalEquity', 'maintenanceMargin', 'marginRatio', 'availableBalance', 'unrealizedPnl']);

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

interface RowOutcome {
  position?: PositionSnapshot;
  /** For an unknown row: what we could tell (symbol if read) and why. */
  problem?: string;
  label: string;
}

/** Relative margin on a row's PnL cross-check: 1 % of |PnL| (a last-price/mark tick between cells). */
const PNL_TOLERANCE = fx('0.01');
/** Relative distance of the break-even price from entry above which the column is mislabelled: 5 %. */
const BREAK_EVEN_TOLERANCE = fx('0.05');
const ONE_THOUSAND = fx('1000');
const FOUR = fx('4');
const FIVE = fx('5');

/**
 * Is the displayed PnL what size × (mark − entry) × side gives? Tolerance: the PnL's own
 * display rounding, the price roundings times the size, plus 1 % of |PnL|. A neighbouring
 * column read as entry or mark (break-even, liq. price, last price…) moves the implied PnL by
 * far more, so the row is left out as mislabelled.
 * (A canonical string's scale is its decimal count with trailing zeros dropped: a lower bound
 * of the display decimals, so the rounding allowance below is never too wide.)
 */
function pnlConsistent(side: Direction, size: Fixed, entry: Fixed, mark: Fixed, pnl: Fixed, pnlDecimals: number): boolean {
  const move = fxSub(mark, entry);
  const implied = fxMul(side === 'long' ? move : fxNeg(move), size);
  const diff = fxAbs(fxSub(implied, pnl));
  const rounding = fxAdd(fxUlp(pnlDecimals), fxMul(size, fxAdd(fxUlp(mark.scale), fxUlp(entry.scale))));
  const tol = fxAdd(rounding, fxMul(fxAbs(pnl), PNL_TOLERANCE));
  return fxCmp(diff, tol) <= 0;
}

function readRow(cfg: ReaderConfig, cells: Element[], index: Map<ColumnKey, number>, headerCount: number, format: NumberFormat, opts: ReadOptions, rowNo: number): RowOutcome {
  let label = `row ${rowNo}`;
  if (cells.length !== headerCount) return { label, problem: `${cells.length} cells under ${headerCount} headers (layout not recognised)` };
  const cell = (k: ColumnKey): Element | null => {
    const i = index.get(k);
    return i === undefined ? null : (cells[i] ?? null);
  };
  const figs = (k: ColumnKey): string[] | null => {
    const c = cell(k);
    return c ? cellFigures(c) : null;
  };
  const symFigs = figs('symbol');
  const sym = symFigs ? cfg.parseSymbol(symFigs, format) : null;
  if (!sym) return { label, problem: `symbol not recognised ("${symFigs?.join(' ') ?? ''}")` };
  label = sym.symbol;

  // Size and its unit.
  const sizeFigs = figs('size') ?? [];
  const sizeNum = sizeFigs.length === 1 ? parseNumber(sizeFigs[0]!, format) : null;
  if (!sizeNum || !sizeNum.ok) return { label, problem: `size unknown ("${sizeFigs.join(' ')}")` };
  if (sizeNum.percent || sizeNum.currency || sizeNum.approx || !sizeNum.unit) return { label, problem: `size has no base unit ("${sizeFigs[0]}")` };
  let sizeFx = fxAbs(fx(sizeNum.value));
  let contractSize: string | undefined;
  const unit = sizeNum.unit.toUpperCase();
  if (unit === 'CONT' || unit === 'CONTS' || unit === 'CONTRACTS') {
    const ct = opts.contractValues?.[sym.symbol] ?? cfg.contractValue?.(sym.symbol) ?? null;
    if (!ct) return { label, problem: `size in contracts and contract value unknown for ${sym.symbol}` };
    contractSize = ct;
    sizeFx = fxMul(sizeFx, fx(ct));
  } else if (unit === sym.quote.toUpperCase() || unit === 'USD') {
    return { label, problem: `size shown in ${sizeNum.unit}: switch the page to show size in ${sym.base}` };
  } else if (unit !== sym.base.toUpperCase()) {
    return { label, problem: `size unit ${sizeNum.unit} does not match ${sym.base}` };
  }
  // Exchanges that tier by contract count (OKX) need the contract value even when the page shows coin.
  contractSize ??= opts.contractValues?.[sym.symbol] ?? cfg.contractValue?.(sym.symbol) ?? undefined;
  if (fxSign(sizeFx) === 0) return { label, problem: 'size is zero' };
  const size = fxString(sizeFx);

  const entry = readPrice(figs('entry') ?? [], format, 'entry price');
  if (!entry.ok) return { label, problem: entry.why };
  const markR = index.has('mark') ? readPrice(figs('mark') ?? [], format, 'mark price') : null;
  const mark = markR?.ok ? markR.value : null;
  const pnlR = index.has('pnl') ? readPnl(figs('pnl') ?? [], format, 'PnL') : null;
  // The PnL is what ties entry, mark and size together; when its column is shown but the
  // cell cannot be read, the other columns cannot be validated: the row is unknown.
  if (pnlR && !pnlR.ok) return { label, problem: `${pnlR.why}: cannot cross-check the row` };
  const pnl = pnlR?.ok ? pnlR.value : null;

  // Margin mode and leverage.
  const modeFigs = cfg.marginModeColumn ? figs(cfg.marginModeColumn) : null;
  const marginMode = sym.marginMode ?? (modeFigs ? marginModeIn(modeFigs) : null);
  if (!marginMode) return { label, problem: 'margin mode (Cross/Isolated) unknown' };

  // Direction: every piece of evidence must agree.
  const evidence = new Set<Direction>();
  const because: string[] = [];
  if (cfg.direction.minusIsShort && sizeNum.sign === '-') (evidence.add('short'), because.push('minus sign'));
  if (cfg.direction.unsignedIsLong && sizeNum.sign === null) (evidence.add('long'), because.push('unsigned size'));
  if (sizeNum.sign === '+') (evidence.add('long'), because.push('plus sign'));
  for (const k of cfg.direction.colourColumns) {
    const c = cell(k);
    if (!c) continue;
    const hints = colourHints(c);
    for (const h of hints) evidence.add(h);
    if (hints.size) because.push(`${k} colour`);
  }
  const direct = evidence.size;
  const entryFx = fx(entry.value);
  const markFx = mark ? fx(mark) : null;
  const pnlFx = pnl ? fx(pnl.value) : null;
  if (pnlFx && markFx && fxSign(pnlFx) !== 0) {
    const move = fxSub(markFx, entryFx);
    // Only when the move is clear (> 0.1 % of entry), so a last-price PnL basis cannot flip it.
    if (fxCmp(fxMul(fxAbs(move), ONE_THOUSAND), entryFx) > 0) {
      evidence.add(fxSign(move) === fxSign(pnlFx) ? 'long' : 'short');
      because.push('PnL vs mark − entry');
    }
  }
  if (direct === 0 && evidence.size === 1 && !cfg.direction.pnlAlone) {
    return { label, problem: 'direction unknown (no sign or colour; PnL vs mark − entry alone cannot rule out swapped Entry/Mark columns)' };
  }
  if (evidence.size !== 1) {
    return {
      label,
      problem: evidence.size === 0 ? 'direction unknown (no sign, no colour, no usable PnL)' : `direction unknown (contradictory evidence: ${because.join(', ')})`,
    };
  }
  const side: Direction = evidence.values().next().value!;

  // Cross-checks that catch mislabelled columns.
  if (pnlFx && markFx && !pnlConsistent(side, sizeFx, entryFx, markFx, pnlFx, pnl!.displayDecimals)) {
    return { label, problem: 'PnL does not match entry, mark and size (columns mislabelled?)' };
  }
  // Entry and Mark are the two close prices a relabelled page swaps most easily, and only a PnL
  // that matches (mark − entry) × size tells them apart: a cross margin ties the mark to size and
  // leverage only within its tolerance, a break-even price the entry only within 5 %. Without
  // one the entry price cannot be trusted, and every figure built on it would be a guess.
  if (!pnlFx || !markFx) {
    return { label, problem: 'entry price cannot be told from the mark price without a readable PnL (Entry and Mark columns could be swapped)' };
  }
  // A cross position's margin (initial margin = size × mark ÷ leverage), in a wide band (a
  // closing-fee estimate may be included, as on Bybit): catches a value or notional column under
  // the margin label.
  // Margin and IM cells are each parsed once per row (the cross check and the figures share them).
  const amounts = new Map<'margin' | 'im', ReturnType<typeof readAmount> | null>();
  const amountIn = (k: 'margin' | 'im') => {
    if (!amounts.has(k)) amounts.set(k, index.has(k) ? readAmount(figs(k) ?? [], format, k === 'im' ? 'IM' : 'margin') : null);
    return amounts.get(k)!;
  };
  const crossIm = amountIn(cfg.isolatedMarginColumn);
  if (marginMode === 'cross' && sym.leverage && crossIm?.ok) {
    const m = crossIm.value;
    const leverage = fx(sym.leverage);
    const levered = fxMul(fx(m.value), leverage);
    const implied = fxMul(sizeFx, markFx);
    const rounding = fxAdd(fxMul(leverage, fxUlp(m.displayDecimals)), fxMul(sizeFx, fxUlp(markFx.scale)));
    if (fxCmp(fxMul(levered, FOUR), fxAdd(fxMul(implied, FIVE), fxMul(rounding, FOUR))) > 0 || fxCmp(fxMul(fxAdd(levered, rounding), FIVE), fxMul(implied, FOUR)) < 0) {
      return { label, problem: 'margin far from size × mark ÷ leverage (columns mislabelled?)' };
    }
  }
  const liqR = index.has('liq') ? readPrice(figs('liq') ?? [], format, 'liq. price') : null;
  let liq = liqR?.ok ? liqR.value : null;
  if (liq) {
    if ((side === 'long' && fxCmp(fx(liq), markFx) >= 0) || (side === 'short' && fxCmp(fx(liq), markFx) <= 0)) {
      return { label, problem: 'liq. price on the wrong side of mark (columns mislabelled?)' };
    }
  }
  if (index.has('breakEven')) {
    const be = readPrice(figs('breakEven') ?? [], format, 'break-even price');
    if (be.ok && fxCmp(fxAbs(fxSub(fx(be.value), entryFx)), fxMul(entryFx, BREAK_EVEN_TOLERANCE)) > 0) {
      return { label, problem: 'break-even price far from entry (columns mislabelled?)' };
    }
  }
  const notional = fxMul(markFx, sizeFx);
  const marginR = amountIn('margin');
  const margin = marginR?.ok ? marginR.value.value : null;
  if (margin && fxCmp(fx(margin), notional) >= 0) return { label, problem: 'margin not below notional (columns mislabelled?)' };
  const imR = amountIn('im');
  const mmR = index.has('mm') ? readAmount(figs('mm') ?? [], format, 'MM') : null;
  const im = imR?.ok ? imR.value.value : null;
  const mm = mmR?.ok ? mmR.value.value : null;
  if (im && fxCmp(fx(im), notional) >= 0) return { label, problem: 'IM not below notional (columns mislabelled?)' };
  if (im && mm && fxCmp(fx(mm), fx(im)) >= 0) return { label, problem: 'MM not below IM (columns mislabelled?)' };

  const ratioR = index.has('marginRatio') ? readPercent(figs('marginRatio') ?? [], format, 'margin ratio') : null;
  const isolatedMargin = marginMode === 'isolated' ? (cfg.isolatedMarginColumn === 'im' ? im : margin) : undefined;

  const position: PositionSnapshot = {
    symbol: sym.symbol,
    side,
    size,
    contract: 'linear',
    ...(contractSize ? { contractSize } : {}),
    entryPrice: entry.value,
    markPrice: mark,
    marginMode,
    leverage: sym.leverage,
    ...(marginMode === 'isolated' ? { isolatedMargin: isolatedMargin ?? null } : {}),
    displayed: {
      liquidationPrice: liq,
      marginRatio: ratioR?.ok ? ratioR.value.fraction : null,
      unrealizedPnl: pnl?.value ?? null,
      margin: margin ?? im,
    },
  };
  return { label, position };
}

type AccountValues = Partial<Record<AccountKey, { value: string; decimals: number }>>;

function readAccount(
  cfg: ReaderConfig,
  doc: Document,
  exclude: Element[],
  format: NumberFormat,
  problems: string[],
  positions: readonly PositionSnapshot[],
  complete: boolean,
  now: number,
): { values: AccountValues; found: string[]; missing: string[]; panels: Element[]; marketDriven: Element[] } {
  const raw = readPanelValues(doc, cfg.account, exclude, { now });
  const values: AccountValues = {};
  const found: string[] = [];
  const missing: string[] = [];
  const panels: Element[] = [];
  const marketDriven: Element[] = [];
  for (const spec of cfg.account) {
    const candidates = raw.get(spec.key) ?? [];
    if (!candidates.length) {
      missing.push(spec.label);
      continue;
    }
    found.push(spec.label);
    const seen = new Map<string, { value: string; decimals: number; key: AccountKey }>();
    const seenEls = new Set<Element>();
    for (const { valueEl } of candidates) {
      if (seenEls.has(valueEl)) continue;
      seenEls.add(valueEl);
      panels.push(valueEl);
      if (MARKET_ACCOUNT.has(spec.key)) marketDriven.push(valueEl);
      const figs = cellFigures(valueEl);
      const first = figs[0] ? parseNumber(figs[0], format) : null;
      let key: AccountKey = spec.key;
      let got: { value: string; decimals: number } | null = null;
      if (spec.key === 'marginRatio' || (first?.ok && first.percent && spec.key === 'maintenanceMargin')) {
        // Bybit shows the account MM *rate* under "Maintenance Margin".
        key = 'marginRatio';
        const r = readPercent(figs, format, spec.label);
        if (r.ok) got = { value: r.value.fraction, decimals: r.value.displayDecimals };
        else if (!/placeholder|hidden/.test(r.why)) problems.push(`account ${spec.label}: ${r.why}`);
      } else {
        const r = readAmount(figs, format, spec.label, spec.key === 'unrealizedPnl');
        if (r.ok) got = { value: r.value.value, decimals: r.value.displayDecimals };
        else if (!/placeholder|hidden/.test(r.why)) problems.push(`account ${spec.label}: ${r.why}`);
      }
      if (got) seen.set(`${key}|${got.value}`, { ...got, key });
    }
    const distinct = Array.from(seen.values());
    const keys = new Set(distinct.map((d) => d.key));
    if (distinct.length === 1) values[distinct[0]!.key] = distinct[0]!;
    else if (distinct.length > 1 && keys.size === 1) problems.push(`account ${spec.label}: the page shows different values (${distinct.map((d) => d.value).join(' / ')})`);
  }

  // Cross-checks (unit of the last displayed digit included in the tolerance). When any
  // fails, a label is on the wrong value somewhere and the whole panel is distrusted.
  // Every identity is checked with whatever the page shows: a figure that is not shown is
  // derived from the others (margin balance = wallet + unrealized PnL), so a value under a
  // swapped label meets at least one relation it breaks.
  const failures: string[] = [];
  const w = values.walletBalance;
  const u = values.unrealizedPnl;
  const shownMb = values.marginBalance ?? values.totalEquity;
  if (w && u && shownMb) {
    const diff = absDec(subDec(addDec(w.value, u.value), shownMb.value));
    const tol = addDec(addDec(ulp(w.decimals), ulp(u.decimals)), addDec(ulp(shownMb.decimals), mulDec(absDec(shownMb.value), '0.005')));
    if (cmpDec(diff, tol) > 0) failures.push('wallet balance + unrealized PnL ≠ margin balance');
  }
  const mb = shownMb ?? (w && u ? { value: addDec(w.value, u.value), decimals: Math.max(w.decimals, u.decimals) } : undefined);
  const mbUlp = mb ? (shownMb ? ulp(mb.decimals) : addDec(ulp(w!.decimals), ulp(u!.decimals))) : '0';
  const r = values.marginRatio;
  const mm = values.maintenanceMargin;
  if (r && mm && mb) {
    const [num, den] = cfg.ratioDirection === 'mm/mb' ? [mm, mb] : [mb, mm];
    const numUlp = num === mb ? mbUlp : ulp(num.decimals);
    const denUlp = den === mb ? mbUlp : ulp(den.decimals);
    const diff = absDec(subDec(mulDec(r.value, den.value), num.value));
    const tol = addDec(addDec(addDec(mulDec(absDec(den.value), ulp(r.decimals)), numUlp), mulDec(r.value, denUlp)), mulDec(absDec(num.value), '0.01'));
    if (cmpDec(diff, tol) > 0) failures.push('margin ratio ≠ maintenance margin vs margin balance');
  }
  // An account that is not being liquidated has maintenance margin below its margin balance;
  // with positions open, some margin is in use, so the available balance is below it too.
  if (mm && mb && cmpDec(addDec(mm.value, mbUlp), mb.value) >= 0) failures.push('maintenance margin not below margin balance');
  const a = values.availableBalance;
  if (a && mb && positions.length && cmpDec(a.value, mb.value) >= 0) failures.push('available balance not below margin balance with positions open');
  // Each position's MM is below its initial margin, so the account MM is below the sum of the
  // margins shown (only when every row was read: a missing row would lower the sum).
  if (mm && complete && positions.length && positions.every((p) => p.displayed?.margin != null)) {
    let im = '0';
    for (const p of positions) im = addDec(im, p.displayed!.margin!);
    if (cmpDec(mm.value, addDec(im, ulp(mm.decimals))) > 0) failures.push('maintenance margin above the positions\' margins');
  }
  if (failures.length) {
    problems.push(`account panel not trusted: ${failures.join('; ')} (labels mislabelled?)`);
    for (const k of Object.keys(values) as AccountKey[]) delete values[k];
  }
  return { values, found, missing, panels, marketDriven };
}

function positionsTabState(cfg: ReaderConfig, doc: Document): { selected: boolean | null; count: number | null; tab: Element | null } {
  for (const tab of Array.from(doc.querySelectorAll('[role="tab"]'))) {
    const m = cfg.positionsTab.exec(labelText(tab));
    if (!m) continue;
    const sel = tab.getAttribute('aria-selected');
    return { selected: sel === null ? null : sel === 'true', count: m[1] === undefined ? null : Number(m[1]), tab };
  }
  return { selected: null, count: null, tab: null };
}

function findTable(cfg: ReaderConfig, doc: Document): LabelTable | null {
  for (const sel of cfg.tableScopes ?? []) {
    for (const scope of Array.from(doc.querySelectorAll(sel))) {
      const t = findLabelTable(scope, cfg.columns, { divGrid: cfg.divGrid });
      if (t) return t;
    }
  }
  return findLabelTable(doc, cfg.columns, { divGrid: cfg.divGrid });
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
  const readAt = opts.now ?? Date.now();
  const problems: string[] = [];
  const health = (status: ReaderHealth['status'], found: string[], missing: string[]): ReaderHealth => ({
    exchange: cfg.exchange,
    status,
    url,
    readAt,
    found,
    missing,
    problems,
    lastGoodReadAt: status === 'ok' ? readAt : (opts.lastGoodReadAt ?? null),
  });
  const allLabels = [...cfg.columns.map((c) => c.label), ...cfg.account.map((a) => a.label)];

  const locale = pageLocale(doc, url) ?? 'en';
  const format = numberFormatForLocale(locale);
  if (!/^en\b/i.test(locale) || format !== DOT_DECIMAL) {
    problems.push(`page language "${locale}" is not supported yet (English labels only): switch the exchange to English`);
    return { snapshot: null, health: health('unrecognized', [], allLabels), panels: [] };
  }

  const tab = positionsTabState(cfg, doc);
  const table = findTable(cfg, doc);
  let rows: Element[][] = [];
  let colFound: string[] = [];
  let colMissing: string[] = cfg.columns.map((c) => c.label);
  let index = new Map<ColumnKey, number>();
  const panels: Element[] = [];
  if (tab.tab) panels.push(tab.tab);
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
      return { snapshot: null, health: health('unrecognized', colFound, colMissing), panels };
    }
  } else {
    const emptyShown = cfg.emptyState.test(doc.body?.textContent ?? '');
    if (tab.selected === false) problems.push('the Positions tab is not open: open it so positions can be read');
    else if (!(emptyShown && (tab.count === 0 || tab.count === null))) problems.push(`positions table not found (looked for headers ${cfg.columns.filter((c) => c.need === 'identity').map((c) => c.label).join(', ')})`);
    if (tab.selected === false || !(emptyShown && (tab.count === 0 || tab.count === null))) {
      return { snapshot: null, health: health('unrecognized', [], colMissing), panels };
    }
    colMissing = [];
  }
  if (tab.selected === false) {
    problems.push('the Positions tab is not open: open it so positions can be read');
    return { snapshot: null, health: health('unrecognized', colFound, colMissing), panels };
  }

  let partial = cfg.columns.some((c) => c.need === 'engine' && colMissing.includes(c.label));
  const positions: PositionSnapshot[] = [];
  let unknownRows = 0;
  const marketDriven: Element[] = [];
  const keyAt: (ColumnKey | undefined)[] = [];
  for (const [k, i] of index) keyAt[i] = k;
  rows.forEach((cells, i) => {
    const out = readRow(cfg, cells, index, table!.headerCells.length, format, opts, i + 1);
    if (out.position) {
      positions.push(out.position);
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
  if (table && rows.length === 0 && tab.count !== 0 && !cfg.emptyState.test(table.root.parentElement?.textContent ?? '')) {
    problems.push('positions table has no rows and nothing confirms there are no positions');
    partial = true;
  }
  if (tab.count !== null && tab.count !== rows.length) {
    problems.push(`the Positions tab says ${tab.count} but the table shows ${rows.length} rows`);
    partial = true;
  }
  if (unknownRows) partial = true;

  // Hedge mode: both sides of one symbol and margin mode. Anything else duplicated is a reading error.
  const groups = new Map<string, PositionSnapshot[]>();
  for (const p of positions) {
    const k = `${p.symbol}|${p.marginMode}`;
    groups.set(k, [...(groups.get(k) ?? []), p]);
  }
  let hedge = false;
  const dropped = new Set<PositionSnapshot>();
  for (const [k, list] of groups) {
    if (list.length === 1) continue;
    if (list.length === 2 && list[0]!.side !== list[1]!.side) hedge = true;
    else {
      list.forEach((p) => dropped.add(p));
      problems.push(`${k.split('|')[0]}: ${list.length} rows for the same symbol and side (positions left out)`);
      partial = true;
    }
  }
  const kept = positions.filter((p) => !dropped.has(p));

  // Account panel, excluding the positions table (its headers reuse labels such as "Margin Ratio").
  let incomplete = unknownRows > 0 || dropped.size > 0 || (tab.count !== null && tab.count !== rows.length);
  const acc = readAccount(cfg, doc, table ? [table.root] : [], format, problems, kept, !incomplete, readAt);
  panels.push(...acc.panels);
  marketDriven.push(...acc.marketDriven);
  const v = acc.values;
  // Completeness: the rows must add up to the account's unrealized PnL (catches missing rows,
  // virtualised tables and "Hide Other Symbols").
  if (v.unrealizedPnl && kept.every((p) => p.displayed?.unrealizedPnl != null)) {
    let sum = '0';
    let gross = '0';
    for (const p of kept) {
      sum = addDec(sum, p.displayed!.unrealizedPnl!);
      gross = addDec(gross, absDec(p.displayed!.unrealizedPnl!));
    }
    const tol = addDec(addDec(mulDec(gross, '0.001'), ulp(v.unrealizedPnl.decimals)), mulDec(String(kept.length), '0.01'));
    if (cmpDec(absDec(subDec(sum, v.unrealizedPnl.value)), tol) > 0) {
      problems.push(`positions shown add up to unrealized PnL ${sum} but the account shows ${v.unrealizedPnl.value}: some positions are not listed (other symbols hidden?), or that label is on another figure: the account's unrealized PnL is not shown`);
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
  // Validated by the background (lib/background/monitor.ts handlePageRead), which shows a rejected
  // snapshot as "page not recognised" with the field named: the schema stays out of the page.
  const found = [...colFound, ...acc.found];
  const missing = [...colMissing, ...acc.missing];
  return { snapshot, health: health(partial ? 'partial' : 'ok', found, missing), panels, marketDriven };
}
