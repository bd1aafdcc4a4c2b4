/**
 * Label-table reader: finds a table (real `<table>` or a div grid) by its header LABELS and
 * builds the label → column map from the header row on every read. Never by column position
 * or hashed class name: columns may be hidden or reordered by the user.
 */
import { cellsOf, hasText, isRendered, labelKey, labelText, shownBelow, walkElements } from './dom';

/** One column the reader wants, with every header text that means it. */
export interface ColumnSpec<K extends string = string> {
  key: K;
  /** Canonical label, as reported in health `found` / `missing`. */
  label: string;
  /** Header texts that mean this column (matched after {@link labelKey} normalisation, exactly). */
  synonyms: readonly string[];
  /**
   * `identity`: without it no position can be read (page unrecognised);
   * `engine`: the engine needs it (missing → status partial);
   * `display`: shown by the exchange, used for reconciliation and checks only.
   */
  need: 'identity' | 'engine' | 'display';
}

export interface ColumnMap<K extends string = string> {
  /** Column index per key, for keys found exactly once. */
  index: Map<K, number>;
  /** Canonical labels found. */
  found: string[];
  /** Canonical labels not found (or found twice: ambiguous). */
  missing: string[];
  /** Problems, e.g. duplicated headers. */
  problems: string[];
  /** The header texts as shown, in order (the page's "shape fingerprint"). */
  headers: string[];
}

/** Build the label → column map from the header cells. Duplicated labels make that column unknown. */
export function mapColumns<K extends string>(headerCells: readonly Element[], specs: readonly ColumnSpec<K>[]): ColumnMap<K> {
  const headers = headerCells.map((c) => labelText(c));
  const keys = headers.map(labelKey);
  const index = new Map<K, number>();
  const found: string[] = [];
  const missing: string[] = [];
  const problems: string[] = [];
  for (const spec of specs) {
    const wanted = new Set(spec.synonyms.map(labelKey));
    const hits: number[] = [];
    keys.forEach((k, i) => {
      if (wanted.has(k)) hits.push(i);
    });
    if (hits.length === 1) {
      index.set(spec.key, hits[0]!);
      found.push(spec.label);
    } else {
      missing.push(spec.label);
      if (hits.length > 1) problems.push(`header "${spec.label}" appears ${hits.length} times: column ignored`);
    }
  }
  return { index, found, missing, problems, headers };
}

/** A located table: its header cells and its data rows (each row's cells, one element per column). */
export interface LabelTable {
  /** Element that contains header and rows (observed for changes). */
  root: Element;
  headerCells: Element[];
  /** Rows shown on the page. */
  rows: Element[][];
  /** Rows with text that the page hides (`hidden`, `display: none`, `visibility: hidden`): not read. */
  hiddenRows: Element[][];
}

function allSynonymKeys(specs: readonly ColumnSpec[]): Set<string> {
  const s = new Set<string>();
  for (const spec of specs) for (const syn of spec.synonyms) s.add(labelKey(syn));
  return s;
}

function identityMatched(cells: readonly Element[], specs: readonly ColumnSpec[]): number {
  const keys = new Set(cells.map((c) => labelKey(labelText(c))));
  let n = 0;
  for (const spec of specs) {
    if (spec.need === 'identity' && spec.synonyms.some((s) => keys.has(labelKey(s)))) n++;
  }
  return n;
}

function isBlankRow(row: Element): boolean {
  return !hasText(row);
}

/** Sort candidate row elements into shown and hidden rows (skipping measure rows and spacers). */
function sortRows(root: Element, rowEls: readonly Element[], skipEmpty: boolean): { rows: Element[][]; hiddenRows: Element[][] } {
  const rows: Element[][] = [];
  const hiddenRows: Element[][] = [];
  // Rows share their ancestors: one computed style each per read.
  const memo = new Map<Element, boolean>();
  for (const r of rowEls) {
    if (r.getAttribute('aria-hidden') === 'true') continue;
    if ((skipEmpty && r.childElementCount === 0) || isBlankRow(r)) continue;
    (shownBelow(r, root, memo) ? rows : hiddenRows).push(cellsOf(r));
  }
  return { rows, hiddenRows };
}

/**
 * Find the positions tables inside `scope`: each `<table>` (or div grid) whose header row carries
 * every identity label and that the page renders (a hidden grid, by `hidden`, `display: none`
 * or `visibility: hidden` on it or an ancestor, is not a table the trader sees). Data rows skip `aria-hidden="true"` rows (OKX measure rows) and rows
 * with no text at all (spacers); rows the page hides go to `hiddenRows`. Div grids are looked
 * for only when no `<table>` qualifies.
 *
 * @param divGrid - also look for div grids (Binance): a header element whose direct
 *   children are the header cells, followed by a sibling whose children are the rows.
 * @returns every rendered match, in document order (the caller treats two as ambiguous).
 */
