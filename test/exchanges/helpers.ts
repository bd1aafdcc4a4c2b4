/**
 * Test helpers: load the saved exchange pages into happy-dom documents and derive the
 * variants (reordered / hidden / extra columns, many rows, hidden balances, …) by DOM edits.
 * Fixture-specific selectors are fine here: this is test code, not a reader.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Window } from 'happy-dom';
import type { ExchangeId } from '../../lib/engine/snapshot';

export const FIXTURE_DIR = join(__dirname, '..', 'fixtures', 'pages');

export interface FixtureInfo {
  id: ExchangeId;
  file: string;
  url: string;
}

export const FIXTURES: Record<'binance-usdm' | 'bybit' | 'okx' | 'hyperliquid', FixtureInfo> = {
  'binance-usdm': { id: 'binance-usdm', file: 'binance-usdm.html', url: 'https://www.binance.com/en/futures/BTCUSDT' },
  bybit: { id: 'bybit', file: 'bybit-linear.html', url: 'https://www.bybit.com/trade/usdt/BTCUSDT' },
  okx: { id: 'okx', file: 'okx-swap.html', url: 'https://www.okx.com/trade-swap/btc-usdt-swap' },
  hyperliquid: { id: 'hyperliquid', file: 'hyperliquid.html', url: 'https://app.hyperliquid.xyz/trade' },
};

const htmlCache = new Map<string, string>();
export function fixtureHtml(file: string): string {
  let html = htmlCache.get(file);
  if (html === undefined) {
    html = readFileSync(join(FIXTURE_DIR, file), 'utf8');
    htmlCache.set(file, html);
  }
  return html;
}

/**
 * Identity variants (test-only): each saved page with the account's identity shown in a header
 * inserted at the top of the page, and the identity the reader must return. The markup is
 * GUESSED from public evidence:
 * - Binance: "UID" label beside the number (account menu and dashboard show "UID" + number; the
 *   exact markup and its place on the futures page are guessed), plus a closed (display:none)
 *   dropdown with another UID, which must be ignored (hidden text is not read).
 * - Bybit: "UID: 123456789" as one text with a copy icon (account menu; markup guessed).
 * - OKX: the sub-account switcher, "Sub-account:" beside the name (a master can switch to a
 *   sub-account in the trade page header; label and markup guessed), after a "Sub-account" menu
 *   entry without a colon followed by another entry, which must not be read as a name.
 * - Hyperliquid: the header button with the connected wallet's shortened address (shortening
 *   and markup guessed).
 */
export const IDENTITY_VARIANTS: Record<keyof typeof FIXTURES, { header: string; identity: string }> = {
  'binance-usdm': {
    header:
      '<header class="css-header"><div class="header-account"><div class="css-uid-label">UID</div><div class="css-uid-value">12345678</div></div>\n<div class="header-dropdown" style="display:none"><span>UID: 99999999</span></div></header>',
    identity: 'uid:12345678',
  },
  bybit: { header: '<header class="by-header"><div class="by-header__user"><span class="by-uid">UID: 123456789</span><svg class="copy-icon"></svg></div></header>', identity: 'uid:123456789' },
  okx: {
    header: '<header class="okx-header"><nav><a>Sub-account</a><a>API</a></nav><div class="account-switch"><span>Sub-account:</span><span>grid-desk-2</span></div></header>',
    identity: 'sub:grid-desk-2',
  },
  hyperliquid: { header: '<header class="sc-header"><button type="button" class="sc-wallet">0x7f3A...9C2d</button></header>', identity: 'addr:0x7f3a...9c2d' },
};

/** The saved page of `ex` with its identity header ({@link IDENTITY_VARIANTS}) after the fixture's header comments. */
export function identityFixtureHtml(ex: keyof typeof FIXTURES): string {
  const html = fixtureHtml(FIXTURES[ex].file);
  const at = html.lastIndexOf('-->', html.search(/<div\b/)) + 3;
  return `${html.slice(0, at)}\n${IDENTITY_VARIANTS[ex].header}${html.slice(at)}`;
}

