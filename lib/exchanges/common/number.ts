/**
 * The one number parser for exchange page text.
 *
 * Page text is turned into a canonical decimal string (`"-1234.5"`, `"0.01"`) by string
 * manipulation only: no `parseFloat`, no `Number()`, no decimal library, so the content
 * script stays small and no digit is ever rounded.
 *
 * Handles: thousands separators (strictly grouped by 3, so `1,00` or `0,010` are rejected),
 * unit suffixes (`0.010 BTC`, `USDT`, `Cont`), percent (`1.01%`), explicit signs
 * (`+`, `-`, U+2212), currency prefixes (`$`, `₮`, `€`, `£`, `¥`), approximations (`≈`, `~`),
 * abbreviations (`2.37B`), invisible bidi/zero-width marks (U+200B–U+200F, U+202A–U+202E,
 * U+2060–U+2069, U+FEFF) and placeholders (`--`, `—`, `-- / --`, `-- USDT`, `N/A`, `******`).
 *
 * Anything it does not fully understand is `{ ok: false }`: a placeholder, hidden value or
 * garbled text is unknown, never `0` and never a best guess.
 */

/** How one locale writes numbers. `group` lists the accepted thousands separators. */
export interface NumberFormat {
  id: string;
  decimal: '.' | ',';
  group: readonly string[];
}

/** English (and CJK) pages: `1,234.56`. */
export const DOT_DECIMAL: NumberFormat = { id: 'dot-decimal', decimal: '.', group: [','] };
/** German, Spanish, Italian, Portuguese, Dutch, Turkish, Indonesian, Vietnamese: `1.234,56`. */
export const COMMA_DECIMAL_DOT_GROUP: NumberFormat = { id: 'comma-decimal', decimal: ',', group: ['.'] };
/** French, Russian, Ukrainian, Polish, Czech: `1 234,56` (space, no-break space or narrow no-break space). */
export const COMMA_DECIMAL_SPACE_GROUP: NumberFormat = { id: 'comma-decimal-space', decimal: ',', group: [' '] };

const LOCALE_FORMATS: Record<string, NumberFormat> = {
  en: DOT_DECIMAL,
  zh: DOT_DECIMAL,
  ja: DOT_DECIMAL,
  ko: DOT_DECIMAL,
  de: COMMA_DECIMAL_DOT_GROUP,
  es: COMMA_DECIMAL_DOT_GROUP,
  it: COMMA_DECIMAL_DOT_GROUP,
  pt: COMMA_DECIMAL_DOT_GROUP,
  nl: COMMA_DECIMAL_DOT_GROUP,
  tr: COMMA_DECIMAL_DOT_GROUP,
  id: COMMA_DECIMAL_DOT_GROUP,
  vi: COMMA_DECIMAL_DOT_GROUP,
  fr: COMMA_DECIMAL_SPACE_GROUP,
  ru: COMMA_DECIMAL_SPACE_GROUP,
  uk: COMMA_DECIMAL_SPACE_GROUP,
  pl: COMMA_DECIMAL_SPACE_GROUP,
  cs: COMMA_DECIMAL_SPACE_GROUP,
};

/**
 * Number format for a BCP-47 locale tag (`en`, `en-US`, `de-DE`, `zh-CN`).
 * Returns null for a locale whose format we do not know: the caller must then stop
 * ("unrecognized"), not guess.
 */
export function numberFormatForLocale(locale: string): NumberFormat | null {
  const primary = locale.trim().toLowerCase().split(/[-_]/)[0] ?? '';
  return LOCALE_FORMATS[primary] ?? null;
}

