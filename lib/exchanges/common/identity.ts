/**
 * Which account a page shows, from its visible text only: an exchange UID (`UID 12345678`,
 * `UID: 12345678`, or a `UID` label beside its value), a sub-account name (`Sub-account: desk-2`,
 * or a `Sub-account:` label beside its value), or a wallet address (`0x…`, full or shortened as shown,
 * `0x7f3a…9c2d`). Never cookies, storage, tokens, attributes or hidden text: an identity the page
 * does not show is null, and the background then keys the account by its tab.
 *
 * Finding it means a walk over the page. With `now`, the elements found are reused while they
 * are still in the page and still give a value, for up to {@link PANEL_RESCAN_MS} (or
 * {@link IDENTITY_RETRY_MS} while none was found), so a steady read costs a few lookups.
 */
import { isRendered, labelKey, labelText, walkElements } from './dom';
import { PANEL_RESCAN_MS } from './table';

/** Where one exchange shows the account's identity. */
export interface IdentitySpec {
  /** Labels of the exchange UID (`UID`). */
  uidLabels?: readonly string[];
  /** Labels of the sub-account name (`Sub-account`). */
  subAccountLabels?: readonly string[];
  /** The page shows the connected wallet's address (Hyperliquid). */
  address?: boolean;
}

/** While no identity was found, look again this often (ms): a header that renders late is found within 10 s. */
export const IDENTITY_RETRY_MS = 10_000;

type Kind = 'uid' | 'sub' | 'addr';
/** Most specific first: an address or sub-account name names one account; a UID may be the master's. */
const ORDER: readonly Kind[] = ['addr', 'sub', 'uid'];

interface Hit {
  kind: Kind;
  /** Element whose text gives the value (itself, or the value beside a label). */
  el: Element;
  /** The label element, when the value is beside it (observed too). */
  label: Element | null;
}

const FULL_ADDRESS = /^0x[0-9a-f]{40}$/i;
const SHORT_ADDRESS = /^(0x[0-9a-f]{2,8})\s*(?:…|\.{2,3})\s*([0-9a-f]{2,8})$/i;
const UID_INLINE = /^UID\s*[:：]?\s*(\d{4,20})$/i;
const SUB_INLINE = /^(?:sub-?\s?account)\s*[:：]\s*(\S.{0,63})$/i;

/** The normalised value an element's text gives for `kind`, or null. */
function valueOf(kind: Kind, text: string, inline: boolean): string | null {
  const t = text.replace(/\s+/g, ' ').trim();
  if (kind === 'addr') {
    if (FULL_ADDRESS.test(t)) return `addr:${t.toLowerCase()}`;
    const m = SHORT_ADDRESS.exec(t);
    return m ? `addr:${m[1]!.toLowerCase()}…${m[2]!.toLowerCase()}` : null;
  }
  if (kind === 'uid') {
    const m = inline ? UID_INLINE.exec(t) : /^(\d{4,20})$/.exec(t);
    return m ? `uid:${m[1]}` : null;
  }
  const m = inline ? SUB_INLINE.exec(t) : /^(\S.{0,63})$/.exec(t);
  // A figure is not a name (an amount beside the label belongs to something else).
  return m && !/^[-+]?[\d,.\s]+(?:USDT?|USDC)?$/i.test(m[1]!) ? `sub:${m[1]!.trim()}` : null;
}

interface Search {
  spec: IdentitySpec;
  at: number;
  hits: Hit[];
}
const searches = new WeakMap<object, Search>();

/** The identity read by `hits` (ambiguous kinds skipped), or null; null too if a hit no longer reads. */
function identityOf(hits: readonly Hit[]): { identity: string | null; stale: boolean } {
  const byKind = new Map<Kind, Set<string>>();
  let stale = false;
  for (const h of hits) {
    const v = h.el.isConnected && isRendered(h.el) ? valueOf(h.kind, labelText(h.el), h.label === null) : null;
    if (v === null) {
      stale = true;
      continue;
    }
    const set = byKind.get(h.kind) ?? new Set<string>();
    set.add(v);
    byKind.set(h.kind, set);
  }
  for (const k of ORDER) {
    const vs = byKind.get(k);
    if (vs?.size === 1) return { identity: vs.values().next().value!, stale };
  }
  return { identity: null, stale };
}