let sharedWindow: Window | null = null;
/** Parse HTML into a standalone Document (scripts never run). */
export function parseHtml(html: string, url = 'https://example.invalid/'): Document {
  sharedWindow ??= new Window({ url, settings: { disableJavaScriptEvaluation: true, disableJavaScriptFileLoading: true, disableCSSFileLoading: true } });
  return new sharedWindow.DOMParser().parseFromString(html, 'text/html') as unknown as Document;
}

export function loadFixture(ex: keyof typeof FIXTURES): Document {
  return parseHtml(fixtureHtml(FIXTURES[ex].file), FIXTURES[ex].url);
}

/** Header cells and data rows (cell lists) of the fixture's positions table. */
export function grid(doc: Document, ex: keyof typeof FIXTURES): { header: Element; headerCells: Element[]; rowEls: Element[]; rows: Element[][] } {
  // By id and tag only, so the helpers still work after class names are damaged.
  if (ex === 'binance-usdm') {
    const panel = doc.getElementById('POSITIONS')!;
    const header = panel.children[0]!;
    const rowEls = Array.from(panel.children[1]?.children ?? []);
    return { header, headerCells: Array.from(header.children), rowEls, rows: rowEls.map((r) => Array.from(r.children)) };
  }
  const table = doc.querySelector('table')!;
  const header = table.querySelector('thead tr')!;
  const rowEls = Array.from(table.querySelectorAll('tbody tr')).filter((r) => r.getAttribute('aria-hidden') !== 'true');
  return { header, headerCells: Array.from(header.children), rowEls, rows: rowEls.map((r) => Array.from(r.children)) };
}

/** Column index of a header label (exact text, icons ignored). */
export function columnIndex(doc: Document, ex: keyof typeof FIXTURES, label: string): number {
  const i = grid(doc, ex).headerCells.findIndex((c) => (c.textContent ?? '').trim() === label);
  if (i < 0) throw new Error(`no column ${label}`);
  return i;
}

/** Move column `from` to position `to` (header and every row). */
export function moveColumn(doc: Document, ex: keyof typeof FIXTURES, from: number, to: number): void {
  const g = grid(doc, ex);
  const move = (cells: Element[]) => {
    const parent = cells[from]!.parentElement!;
    const el = cells[from]!;
    el.remove();
    const rest = Array.from(parent.children);
    parent.insertBefore(el, rest[to] ?? null);
  };
  move(g.headerCells);
  g.rows.forEach(move);
}

/** Remove a column entirely (the user hid it). */
export function removeColumn(doc: Document, ex: keyof typeof FIXTURES, label: string): void {
  const i = columnIndex(doc, ex, label);
  const g = grid(doc, ex);
  g.headerCells[i]!.remove();
  g.rows.forEach((r) => r[i]!.remove());
}

/** Insert an extra column with an unknown label at index `at`. */
export function addColumn(doc: Document, ex: keyof typeof FIXTURES, at: number, label: string, cellText: string): void {
  const g = grid(doc, ex);
  const make = (like: Element, text: string) => {
    const el = doc.createElement(like.tagName.toLowerCase());
    el.textContent = text;
    like.parentElement!.insertBefore(el, like);
  };
  make(g.headerCells[at]!, label);
  g.rows.forEach((r) => make(r[at]!, cellText));
}

/** Replace the text of the first text node containing `from` under `root`. */
export function replaceText(root: ParentNode, from: string, to: string): void {
  const walker = (root as Node).ownerDocument ?? (root as Document);
  const it = walker.createTreeWalker(root as Node, 4 /* SHOW_TEXT */);
  for (let n = it.nextNode(); n; n = it.nextNode()) {
    if (n.nodeValue?.includes(from)) {
      n.nodeValue = n.nodeValue.replace(from, to);
      return;
    }
  }
  throw new Error(`text ${JSON.stringify(from)} not found`);
}

