/**
 * DOM helpers shared by the page readers: per-cell text (never a whole row's textContent,
 * which runs cells together), label normalisation, and colour hints for direction.
 */
import { cleanText, scanText, TEXT_CLEAN, TEXT_DIRTY } from './number';

const SKIP_TAGS = new Set(['SCRIPT', 'STYLE', 'TEMPLATE', 'SVG', 'svg', 'NOSCRIPT', 'IMG', 'INPUT', 'TEXTAREA', 'SELECT']);

/**
 * The visible text pieces of one element, in document order: each text node is one piece
 * (so `<div>+13.29 USDT</div><div>+34.16%</div>` gives two pieces, not `+13.29 USDT+34.16%`).
 * Skips scripts, styles, SVG icons, form fields, and `hidden` / `aria-hidden="true"` subtrees.
 */
export function textParts(el: Element): string[] {
  const out: string[] = [];
  collectText(el, out, false);
  return out;
}

/**
 * The figures of one element: its {@link textParts}, each split by {@link figures}, in one
 * walk (a cell is read on every page read, so its text is scanned once, not three times).
 */
export function figuresOf(el: Element): string[] {
  const out: string[] = [];
  collectText(el, out, true);
  return out;
}

function collectText(el: Element, out: string[], split: boolean): void {
  // Leaf: textContent. Otherwise sibling links, not NodeList indexing (a slow Proxy in happy-dom).
  if (el.childElementCount === 0) {
    addText(el.textContent ?? '', out, split);
    return;
  }
  for (let c = el.firstChild; c; c = c.nextSibling) {
    if (c.nodeType === 3) addText(c.nodeValue ?? '', out, split);
    else if (c.nodeType === 1) {
      const e = c as Element;
      if (SKIP_TAGS.has(e.tagName)) continue;
      if (e.hasAttributes() && (e.hasAttribute('hidden') || e.getAttribute('aria-hidden') === 'true')) continue;
      collectText(e, out, split);
    }
  }
}

/** Push one text node's cleaned text (as figures when `split`). */
function addText(raw: string, out: string[], split: boolean): void {
  const kind = scanText(raw);
  if (kind === TEXT_CLEAN || (kind !== TEXT_DIRTY && !split)) {
    out.push(raw);
    return;
  }
  const t = kind === TEXT_DIRTY ? cleanText(raw) : raw;
  if (!t) return;
  if (split) splitFigures(t, out);
  else out.push(t);
}

/**
 * The element children of a small element (a table row's cells, a header row) by sibling
 * links: in Chromium, cheaper than `Array.from(el.children)` (the collection's iterator).
 * Not for long lists: some test DOMs (happy-dom) find a sibling by searching the parent.
 */
export function cellsOf(el: Element): Element[] {
  const out: Element[] = [];
  for (let c = el.firstElementChild; c; c = c.nextElementSibling) out.push(c);
  return out;
}

/** True when the element has any non-blank text in its subtree (early exit; cheaper than textContent). */
export function hasText(el: Element): boolean {
  for (let c = el.firstChild; c; c = c.nextSibling) {
    if (c.nodeType === 3 ? /\S/.test(c.nodeValue ?? '') : c.nodeType === 1 && hasText(c as Element)) return true;
  }
  return false;
}

/**
 * Depth-first walk over elements under `root` (excluding `root`), in document order.
 * `visit` returns `'skip'` to skip an element's subtree, `'stop'` to end the walk.
 */
export function walkElements(root: Element | Document, visit: (el: Element) => 'skip' | 'stop' | void): void {
  // A native TreeWalker: the traversal stays in the browser (no per-element child arrays),
  // which matters on exchange pages of thousands of elements.
  const doc = root.nodeType === 9 ? (root as Document) : root.ownerDocument!;
  const walker = doc.createTreeWalker(root, 1 /* NodeFilter.SHOW_ELEMENT */);
  let el = walker.firstChild() as Element | null;
  while (el) {
    const r = visit(el);
    if (r === 'stop') return;
    let next = r === 'skip' ? null : (walker.firstChild() as Element | null);
    while (!next) {
      next = walker.nextSibling() as Element | null;
      if (next) break;
      if (!walker.parentNode() || walker.currentNode === root) return;
    }
    el = next;
  }
}

/**
 * Is `el` displayed below `stop` (exclusive; null = up to the document): no `hidden` attribute and
 * no computed `display: none` on it or any ancestor below `stop`, and its own computed (inherited)
 * `visibility` not `hidden`/`collapse`. Computed styles only, no layout: one per element, and
 * `memo` shares the ancestors' answers between the rows of one table (a 100-row read stays
 * cheap). The `hidden` attribute is checked by hand because a DOM without the browser's default
 * style sheet (happy-dom) does not turn it into `display: none`.
 */
export function shownBelow(el: Element, stop: Element | null, memo?: Map<Element, boolean>): boolean {
  const style = (e: Element) => e.ownerDocument.defaultView?.getComputedStyle(e);
  if (/^(?:hidden|collapse)$/.test(style(el)?.visibility ?? '')) return false;
  for (let a: Element | null = el; a && a !== stop; a = a.parentElement) {
    let ok = memo?.get(a);
    if (ok === undefined) {
      ok = !a.hasAttribute('hidden') && style(a)?.display !== 'none';
      memo?.set(a, ok);
    }
    if (!ok) return false;
  }
  return true;
}