/** Characters that are invisible on screen but present in copied/DOM text. */
export const INVISIBLE_RE = /[\u00AD\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;

/** {@link scanText}: text {@link cleanText} would leave unchanged, with no figure separator. */
export const TEXT_CLEAN = 0;
/** {@link scanText}: clean text holding a figure separator: `(`, `)` or `≈`. */
export const TEXT_CLEAN_SPLIT = 1;
/** {@link scanText}: text {@link cleanText} would change (spaces, invisible marks, empty). */
export const TEXT_DIRTY = 2;

/**
 * One pass over `text`: is it already clean (not empty, no leading or trailing space, no two
 * spaces in a row, every other character printable ASCII or a non-ASCII character outside
 * every whitespace / invisible-mark range: U+0000–U+009F, U+00A0, U+00AD, U+1680,
 * U+2000–U+206F, U+3000, U+FEFF go to the slow path), and does it hold a figure separator?
 */
export function scanText(text: string): typeof TEXT_CLEAN | typeof TEXT_CLEAN_SPLIT | typeof TEXT_DIRTY {
  const n = text.length;
  if (n === 0 || text.charCodeAt(0) === 32 || text.charCodeAt(n - 1) === 32) return TEXT_DIRTY;
  let split = false;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c > 32 && c < 127) {
      if (c === 40 || c === 41) split = true;
      continue;
    }
    if (c === 32) {
      if (text.charCodeAt(i + 1) === 32) return TEXT_DIRTY;
      continue;
    }
    if (c === 0x2248) {
      split = true;
      continue;
    }
    if (c < 0xa1 || c === 0xad || c === 0x1680 || (c >= 0x2000 && c <= 0x206f) || c === 0x3000 || c === 0xfeff) return TEXT_DIRTY;
  }
  return split ? TEXT_CLEAN_SPLIT : TEXT_CLEAN;
}

/** Remove invisible marks and collapse every kind of space (incl. U+00A0, U+202F) to one ASCII space. */
export function cleanText(text: string): string {
  // Most page text is already clean: a character scan is much cheaper than two regex replaces.
  if (scanText(text) !== TEXT_DIRTY) return text;
  return text.replace(INVISIBLE_RE, '').replace(/[\s\u00A0\u2007\u202F]+/g, ' ').trim();
}

export type NumberFailure = 'empty' | 'placeholder' | 'hidden' | 'garbled';

export interface ParsedNumber {
  ok: true;
  /** Canonical decimal string: no `+`, no leading/trailing zeros, `-0` is `0`. Percent values are NOT divided by 100 here. */
  value: string;
  /** Unit word after the number (`BTC`, `USDT`, `Cont`, `x`), as written; null if none. */
  unit: string | null;
  /** Currency symbol before the number (`$`, `₮`), or null. */
  currency: string | null;
  /** True when the text ended with `%`. */
  percent: boolean;
  /** The sign written on the page, or null when none was written. */
  sign: '+' | '-' | null;
  /** True when the text started with `≈` or `~`. */
  approx: boolean;
  /** Fraction digits as displayed (before any abbreviation), e.g. 2 for `1,029.09`: the display precision. */
  displayDecimals: number;
}
export interface FailedNumber {
  ok: false;
  reason: NumberFailure;
  text: string;
}
export type NumberRead = ParsedNumber | FailedNumber;

const PLACEHOLDER_RE = /^(?:[-\u2010-\u2015\u2212]+|n\/a|none|null)(?: ?\/ ?(?:[-\u2010-\u2015\u2212]+|n\/a))*(?: [A-Za-z]{1,12})?$/i;
const ABBREVIATIONS: Record<string, number> = { K: 3, k: 3, M: 6, B: 9, T: 12 };

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const reCache = new Map<string, RegExp>();
function numberRe(format: NumberFormat): RegExp {
  let re = reCache.get(format.id);
  if (re) return re;
  const g = format.group.map(escapeRe).join('|');
  const d = escapeRe(format.decimal);
  // 1: approx, 2: sign, 3: currency, 4: sign, 5: integer part, 6: fraction, 7: abbreviation, 8: unit or %
  re = new RegExp(
    `^([≈~])? ?([+\\-\\u2212])? ?([$₮€£¥])? ?([+\\-\\u2212])?` +
      `(\\d{1,3}(?:(?:${g})\\d{3})+|\\d+)(?:${d}(\\d+))?` +
      `(?:([KkMBT])(?![A-Za-z]))?` +
      ` ?(%|[A-Za-z][A-Za-z0-9]{0,11})?$`,
  );
  reCache.set(format.id, re);
  return re;
}

/**
 * Parse one figure of page text.
 *
 * @param text - raw text of ONE figure (one cell part), e.g. `"+13.2930 USDT"`, `"≈20,090.73 USD"`, `"1.01%"`.
 * @param format - the page's number format (see {@link numberFormatForLocale}); default English.
 * @returns `{ ok: true, value, unit, ... }` or `{ ok: false, reason }` (`empty`, `placeholder`, `hidden`, `garbled`).
 * @example parseNumber('+$2,771.75') //=> { ok: true, value: '2771.75', currency: '$', sign: '+', ... }
 * @example parseNumber('2.37B')      //=> { ok: true, value: '2370000000', ... }
 * @example parseNumber('-- USDT')    //=> { ok: false, reason: 'placeholder' }
 */