/** Replace `from` by `to` in every text node under `root`; returns how many nodes changed. */
export function replaceAllText(root: ParentNode, from: string, to: string): number {
  const doc = (root as Node).ownerDocument ?? (root as Document);
  const it = doc.createTreeWalker(root as Node, 4);
  let n = 0;
  for (let t = it.nextNode(); t; t = it.nextNode()) {
    if (t.nodeValue?.includes(from)) {
      t.nodeValue = t.nodeValue.split(from).join(to);
      n++;
    }
  }
  if (!n) throw new Error(`text ${JSON.stringify(from)} not found`);
  return n;
}

/** Set the positions-tab count text (`Positions(2)` → `Positions(N)`). */
export function setTabCount(doc: Document, ex: keyof typeof FIXTURES, n: number): void {
  const tab = Array.from(doc.querySelectorAll('[role="tab"]')).find((t) => /positions/i.test(t.textContent ?? '') && !/history/i.test(t.textContent ?? ''))!;
  const walker = doc.createTreeWalker(tab, 4);
  for (let t = walker.nextNode(); t; t = walker.nextNode()) {
    if (/\(\d+\)/.test(t.nodeValue ?? '')) t.nodeValue = t.nodeValue!.replace(/\(\d+\)/, `(${n})`);
  }
  void ex;
}

/**
 * Make `n` positions by cloning the fixture rows with fresh symbols `C<i>` (so each symbol
 * is unique), keeping every other figure. Returns the symbols made, in order.
 */
export function replicateRows(doc: Document, ex: keyof typeof FIXTURES, n: number): string[] {
  const g = grid(doc, ex);
  const templates = g.rowEls.map((r) => r.cloneNode(true) as Element);
  const parent = g.rowEls[0]!.parentElement!;
  g.rowEls.forEach((r) => r.remove());
  const bases = ex === 'hyperliquid' ? ['ETH', 'BTC'] : ['BTC', 'ETH'];
  const made: string[] = [];
  for (let i = 0; i < n; i++) {
    const k = i % templates.length;
    const row = templates[k]!.cloneNode(true) as Element;
    const base = bases[k]!;
    const coin = `C${i}X${base}`;
    const walker = doc.createTreeWalker(row, 4);
    for (let t = walker.nextNode(); t; t = walker.nextNode()) {
      t.nodeValue = t
        .nodeValue!.replace(new RegExp(`^${base}USDT`), `${coin}USDT`)
        .replace(new RegExp(`^${base}(?= )`), coin)
        .replace(new RegExp(` ${base}$`), ` ${coin}`);
    }
    parent.appendChild(row);
    made.push(coin);
  }
  setTabCount(doc, ex, n);
  return made;
}

/** The open-orders variants (test/fixtures/pages/orders/*-open-orders.html): the Open Orders tab shown. */
export const OPEN_ORDERS: Record<keyof typeof FIXTURES, string> = {
  'binance-usdm': 'orders/binance-usdm-open-orders.html',
  bybit: 'orders/bybit-linear-open-orders.html',
  okx: 'orders/okx-swap-open-orders.html',
  hyperliquid: 'orders/hyperliquid-open-orders.html',
};

/** An open-orders variant's orders table (by id or the fixture's test hook, not by class). */
export function ordersTable(doc: Document): Element {
  return doc.getElementById('OPEN_ORDERS') ?? doc.querySelector('[data-panel="orders"]')!;
}

/** Header cells and row elements of an open-orders variant's table (div grid on Binance). */
export function ordersGrid(doc: Document): { headerCells: Element[]; rowEls: Element[] } | null {
  const t = doc.getElementById('OPEN_ORDERS') ?? doc.querySelector('[data-panel="orders"]');
  if (!t) return null;
  if (t.tagName !== 'TABLE') return { headerCells: Array.from(t.children[0]?.children ?? []), rowEls: Array.from(t.children[1]?.children ?? []) };
  return { headerCells: Array.from(t.querySelectorAll('thead th')), rowEls: Array.from(t.querySelectorAll('tbody tr')) };
}
