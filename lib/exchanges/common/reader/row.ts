/**
 * One position row: every cell read on its own, by the column its header label names, then
 * cross-checked by the row laws in ./checks/. A row whose symbol, side, size, entry price or
 * margin mode is unknown, or that breaks a law (the signature of a mislabelled column), is left
 * out with the reason: never read shifted, never guessed.
 */
import type { OrderSnapshot, PositionSnapshot } from '../../../engine/snapshot';
import { colourHints, type Direction } from '../dom';
import { fx, fxAbs, fxMul, fxSign, fxString } from '../fixed';
import { cellFigures, marginModeIn, readAmount, readPercent, readPnl, readPrice } from '../fields';
import { parseNumber, type NumberFormat } from '../number';
import { breakEvenNearEntry } from './checks/break-even-near-entry';
import { crossMarginMatchesLeverage } from './checks/cross-margin-matches-leverage';
import { directionAgrees } from './checks/direction-agrees';
import { entryToldFromMark } from './checks/entry-told-from-mark';
import { liqBeyondMark } from './checks/liq-beyond-mark';
import { marginBelowNotional } from './checks/margin-below-notional';
import { mmBelowIm } from './checks/mm-below-im';
import { pnlMatchesPrices } from './checks/pnl-matches-prices';
import type { ColumnKey, ReadOptions, ReaderConfig } from './config';
import { readTpSl, readTrailing } from './stops';

/** What one row gave: a position, or the reason it was left out. */
export interface RowOutcome {
  position?: PositionSnapshot;
  /** For an unknown row: what we could tell (symbol if read) and why. */
  problem?: string;
  /** The row's symbol when read, else `row <n>`. */
  label: string;
  /**
   * Orders the row's TP/SL (and trailing-stop) cells show: `[]` none, `null` a cell that could not
   * be read (with `ordersProblem`), `undefined` no such column.
   */
  orders?: OrderSnapshot[] | null;
  ordersProblem?: string;
}

/**
 * Read one position row.
 *
 * @param cells - the row's cells, one per header cell.
 * @param index - column index per key (from the header row of this read).
 * @param headerCount - number of header cells: a row with another count is not read (shifted).
 * @param rowNo - 1-based row number, for the label of a row whose symbol is unknown.
 */
export function readRow(cfg: ReaderConfig, cells: Element[], index: Map<ColumnKey, number>, headerCount: number, format: NumberFormat, opts: ReadOptions, rowNo: number): RowOutcome {
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
  const direct = new Set<Direction>();
  const because: string[] = [];
  if (cfg.direction.minusIsShort && sizeNum.sign === '-') (direct.add('short'), because.push('minus sign'));
  if (cfg.direction.unsignedIsLong && sizeNum.sign === null) (direct.add('long'), because.push('unsigned size'));
  if (sizeNum.sign === '+') (direct.add('long'), because.push('plus sign'));
  for (const k of cfg.direction.colourColumns) {
    const c = cell(k);
    if (!c) continue;
    const hints = colourHints(c);
    for (const h of hints) direct.add(h);
    if (hints.size) because.push(`${k} colour`);
  }
  const entryFx = fx(entry.value);
  const markFx = mark ? fx(mark) : null;
  const pnlFx = pnl ? fx(pnl.value) : null;
  const dir = directionAgrees({ direct, because, entry: entryFx, mark: markFx, pnl: pnlFx, pnlAlone: cfg.direction.pnlAlone === true });
  if ('problem' in dir) return { label, problem: dir.problem };
  const side = dir.side;

  // Cross-checks that catch mislabelled columns.
  let broken = pnlFx && markFx ? pnlMatchesPrices(side, sizeFx, entryFx, markFx, pnlFx, pnl!.displayDecimals) : null;
  if (broken) return { label, problem: broken };
  broken = entryToldFromMark(pnlFx, markFx);
  if (broken || !markFx) return { label, problem: broken! };
  // Margin and IM cells are each parsed once per row (the cross check and the figures share them).
  const amounts = new Map<'margin' | 'im', ReturnType<typeof readAmount> | null>();
  const amountIn = (k: 'margin' | 'im') => {
    if (!amounts.has(k)) amounts.set(k, index.has(k) ? readAmount(figs(k) ?? [], format, k === 'im' ? 'IM' : 'margin') : null);
    return amounts.get(k)!;
  };
  const crossIm = amountIn(cfg.isolatedMarginColumn);
  if (marginMode === 'cross' && sym.leverage && crossIm?.ok) {
    broken = crossMarginMatchesLeverage(fx(crossIm.value.value), crossIm.value.displayDecimals, fx(sym.leverage), sizeFx, markFx);
    if (broken) return { label, problem: broken };
  }
  const liqR = index.has('liq') ? readPrice(figs('liq') ?? [], format, 'liq. price') : null;
  const liq = liqR?.ok ? liqR.value : null;
  if (liq) {
    broken = liqBeyondMark(side, fx(liq), markFx);
    if (broken) return { label, problem: broken };
  }
  if (index.has('breakEven')) {
    const be = readPrice(figs('breakEven') ?? [], format, 'break-even price');
    broken = be.ok ? breakEvenNearEntry(fx(be.value), entryFx) : null;
    if (broken) return { label, problem: broken };
  }
  const notional = fxMul(markFx, sizeFx);
  const marginR = amountIn('margin');
  const margin = marginR?.ok ? marginR.value.value : null;
  broken = margin ? marginBelowNotional('margin', fx(margin), notional) : null;
  if (broken) return { label, problem: broken };
  const imR = amountIn('im');
  const mmR = index.has('mm') ? readAmount(figs('mm') ?? [], format, 'MM') : null;
  const im = imR?.ok ? imR.value.value : null;
  const mm = mmR?.ok ? mmR.value.value : null;
  broken = im ? marginBelowNotional('IM', fx(im), notional) : null;
  if (broken) return { label, problem: broken };
  broken = im && mm ? mmBelowIm(fx(mm), fx(im)) : null;
  if (broken) return { label, problem: broken };

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
  // Position-attached stops (a trader action: not market-driven).
  let orders: OrderSnapshot[] | null | undefined;
  let ordersProblem: string | undefined;
  for (const [k, read] of [
    ['tpsl', (f: string[]) => readTpSl(f, sym.symbol, side, mark, format)],
    ['trailing', (f: string[]) => readTrailing(f, sym.symbol, side)],
  ] as const) {
    if (!index.has(k) || orders === null) continue;
    const r = read(figs(k) ?? []);
    if (r.ok) orders = [...(orders ?? []), ...r.orders];
    else (orders = null), (ordersProblem = r.why);
  }
  return { label, position, ...(orders !== undefined && { orders }), ...(ordersProblem && { ordersProblem }) };
}