export function parseNumber(text: string, format: NumberFormat = DOT_DECIMAL): NumberRead {
  const s = cleanText(text);
  if (s === '') return { ok: false, reason: 'empty', text };
  if (format === DOT_DECIMAL) {
    const quick = scanPlain(s);
    if (quick) return quick;
  }
  return parseGeneral(s, text, format);
}

/**
 * The common shapes of English page text in one pass, without the regular expression:
 * `[+|-][$]digits[,ddd…][.digits][ unit | unit | %]` (`-0.010 BTC`, `+$2,771.75`, `1.01%`,
 * `76,500.0`, `20x`). Returns null for anything else (approximations, abbreviations, other
 * currencies or signs, unusual spacing, leading zeros, malformed grouping), which then takes
 * the general path; so its results are a subset of the general parser's, equal on every
 * input it accepts (property-tested).
 */
function scanPlain(s: string): ParsedNumber | null {
  const n = s.length;
  let i = 0;
  let sign: '+' | '-' | null = null;
  let c = s.charCodeAt(0);
  if (c === 43 || c === 45) {
    sign = c === 43 ? '+' : '-';
    c = s.charCodeAt(++i);
  }
  let currency: string | null = null;
  if (c === 36) {
    currency = '$';
    c = s.charCodeAt(++i);
  }
  // Integer part: a run of digits, or 1–3 digits then groups of ",ddd".
  const intStart = i;
  while (c >= 48 && c <= 57) c = s.charCodeAt(++i);
  const lead = i - intStart;
  if (lead === 0) return null;
  let grouped = false;
  while (c === 44) {
    if (lead > 3) return null;
    for (let k = 1; k <= 3; k++) {
      const d = s.charCodeAt(i + k);
      if (!(d >= 48 && d <= 57)) return null;
    }
    i += 4;
    grouped = true;
    c = s.charCodeAt(i);
  }
  if (c >= 48 && c <= 57) return null; // a group of more than three digits
  const intEnd = i;
  if (s.charCodeAt(intStart) === 48 && intEnd - intStart > 1) return null; // leading zero: the general path rejects it
  let frac: string | undefined;
  if (c === 46) {
    const fracStart = ++i;
    c = s.charCodeAt(i);
    while (c >= 48 && c <= 57) c = s.charCodeAt(++i);
    if (i === fracStart) return null;
    frac = s.slice(fracStart, i);
  }
  let unit: string | null = null;
  let percent = false;
  if (i < n) {
    const spaced = c === 32;
    if (spaced) c = s.charCodeAt(++i);
    if (c === 37) {
      percent = true;
      i++;
    } else {
      const unitStart = i;
      if (!isAsciiLetter(c)) return null;
      // Unspaced K/k/M/B/T may be an abbreviation (`2.37B`): the general path decides.
      if (!spaced && (c === 75 || c === 107 || c === 77 || c === 66 || c === 84)) return null;
      c = s.charCodeAt(++i);
      while (isAsciiLetter(c) || (c >= 48 && c <= 57)) c = s.charCodeAt(++i);
      if (i - unitStart > 12) return null;
      unit = s.slice(unitStart, i);
    }
    if (i !== n) return null;
  }
  let int = s.slice(intStart, intEnd);
  if (grouped) int = int.split(',').join('');
  const value = canonicalDecimal(sign === '-' ? `-${frac === undefined ? int : `${int}.${frac}`}` : frac === undefined ? int : `${int}.${frac}`);
  return { ok: true, value, unit, currency, percent, sign, approx: false, displayDecimals: frac?.length ?? 0 };
}

function isAsciiLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/**
 * {@link parseNumber} without its fast path: the general parser, by regular expression, for
 * every locale and shape. Exported so a property test can hold the fast path to it.
 */
export function parseNumberGeneral(text: string, format: NumberFormat = DOT_DECIMAL): NumberRead {
  const s = cleanText(text);
  if (s === '') return { ok: false, reason: 'empty', text };
  return parseGeneral(s, text, format);
}

