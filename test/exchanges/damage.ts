/**
 * The damaged-page generator of the mutation test (test/exchanges/mutation.test.ts), shared so
 * another test can damage the saved pages the same way: random label/number/attribute damage
 * ({@link mutationArb}) and the flicker/hide damage of a live page ({@link neverSilentArb}: PnL
 * shown as `******`, PnL jumping before the mark, rows or the grid hidden, the grid not rendered
 * while the Positions tab keeps its count). Seeded by the caller (fast-check).
 */
import fc from 'fast-check';
import { labelKey } from '../../lib/exchanges/common/dom';
import type { ReaderConfig } from '../../lib/exchanges/common/reader/config';
import { BINANCE_USDM_READER } from '../../lib/exchanges/binance-usdm/reader';
import { BYBIT_READER } from '../../lib/exchanges/bybit/reader';
import { HYPERLIQUID_READER } from '../../lib/exchanges/hyperliquid/reader';
import { OKX_READER } from '../../lib/exchanges/okx/reader';
import { FIXTURES, grid } from './helpers';

export type Ex = keyof typeof FIXTURES;
export const CONFIG: Record<Ex, ReaderConfig> = { 'binance-usdm': BINANCE_USDM_READER, bybit: BYBIT_READER, okx: OKX_READER, hyperliquid: HYPERLIQUID_READER };

export type Mutation =
  | { kind: 'dropCell'; row: number; cell: number }
  | { kind: 'dropRow'; row: number }
  | { kind: 'swapLabels'; a: number; b: number }
  | { kind: 'renameLabel'; a: number; text: string }
  | { kind: 'garble'; node: number; op: number; at: number }
  | { kind: 'classes'; salt: number }
  | { kind: 'stripAttr'; attr: 'style' | 'aria-hidden' | 'aria-selected' | 'role' | 'class' }
  | NeverSilentDamage;

/**
 * Flicker and hide damage (issue 12 "never silent"): what a live page does between two renders.
 * Each loses rows with open positions from what can be read while the page still has them.
 */
export type NeverSilentDamage =
  /** The row's PnL shown as `******` (hidden balances). */
  | { kind: 'hidePnl'; row: number }
  /** A fast market: the row's PnL jumps before its mark (PnL and mark disagree). */
  | { kind: 'flicker'; row: number }
  /** The row hidden: `hidden` attribute, inline display:none / visibility:hidden, or a style-sheet class. */
  | { kind: 'hideRow'; row: number; how: HideHow }
  /** The grid hidden the same ways while the tab count stays. */
  | { kind: 'hideGrid'; how: HideHow }
  /** The grid not rendered (removed) while the tab count stays. */
  | { kind: 'removeGrid' };
export type HideHow = 'hidden' | 'display' | 'visibility' | 'class';

export const GARBLE_OPS = 8;

export function textNodes(root: Node, pred: (t: Text) => boolean): Text[] {
  const out: Text[] = [];
  const it = (root.ownerDocument ?? (root as Document)).createTreeWalker(root, 4);
  for (let n = it.nextNode(); n; n = it.nextNode()) {
    const t = n as Text;
    if (t.parentElement?.closest('script,style')) continue;
    if (pred(t)) out.push(t);
  }
  return out;
}

/** Label elements: the positions header cells and the account-panel labels. */
function labelElements(ex: Ex, doc: Document): Element[] {
  const header = grid(doc, ex).headerCells;
  const keys = new Set(CONFIG[ex].account.flatMap((a) => a.synonyms.map(labelKey)));
  const panel = Array.from(doc.querySelectorAll('div,span')).filter(
    (e) => e.childElementCount === 0 && keys.has(labelKey(e.textContent ?? '')) && !header.some((h) => h.contains(e)),
  );
  return [...header, ...panel];
}

function firstText(el: Element): Text | null {
  return textNodes(el, (t) => (t.nodeValue ?? '').trim() !== '')[0] ?? null;
}