export function findLabelTables(scope: ParentNode, specs: readonly ColumnSpec[], divGrid?: boolean): LabelTable[] {
  const needIdentity = specs.filter((s) => s.need === 'identity').length;
  const tables: LabelTable[] = [];
  for (const table of Array.from(scope.querySelectorAll('table'))) {
    const headRow = table.querySelector('thead tr:last-child') ?? table.querySelector('tr');
    if (!headRow) continue;
    const headerCells = cellsOf(headRow);
    if (identityMatched(headerCells, specs) < needIdentity) continue;
    if (!isRendered(headRow)) continue;
    // Rows of this table's bodies only (not of a nested table), header row excluded.
    const bodyRows: Element[] = [];
    for (const sec of Array.from(table.children)) {
      if (sec.tagName === 'TBODY') bodyRows.push(...Array.from(sec.children));
      else if (sec.tagName === 'TR' && sec !== headRow) bodyRows.push(sec);
    }
    tables.push({ root: table, headerCells, ...sortRows(table, bodyRows, false) });
  }
  if (tables.length || !divGrid) return tables;
  const known = allSynonymKeys(specs);
  const start = 'nodeType' in scope && (scope as Node).nodeType === 9 ? (scope as Document) : (scope as Element);
  // Rows of a grid already found: not searched for a header (a 100-row grid would cost 600 label reads).
  const read = new Set<Element>();
  walkElements(start, (el) => {
    if (read.has(el) || el.tagName === 'TABLE' || el.tagName === 'SCRIPT' || el.tagName === 'SVG' || el.tagName === 'svg') return 'skip';
    if (el.tagName !== 'DIV' || el.childElementCount < 3) return;
    // Cheap pre-check: at least 3 children whose text is a known label.
    let hits = 0;
    let i = 0;
    for (const c of el.children) {
      if (hits >= 3 || i++ - hits >= 6) break;
      if (c.childElementCount <= 2 && known.has(labelKey(labelText(c)))) hits++;
    }
    if (hits < 3) return;
    const headerCells = cellsOf(el);
    if (identityMatched(headerCells, specs) < needIdentity) return;
    if (!isRendered(el)) return 'skip';
    const rowEls: Element[] = [];
    const siblings = el.parentElement ? Array.from(el.parentElement.children) : [el];
    const after = siblings.slice(siblings.indexOf(el) + 1);
    const next = after[0];
    const firstRow = next?.firstElementChild;
    if (next && firstRow && firstRow.childElementCount >= 2) {
      rowEls.push(...Array.from(next.children));
    } else {
      rowEls.push(...after);
    }
    const root = el.parentElement ?? el;
    tables.push({ root, headerCells, ...sortRows(root, rowEls, true) });
    if (next && rowEls[0] !== next) read.add(next);
    for (const r of rowEls) read.add(r);
    return 'skip';
  });
  return tables;
}

/**
 * Can `text` be a label whose normalised key ({@link labelKey}) starts with one of
 * `firstChars` (char codes of lower-case keys)? Skips leading whitespace and invisible marks
 * as {@link labelKey} does; a first character outside ASCII is always "maybe" (NFKC could map
 * it), so this never rejects a real label.
 */
export function mayStartLabel(text: string, firstChars: ReadonlySet<number>): boolean {
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c <= 32 || c === 0x7f) continue;
    if (c >= 0x80) return true;
    if (c >= 65 && c <= 90) c += 32;
    return firstChars.has(c);
  }
  return false;
}

/** One label → value pair wanted from an account/balance panel. */
export interface PanelSpec<K extends string = string> {
  key: K;
  label: string;
  synonyms: readonly string[];
  need: 'engine' | 'display';
}

/**
 * How long the label elements found by a full search of the page are reused while every
 * label the engine needs was found and each still shows its label (checked on every read):
 * 2 min. A full search of a busy page costs several ms (bench: 3,000-row order book), and the
 * content script reads a ticking page once a minute while streams price every position.
 */
export const PANEL_RESCAN_MS = 120_000;

interface PanelHit {
  key: string;
  labelEl: Element;
  /** {@link labelKey} of the label's text when found: the label must still say it. */
  text: string;
}
interface PanelSearch {
  specs: readonly PanelSpec[];
  at: number;
  hits: PanelHit[];
  /** Every label with `need: 'engine'` was found. */
  complete: boolean;
}
/** Last full search per scope (a document, usually): dropped with the document. */
const panelSearches = new WeakMap<object, PanelSearch>();