/** The full walk: every visible label-shaped element that gives an identity. */
function findHits(doc: Document, spec: IdentitySpec, exclude: readonly Element[]): Hit[] {
  const uid = new Set((spec.uidLabels ?? []).map(labelKey));
  const sub = new Set((spec.subAccountLabels ?? []).map(labelKey));
  const skip = new Set(exclude);
  const hits: Hit[] = [];
  walkElements(doc, (el) => {
    if (skip.has(el) || el.tagName === 'SCRIPT' || el.tagName === 'STYLE' || el.tagName === 'SVG' || el.tagName === 'svg' || el.tagName === 'INPUT' || el.tagName === 'TEXTAREA') return 'skip';
    if (el.hasAttribute('hidden') || el.getAttribute('aria-hidden') === 'true') return 'skip';
    // Label-shaped: a leaf, or one wrapping a leaf.
    const n = el.childElementCount;
    if (n > 1 || (n === 1 && el.firstElementChild!.childElementCount > 0)) return;
    const raw = el.textContent ?? '';
    if (raw.length > 80) return;
    const first = raw.trimStart().charCodeAt(0) | 32;
    // Cheap pre-check: identities start with "0x", "u" (UID) or "s" (Sub-account).
    if (first !== 48 /* 0 */ && first !== 117 /* u */ && first !== 115 /* s */) return;
    const text = labelText(el);
    const key = labelKey(text);
    const kinds: Kind[] = [];
    if (spec.address && valueOf('addr', text, true)) hits.push({ kind: 'addr', el, label: null });
    if (uid.size && valueOf('uid', text, true)) hits.push({ kind: 'uid', el, label: null });
    if (sub.size && valueOf('sub', text, true)) hits.push({ kind: 'sub', el, label: null });
    if (uid.has(key.replace(/[:：]$/, ''))) kinds.push('uid');
    // A sub-account label must end with a colon to take the element beside it: without one, a
    // "Sub-account" menu entry would lend its name to the next menu entry.
    if (/[:：]$/.test(key) && sub.has(key.slice(0, -1))) kinds.push('sub');
    for (const kind of kinds) {
      const value = el.nextElementSibling;
      if (value && valueOf(kind, labelText(value), false)) hits.push({ kind, el: value, label: el });
    }
    return n === 1 ? 'skip' : undefined;
  });
  return hits.filter((h) => isRendered(h.el) && (h.label === null || isRendered(h.label)));
}

/**
 * Read the page's account identity.
 *
 * @param spec - where the exchange shows it (`ReaderConfig.identity`).
 * @param exclude - subtrees not to search (the positions table).
 * @param now - ms epoch of this read; without it every call walks the page.
 * @returns the normalised identity (`uid:…`, `sub:…`, `addr:…`) or null, and the elements it was
 *   read from (to observe: a switch of account changes them).
 */
export function readIdentity(doc: Document, spec: IdentitySpec, exclude: readonly Element[] = [], now?: number): { identity: string | null; elements: Element[] } {
  const last = now === undefined ? undefined : searches.get(doc);
  if (last && last.spec === spec && now! >= last.at && now! - last.at < (last.hits.length ? PANEL_RESCAN_MS : IDENTITY_RETRY_MS)) {
    const r = identityOf(last.hits);
    if (!r.stale) return { identity: r.identity, elements: elementsOf(last.hits) };
  }
  const hits = findHits(doc, spec, exclude);
  if (now !== undefined) searches.set(doc, { spec, at: now, hits });
  return { identity: identityOf(hits).identity, elements: elementsOf(hits) };
}

function elementsOf(hits: readonly Hit[]): Element[] {
  const out: Element[] = [];
  for (const h of hits) {
    out.push(h.el);
    if (h.label) out.push(h.label);
  }
  return out;
}