/** The general parser; `s` is the cleaned text, `text` the original. */
function parseGeneral(s: string, text: string, format: NumberFormat): NumberRead {
  if (!/\d/.test(s)) {
    if (/\*{3,}/.test(s)) return { ok: false, reason: 'hidden', text };
    if (PLACEHOLDER_RE.test(s)) return { ok: false, reason: 'placeholder', text };
    return { ok: false, reason: 'garbled', text };
  }
  const m = numberRe(format).exec(s);
  if (!m) return { ok: false, reason: 'garbled', text };
  const [, approx, sign1, currency, sign2, intRaw = '', frac, abbr, tail] = m;
  if (sign1 && sign2) return { ok: false, reason: 'garbled', text };
  const signChar = sign1 ?? sign2;
  const sign = signChar === undefined ? null : signChar === '+' ? '+' : '-';
  let intDigits = intRaw;
  for (const g of format.group) if (intDigits.includes(g)) intDigits = intDigits.split(g).join('');
  // A page never writes leading zeros ("0010", "0,010"): treat as damage, not as a number.
  if (intDigits.length > 1 && intDigits[0] === '0') return { ok: false, reason: 'garbled', text };
  let value = frac === undefined ? intDigits : `${intDigits}.${frac}`;
  if (abbr) value = shiftDecimal(value, ABBREVIATIONS[abbr]!);
  value = canonicalDecimal(sign === '-' ? `-${value}` : value);
  return {
    ok: true,
    value,
    unit: tail && tail !== '%' ? tail : null,
    currency: currency ?? null,
    percent: tail === '%',
    sign,
    approx: approx !== undefined,
    displayDecimals: frac?.length ?? 0,
  };
}

/**
 * Canonical form of a plain decimal string: strips `+`, leading zeros of the integer part,
 * trailing zeros of the fraction, a bare `.`, and turns `-0` into `0`.
 * @example canonicalDecimal('+007.500') //=> '7.5'
 */
export function canonicalDecimal(s: string): string {
  let neg = false;
  let t = s;
  if (t[0] === '-' || t[0] === '+') {
    neg = t[0] === '-';
    t = t.slice(1);
  }
  // Same as split('.') + /^0+(?=\d)/ + /0+$/, by index (this runs for every figure read).
  const dot = t.indexOf('.');
  let int = dot < 0 ? t : t.slice(0, dot);
  let frac = dot < 0 ? '' : t.slice(dot + 1, nextDot(t, dot + 1));
  let lead = 0;
  while (lead < int.length - 1 && int.charCodeAt(lead) === 48 && isDigit(int.charCodeAt(lead + 1))) lead++;
  // /^0+(?=\d)/ only strips a run of zeros that is followed by a digit.
  if (lead > 0) int = int.slice(lead);
  if (int === '') int = '0';
  let end = frac.length;
  while (end > 0 && frac.charCodeAt(end - 1) === 48) end--;
  if (end < frac.length) frac = frac.slice(0, end);
  const out = frac ? `${int}.${frac}` : int;
  return neg && /[1-9]/.test(out) ? `-${out}` : out;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Index of the next `.` at or after `from`, or the length (split('.')[1] stops there). */
function nextDot(t: string, from: number): number {
  const i = t.indexOf('.', from);
  return i < 0 ? t.length : i;
}

/**
 * Move the decimal point of a plain decimal string: `shiftDecimal('2.37', 9)` → `'2370000000'`,
 * `shiftDecimal('1.01', -2)` → `'0.0101'`. Pure string manipulation, exact.
 */
export function shiftDecimal(s: string, places: number): string {
  const neg = s.startsWith('-');
  const t = neg || s.startsWith('+') ? s.slice(1) : s;
  const [int = '0', frac = ''] = t.split('.');
  let digits = int + frac;
  let point = int.length + places;
  if (point < 0) {
    digits = '0'.repeat(-point) + digits;
    point = 0;
  }
  if (point > digits.length) digits = digits + '0'.repeat(point - digits.length);
  const out = canonicalDecimal(`${digits.slice(0, point) || '0'}.${digits.slice(point)}`);
  return neg && out !== '0' ? `-${out}` : out;
}

/** A percent figure as a fraction string: `'1.01'` (from `1.01%`) → `'0.0101'`. */
export function percentToFraction(percentValue: string): string {
  return shiftDecimal(percentValue, -2);
}