/**
 * Read label → value pairs from key/value panels: for each element whose own text is exactly
 * one of the labels (and that is not inside `exclude`), the value is the text of the next
 * element sibling of the label or of one of its first three ancestors.
 * Returns every candidate value per key (the caller rejects conflicting duplicates).
 *
 * Finding the labels means a walk over the whole page (thousands of order-book elements on
 * a trading page). With `opts.now` (ms), the label elements a full walk found are reused for
 * up to {@link PANEL_RESCAN_MS} while every one of them is still in the page, outside
 * `exclude`, and still says its label, and every label the engine needs was found; the
 * values are always looked up afresh. Any change to a found label, a missing engine label
 * (a panel still rendering), or the age limit makes the call walk the page again, so a display
 * label that appears later is found within {@link PANEL_RESCAN_MS}. Without `opts.now`,
 * every call walks.
 */
export function readPanelValues<K extends string>(
  scope: ParentNode,
  specs: readonly PanelSpec<K>[],
  exclude: readonly Element[] = [],
  opts: { now?: number } = {},
): Map<K, { labelEl: Element; valueEl: Element }[]> {
  const byKey = new Map<string, K>();
  for (const spec of specs) for (const syn of spec.synonyms) byKey.set(labelKey(syn), spec.key);
  const now = opts.now;
  const last = now === undefined ? undefined : panelSearches.get(scope);
  let hits: PanelHit[] | null = null;
  if (last && last.specs === specs && last.complete && now! >= last.at && now! - last.at < PANEL_RESCAN_MS && last.hits.every((h) => stillLabel(h, scope, exclude))) hits = last.hits;
  if (!hits) {
    hits = findPanelLabels(scope, byKey, exclude);
    const found = new Set(hits.map((h) => h.key));
    const complete = specs.every((spec) => spec.need !== 'engine' || found.has(spec.key));
    if (now !== undefined) panelSearches.set(scope, { specs, at: now, hits, complete });
  }
  const out = new Map<K, { labelEl: Element; valueEl: Element }[]>();
  for (const h of hits) {
    let value: Element | null = null;
    let at: Element | null = h.labelEl;
    for (let depth = 0; at && depth < 4 && !value; depth++, at = at.parentElement) value = at.nextElementSibling;
    if (!value) continue;
    const key = h.key as K;
    const list = out.get(key) ?? [];
    list.push({ labelEl: h.labelEl, valueEl: value });
    out.set(key, list);
  }
  return out;
}

/** A label element is a leaf, or wraps one leaf (`<button><span>Available</span></button>`). */
function labelShaped(el: Element): boolean {
  const n = el.childElementCount;
  return n === 0 || (n === 1 && el.firstElementChild!.childElementCount === 0);
}

/** Is a label found earlier still in the page, outside `exclude`, label-shaped and saying the same? */
function stillLabel(h: PanelHit, scope: ParentNode, exclude: readonly Element[]): boolean {
  const el = h.labelEl;
  if (!el.isConnected || !(scope as Node).contains(el) || !labelShaped(el)) return false;
  for (const x of exclude) if (x.contains(el)) return false;
  return labelKey(labelText(el)) === h.text;
}

/** The full walk: every label-shaped element whose text is one of the labels. */
function findPanelLabels(scope: ParentNode, byKey: ReadonlyMap<string, string>, exclude: readonly Element[]): PanelHit[] {
  const hits: PanelHit[] = [];
  const maxLen = Math.max(...Array.from(byKey.keys(), (k) => k.length)) * 2 + 8;
  const firstChars = new Set(Array.from(byKey.keys(), (k) => k.charCodeAt(0)));
  const skip = new Set(exclude);
  const start = 'nodeType' in scope && (scope as Node).nodeType === 9 ? (scope as Document) : (scope as Element);
  walkElements(start, (el) => {
    if (skip.has(el) || el.tagName === 'SCRIPT' || el.tagName === 'STYLE' || el.tagName === 'SVG' || el.tagName === 'svg') return 'skip';
    if (!labelShaped(el)) return;
    // Most leaves of a trading page are numbers (order book, trades): a leaf whose first
    // visible character cannot begin any label is passed over without normalising its text.
    if (el.childElementCount === 0 && !mayStartLabel(el.textContent ?? '', firstChars)) return;
    const text = labelText(el);
    if (text.length > maxLen) return;
    const k = labelKey(text);
    const key = byKey.get(k);
    if (key !== undefined) hits.push({ key, labelEl: el, text: k });
  });
  return hits;
}
