/**
 * Which account a page shows, from its visible text only: an exchange UID (`UID 12345678`,
 * `UID: 12345678`, or a `UID` label beside its value), a sub-account name (`Sub-account: desk-2`,
 * or a `Sub-account:` label beside its value; without the colon a "Sub-account" menu entry would
 * lend its name to the next entry), or a wallet address (`0x…`, full or shortened as shown,
 * normalised to `addr:0x7f3a...9c2d`, ASCII as the worker's sanitizeIdentity wants). Never cookies, storage, tokens, attributes or hidden text: an identity the page
 * does not show is null, and the background then keys the account by its tab.
 *
 * Finding it means a walk over the page. With `now`, the elements found are re-read (not searched
 * for) for up to {@link PANEL_RESCAN_MS} while they still give a value, or for
 * {@link IDENTITY_RETRY_MS} while none was found.
 */
import { isRendered, labelText, walkElements } from './dom';
import { PANEL_RESCAN_MS } from './table';

/** The identities an exchange shows: exchange UID, sub-account name, wallet address. */
export type IdentityKind = 'uid' | 'sub' | 'addr';

/** While no identity was found, look again this often (ms): a header that renders late is found within 10 s. */
export const IDENTITY_RETRY_MS = 10_000;

/** The text forms of each kind (on an element's text, or a label's text + ' ' + its value's). */
const FORMS: Record<IdentityKind, RegExp> = {
  addr: /^0x(?:[0-9a-f]{40}|[0-9a-f]{2,8} ?(?:…|\.{2,3}) ?[0-9a-f]{2,8})$/i,
  uid: /^UID ?[:：]? ?(\d{4,20})$/i,
  sub: /^Sub-? ?account ?[:：] ?(\S.{0,63})$/i,
};
/** Most specific first: an address or sub-account name names one account; a UID may be the master's. */
const ORDER: readonly IdentityKind[] = ['addr', 'sub', 'uid'];

interface Hit {
  kind: IdentityKind;
  el: Element;
  /** The value beside a label (`el`), when the identity is written in two elements. */
  value: Element | null;
}

/** The normalised identity a hit reads now, or null (gone, hidden, or no longer that form). */
function read(h: Hit): string | null {
  if (!isRendered(h.el) || (h.value && !isRendered(h.value))) return null;
  const t = (h.value ? `${labelText(h.el)} ${labelText(h.value)}` : labelText(h.el)).replace(/\s+/g, ' ').trim();
  const m = FORMS[h.kind].exec(t);
  if (!m) return null;
  return h.kind === 'addr' ? `addr:${t.toLowerCase().replace(/ ?(?:\.{2,3}|…) ?/, '...')}` : `${h.kind}:${m[1]!.trim()}`;
}

const searches = new WeakMap<Document, { kinds: readonly IdentityKind[]; at: number; hits: Hit[] }>();

/**
 * Read the page's account identity.
 *
 * @param kinds - what the exchange shows (`ReaderConfig.identity`).
 * @param exclude - a subtree not to search (the positions table).
 * @param now - ms epoch of this read; without it every call walks the page.
 * @returns the normalised identity (`uid:12345678`, `sub:<name>`, `addr:0x…` lower case) or null
 *   (none shown, or two different ones of the most specific kind shown), and the elements it was
 *   read from (to observe: a switch of account changes them).
 */
export function readIdentity(doc: Document, kinds: readonly IdentityKind[], exclude: Element | null, now?: number): { identity: string | null; elements: Element[] } {
  const last = now === undefined ? undefined : searches.get(doc);
  let hits = last && last.kinds === kinds && now! >= last.at && now! - last.at < (last.hits.length ? PANEL_RESCAN_MS : IDENTITY_RETRY_MS) ? last.hits : null;
  let values = hits?.map(read);
  if (!hits || values!.includes(null)) {
    hits = [];
    const found = hits;
    walkElements(doc, (el) => {
      if (el === exclude || /^(?:SCRIPT|STYLE|SVG|svg|INPUT|TEXTAREA)$/.test(el.tagName) || el.hasAttribute('hidden') || el.getAttribute('aria-hidden') === 'true') return 'skip';
      if (el.childElementCount > 0) return;
      const t = (el.textContent ?? '').trim();
      // Cheap pre-check: every form starts with "0x", "UID" or "Sub".
      if (t.length > 80 || !/^(?:0x|uid|sub)/i.test(t)) return;
      for (const kind of kinds) {
        if (FORMS[kind].test(t)) found.push({ kind, el, value: null });
        else if (el.nextElementSibling && (kind === 'uid' ? /^UID$/i : /^Sub-? ?account ?[:：]$/i).test(t)) found.push({ kind, el, value: el.nextElementSibling });
      }
    });
    values = hits.map(read);
    if (now !== undefined) searches.set(doc, { kinds, at: now, hits });
  }
  const elements: Element[] = [];
  let identity: string | null = null;
  for (const kind of [...ORDER].reverse()) {
    const vs = new Set<string>();
    hits.forEach((h, i) => {
      if (h.kind !== kind || values![i] === null) return;
      vs.add(values![i]!);
      elements.push(h.el, ...(h.value ? [h.value] : []));
    });
    if (vs.size === 1) identity = [...vs][0]!;
  }
  return { identity, elements };
}