/**
 * Is `el` rendered on the page: {@link shownBelow} the whole document and, where the DOM has it,
 * `checkVisibility({ visibilityProperty: true })` (which also sees `content-visibility: hidden`
 * ancestors in a browser). Once per candidate grid per read, not per row: happy-dom's
 * checkVisibility computes a style per ancestor.
 */
export function isRendered(el: Element): boolean {
  return el.isConnected && shownBelow(el, null) && (el.checkVisibility?.({ visibilityProperty: true }) ?? true);
}

const SPLIT_CHARS = /[()≈\n]/;

/**
 * Split cell pieces into figures: `(`…`)` groups and `≈` alternatives become separate
 * figures. `'+13.2930 USDT(+34.16%)'` → `['+13.2930 USDT', '+34.16%']`;
 * `'20,090.7380 USDT ≈20,090.73 USD'` → `['20,090.7380 USDT', '≈20,090.73 USD']`.
 */
export function figures(parts: readonly string[]): string[] {
  const out: string[] = [];
  for (const p of parts) splitFigures(p, out);
  return out;
}

function splitFigures(p: string, out: string[]): void {
  // Fast path: nothing to split on (the common case), so the piece is one figure.
  if (!SPLIT_CHARS.test(p)) {
    const t = p.trim();
    if (t) out.push(t);
    return;
  }
  for (const seg of p.replace(/[()]/g, '\n').replace(/[≈]/g, '\n≈').split('\n')) {
    const t = seg.trim();
    if (t) out.push(t);
  }
}

/**
 * Normalise a label for matching: NFKC, lower case, no invisible marks, no whitespace.
 * `'Liq. Price'` and `'Liq.Price'` both become `'liq.price'`; `'PNL (ROI %)'` → `'pnl(roi%)'`.
 */
export function labelKey(text: string): string {
  // Pure function of the text, called for every candidate label on every read: memoised.
  let k = labelKeys.get(text);
  if (k === undefined) {
    k = cleanText(text.normalize('NFKC')).toLowerCase().replace(/ /g, '');
    if (labelKeys.size >= MEMO_LIMIT) labelKeys.clear();
    labelKeys.set(text, k);
  }
  return k;
}

/** Bound on each memo table (page text is open-ended; the tables are dropped when full). */
const MEMO_LIMIT = 2000;
const labelKeys = new Map<string, string>();

/** The label text of a header cell or label element: its pieces joined by spaces. */
export function labelText(el: Element): string {
  return textParts(el).join(' ');
}

export type Direction = 'long' | 'short';

const LONG_CLASS = /(?:^|[-_\s])(?:buy|long|up|green|bid|rise|positive)(?:$|[-_\s])/i;
const SHORT_CLASS = /(?:^|[-_\s])(?:sell|short|down|red|ask|fall|negative)(?:$|[-_\s])/i;

function colourOfStyle(style: string): Direction | null {
  const m = /(?:^|;)\s*(?:color|background-color|background)\s*:\s*rgba?\(\s*(\d{1,3})\s*,\s*(\d{1,3})\s*,\s*(\d{1,3})/i.exec(style);
  if (!m) return null;
  const r = Number(m[1]);
  const g = Number(m[2]);
  // Exchange palettes: long/up is green/teal (g well above r), short/down is red/pink (r well above g).
  if (g > r + 40) return 'long';
  if (r > g + 40) return 'short';
  return null;
}

/**
 * Colour hints for direction inside an element (itself and descendants): class tokens such
 * as `text-Buy` / `is-sell` / `bg-Sell`, or an inline `color: rgb(…)` that is clearly green
 * or red. Returns the set of directions seen (empty, one, or both when contradictory).
 */
export function colourHints(el: Element): Set<Direction> {
  const seen = new Set<Direction>();
  const visit = (e: Element): void => {
    if (e.hasAttributes()) {
      const cls = e.getAttribute('class');
      if (cls) for (const d of memo(classHints, cls, classDirections)) seen.add(d);
      const style = e.getAttribute('style');
      if (style) {
        const c = memo(styleHints, style, colourOfStyle);
        if (c) seen.add(c);
      }
    }
    // Sibling links, not the HTMLCollection iterator: a cell has only a few children.
    for (let c = e.firstElementChild; c; c = c.nextElementSibling) visit(c);
  };
  visit(el);
  return seen;
}

/** Directions named by a class attribute's tokens, in token order (no repeats). */
function classDirections(cls: string): readonly Direction[] {
  const out: Direction[] = [];
  for (const token of cls.split(/\s+/)) {
    if (!token) continue;
    const d: Direction | null = LONG_CLASS.test(token) ? 'long' : SHORT_CLASS.test(token) ? 'short' : null;
    if (d && !out.includes(d)) out.push(d);
  }
  return out;
}

// Class and style strings repeat across every row: their hints are memoised (pure functions).
const classHints = new Map<string, readonly Direction[]>();
const styleHints = new Map<string, Direction | null>();

function memo<T>(table: Map<string, T>, key: string, compute: (key: string) => T): T {
  let v = table.get(key);
  if (v === undefined && !table.has(key)) {
    v = compute(key);
    if (table.size >= MEMO_LIMIT) table.clear();
    table.set(key, v);
  }
  return v as T;
}
