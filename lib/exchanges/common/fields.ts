/**
 * Typed readers for one table cell or panel value. Each checks the SHAPE the meaning implies
 * (a price has no unit other than the quote, a size carries the base unit or `Cont`, a PnL
 * carries its ROI percent, a ratio is a percent) so that a mislabelled column gives
 * "unknown", not a plausible wrong number.
 */
import { figuresOf } from './dom';
import { parseNumber, percentToFraction, type NumberFormat, type ParsedNumber } from './number';

/** A value read from the page, or why it is unknown. */
export type Read<T> = { ok: true; value: T } | { ok: false; why: string };

export const unknown = <T>(why: string): Read<T> => ({ ok: false, why });
export const known = <T>(value: T): Read<T> => ({ ok: true, value });

/** All figures of a cell (see {@link figures}). */
export function cellFigures(cell: Element): string[] {
  return figuresOf(cell);
}

const MONEY_UNITS = new Set(['USDT', 'USDC', 'USD', 'BUSD', 'FDUSD']);

function numericFigures(figs: readonly string[], format: NumberFormat): ParsedNumber[] {
  const out: ParsedNumber[] = [];
  for (const f of figs) {
    const r = parseNumber(f, format);
    if (r.ok) out.push(r);
  }
  return out;
}

function firstNumber(figs: readonly string[], format: NumberFormat, what: string): Read<ParsedNumber> {
  const f = figs[0];
  if (f === undefined) return unknown(`${what}: empty cell`);
  const r = parseNumber(f, format);
  if (!r.ok) return unknown(`${what}: ${r.reason} ("${f}")`);
  return known(r);
}

/**
 * A price: one bare figure, positive, no sign, no percent, no unit word (`$` prefix allowed).
 * Position tables print prices bare; a figure with a unit (`27,287.07 USDC`) is a value or
 * margin column under the wrong label.
 */
export function readPrice(figs: readonly string[], format: NumberFormat, what: string): Read<string> {
  const r = firstNumber(figs, format, what);
  if (!r.ok) return r;
  const n = r.value;
  if (figs.length !== 1) return unknown(`${what}: expected one figure, got ${figs.length}`);
  if (n.percent || n.sign || n.approx) return unknown(`${what}: not a price ("${figs[0]}")`);
  if (n.unit) return unknown(`${what}: unexpected unit ${n.unit}`);
  if (!/[1-9]/.test(n.value)) return unknown(`${what}: zero`);
  return known(n.value);
}

/** A money amount (margin, IM, MM, balance): first figure, no sign (unless `signed`), unit absent or money. Extra figures may only be `≈` alternatives or words such as `Cross`. */
export function readAmount(figs: readonly string[], format: NumberFormat, what: string, signed = false): Read<ParsedNumber> {
  const r = firstNumber(figs, format, what);
  if (!r.ok) return r;
  const n = r.value;
  if (n.percent || n.approx) return unknown(`${what}: not an amount ("${figs[0]}")`);
  if (!signed && n.sign) return unknown(`${what}: unexpected sign ("${figs[0]}")`);
  if (n.unit && !MONEY_UNITS.has(n.unit.toUpperCase())) return unknown(`${what}: unexpected unit ${n.unit}`);
  for (const extra of figs.slice(1)) {
    if (extra.startsWith('≈')) continue;
    if (/\d/.test(extra)) return unknown(`${what}: unexpected extra figure "${extra}"`);
  }
  return known(n);
}

/** Unrealised PnL: signed money amount followed by its ROI/ROE percent in the same cell. */
export function readPnl(figs: readonly string[], format: NumberFormat, what: string): Read<ParsedNumber> {
  const r = firstNumber(figs, format, what);
  if (!r.ok) return r;
  const n = r.value;
  if (n.percent || n.approx) return unknown(`${what}: not an amount ("${figs[0]}")`);
  if (n.unit && !MONEY_UNITS.has(n.unit.toUpperCase())) return unknown(`${what}: unexpected unit ${n.unit}`);
  const rest = numericFigures(figs.slice(1), format);
  if (figs.length !== 2 || rest.length !== 1 || !rest[0]!.percent) return unknown(`${what}: expected "amount (ROI %)"`);
  return known(n);
}

/** A percent figure, returned as a fraction string (`1.01%` → `0.0101`) plus its display decimals. */
export function readPercent(figs: readonly string[], format: NumberFormat, what: string): Read<{ fraction: string; displayDecimals: number }> {
  const r = firstNumber(figs, format, what);
  if (!r.ok) return r;
  const n = r.value;
  if (figs.length !== 1 || !n.percent || n.sign === '-' || n.unit || n.currency) return unknown(`${what}: not a percent ("${figs.join(' ')}")`);
  return known({ fraction: percentToFraction(n.value), displayDecimals: n.displayDecimals + 2 });
}

/** Margin mode written as a word anywhere in the figures (`Cross`, `(Isolated)`, `Cross 20x`). */
export function marginModeIn(figs: readonly string[]): 'cross' | 'isolated' | null {
  let mode: 'cross' | 'isolated' | null = null;
  for (const f of figs) {
    const m = /^(cross|isolated)\b/i.exec(f);
    if (!m) continue;
    const v = m[1]!.toLowerCase() === 'cross' ? 'cross' : 'isolated';
    if (mode && mode !== v) return null;
    mode = v;
  }
  return mode;
}

/** Leverage written as `20x`, `20.00x` or `Cross 20x` (the whole figure): the number, canonical; null if absent or ambiguous. */
export function leverageIn(figs: readonly string[], format: NumberFormat): string | null {
  let lev: string | null = null;
  for (const f of figs) {
    const m = /^(?:(?:cross|isolated) ?)?(\d+(?:[.,]\d+)?) ?x$/i.exec(f);
    if (!m) continue;
    const r = parseNumber(m[1]!, format);
    if (!r.ok || !/[1-9]/.test(r.value)) return null;
    if (lev && lev !== r.value) return null;
    lev = r.value;
  }
  return lev;
}