/** One of {@link GARBLE_OPS} ways to damage a number's text (op), at its `at`-th digit. */
export function garble(s: string, op: number, at: number): string {
  const digitPositions = [...s].map((c, i) => (/\d/.test(c) ? i : -1)).filter((i) => i >= 0);
  const p = digitPositions[at % digitPositions.length]!;
  switch (op) {
    case 0: // a letter inside the number
      return s.slice(0, p) + 'O' + s.slice(p);
    case 1: // a doubled separator
      return s.includes('.') ? s.replace('.', '..') : s.replace(/(\d)/, '$1,,');
    case 2: // decimal and thousands separators swapped (decimal-comma rendering)
      return s.replace(/[.,]/g, (c) => (c === '.' ? ',' : '.'));
    case 3: // hidden
      return '******';
    case 4: // placeholder
      return '--';
    case 5: // an invisible mark (must still read the same)
      return s.slice(0, p) + '\u200E' + s.slice(p);
    case 6: // a space inside the digits
      return s.slice(0, p) + ' ' + s.slice(p);
    default: // a stray separator that cannot form a valid number: a second '.', or a ',' breaking the 3-digit groups
      if (s.includes('.')) return s.slice(0, p) + '.' + s.slice(p);
      return p > 0 && /\d/.test(s[p - 1]!) ? s.slice(0, p) + ',' + s.slice(p) : s.slice(0, p) + 'O' + s.slice(p);
  }
}

function hash(s: string, salt: number): string {
  let h = salt >>> 0;
  for (const c of s) h = (Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0);
  return `c${h.toString(36)}`;
}

/** Apply one damage to a fixture document of exchange `ex` (in place). */
export function apply(ex: Ex, doc: Document, m: Mutation): void {
  switch (m.kind) {
    case 'dropCell': {
      const rows = grid(doc, ex).rows;
      const row = rows[m.row % rows.length]!;
      row[m.cell % row.length]!.remove();
      return;
    }
    case 'dropRow': {
      const rows = grid(doc, ex).rowEls;
      rows[m.row % rows.length]!.remove();
      return;
    }
    case 'swapLabels': {
      const labels = labelElements(ex, doc);
      const a = firstText(labels[m.a % labels.length]!);
      const b = firstText(labels[m.b % labels.length]!);
      if (!a || !b) return;
      const t = a.nodeValue;
      a.nodeValue = b.nodeValue;
      b.nodeValue = t;
      return;
    }
    case 'renameLabel': {
      const labels = labelElements(ex, doc);
      const a = firstText(labels[m.a % labels.length]!);
      if (a) a.nodeValue = m.text;
      return;
    }
    case 'garble': {
      const nodes = textNodes(doc.body, (t) => /\d/.test(t.nodeValue ?? ''));
      const n = nodes[m.node % nodes.length]!;
      n.nodeValue = garble(n.nodeValue!, m.op, m.at);
      return;
    }
    case 'classes':
      doc.querySelectorAll('[class]').forEach((e) => e.setAttribute('class', e.getAttribute('class')!.split(/\s+/).map((c) => hash(c, m.salt)).join(' ')));
      return;
    case 'stripAttr':
      doc.querySelectorAll(`[${m.attr}]`).forEach((e) => e.removeAttribute(m.attr));
      return;
    case 'hidePnl':
    case 'flicker': {
      const g = gridOrNull(doc, ex);
      const i = g ? pnlColumn(ex, g.headerCells) : -1;
      const cell = g?.rows.length ? g.rows[m.row % g.rows.length]![i] : undefined;
      // The amount's text node (Binance shows the ROI % in a node of its own; elsewhere it follows).
      const money = cell && textNodes(cell, (t) => /\d/.test(t.nodeValue ?? ''))[0];
      if (!money) return; // an earlier damage took the grid, row or cell
      // Flicker: a leading 9 on the amount (+13.29 → +913.29), far outside the PnL law's tolerance.
      money.nodeValue = m.kind === 'hidePnl' ? '******' : money.nodeValue!.replace(/\d/, (d) => `9${d}`);
      return;
    }
    case 'hideRow': {
      const rows = gridOrNull(doc, ex)?.rowEls ?? [];
      if (rows.length) hide(doc, rows[m.row % rows.length]!, m.how);
      return;
    }
    case 'hideGrid': {
      const root = gridRoot(doc, ex);
      if (root) hide(doc, root, m.how);
      return;
    }
    case 'removeGrid':
      gridRoot(doc, ex)?.remove();
      return;
  }
}

/** Index of the PnL column among the header cells (the config's PnL synonyms). */
function pnlColumn(ex: Ex, headerCells: readonly Element[]): number {
  const keys = new Set(CONFIG[ex].columns.find((c) => c.key === 'pnl')!.synonyms.map(labelKey));
  return headerCells.findIndex((c) => keys.has(labelKey(c.textContent ?? '')));
}

/** The fixture's positions grid, or null when an earlier damage removed it. */
function gridOrNull(doc: Document, ex: Ex): ReturnType<typeof grid> | null {
  try {
    const g = grid(doc, ex);
    return g.header ? g : null;
  } catch {
    return null;
  }
}

/** The element holding the positions header and rows (the `<table>`, or Binance's grid inside its panel). */
function gridRoot(doc: Document, ex: Ex): Element | null {
  const g = gridOrNull(doc, ex);
  return g ? (ex === 'binance-usdm' ? g.header.parentElement : g.header.closest('table')) : null;
}

function hide(doc: Document, el: Element, how: HideHow): void {
  if (how === 'hidden') el.setAttribute('hidden', '');
  else if (how === 'display') el.setAttribute('style', 'display: none');
  else if (how === 'visibility') el.setAttribute('style', 'visibility: hidden');
  else {
    if (!doc.getElementById('ms-test-hide')) {
      const style = doc.createElement('style');
      style.id = 'ms-test-hide';
      style.textContent = '.ms-test-gone { display: none; }';
      (doc.head ?? doc.body).appendChild(style);
    }
    el.classList.add('ms-test-gone');
  }
}

const hideHowArb = fc.constantFrom<HideHow>('hidden', 'display', 'visibility', 'class');
/** Flicker/hide damage only. */
export const neverSilentArb: fc.Arbitrary<NeverSilentDamage> = fc.oneof(
  fc.record({ kind: fc.constant('hidePnl' as const), row: fc.nat(10) }),
  fc.record({ kind: fc.constant('flicker' as const), row: fc.nat(10) }),
  fc.record({ kind: fc.constant('hideRow' as const), row: fc.nat(10), how: hideHowArb }),
  fc.record({ kind: fc.constant('hideGrid' as const), how: hideHowArb }),
  fc.constant({ kind: 'removeGrid' as const }),
);

/** Random label/number/attribute damage (the original mutation run). */
export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('dropCell' as const), row: fc.nat(10), cell: fc.nat(20) }),
  fc.record({ kind: fc.constant('dropRow' as const), row: fc.nat(10) }),
  fc.record({ kind: fc.constant('swapLabels' as const), a: fc.nat(30), b: fc.nat(30) }),
  fc.record({ kind: fc.constant('renameLabel' as const), a: fc.nat(30), text: fc.constantFrom('Foo', 'Margin', 'Size', 'PnL', '--', '') }),
  fc.record({ kind: fc.constant('garble' as const), node: fc.nat(200), op: fc.nat(GARBLE_OPS - 1), at: fc.nat(20) }),
  fc.record({ kind: fc.constant('classes' as const), salt: fc.nat() }),
  fc.record({ kind: fc.constant('stripAttr' as const), attr: fc.constantFrom('style' as const, 'aria-hidden' as const, 'aria-selected' as const, 'role' as const, 'class' as const) }),
);

