/**
 * Display formatting of decimal strings, for the popup, the on-page overlay and the worker's
 * overlay feed. No floats and no decimal.js (the overlay content script imports this module and
 * must stay small): the digits are rounded, grouped and signed by `Intl.NumberFormat`, which
 * formats a decimal **string** exactly (ECMA-402 2023, "Intl.NumberFormat v3": Chrome 106+,
 * Firefox 116+, Node 19+), so no value passes through a binary double on its way to the screen.
 *
 * Input: a decimal string as the engine and the snapshot carry them (`"-1234.5"`, `"0.00012"`,
 * `"1e-7"`), or `null` for unknown. Output: text for people, locale-independent (`en-US` digits):
 * `,` thousands separators, `.` decimal point and the Unicode minus sign `−` (U+2212) for
 * negatives. Rounding is half away from zero at the requested scale (`roundingMode: 'halfExpand'`,
 * the rounding people check by hand, and what this module did before it used Intl); a value that
 * rounds to zero never shows a sign. Anything that is not a plain decimal string (hex, `Infinity`,
 * blanks, grouped text), and `null`, formats as {@link UNKNOWN}; Intl alone would read `""` as 0.
 */

/** What every unknown figure shows. Never 0, never blank. */
export const UNKNOWN = 'unknown';

const MINUS = '\u2212';
const DECIMAL_RE = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d{1,4}))?$/;

/**
 * Most fraction digits shown when no scale is asked for. Intl's limit is 20 in the engines we
 * run on (Node 20 throws above it); exact values stay in the elements' titles.
 */
export const MAX_SHOWN_DECIMALS = 20;

/**
 * Most integer digits a figure may have and still be shown. Intl turns a string whose value is
 * beyond the largest double (about 1.8e308) into "∞"; no real amount comes near, so such a value
 * shows {@link UNKNOWN} rather than a wrong "∞".
 */
const MAX_INTEGER_DIGITS = 308;

/** A decimal split into sign and digit strings: value = (neg ? −1 : 1) × int.frac. */
export interface DecimalParts {
  neg: boolean;
  /** Integer digits without leading zeros ("0" for none). */
  int: string;
  /** Fraction digits without trailing zeros ("" for none). */
  frac: string;
}

/**
 * Split a decimal string (optional sign, digits, optional point and exponent of at most four
 * digits; surrounding blanks ignored); null when it is not one. Exact: the exponent is applied by
 * moving the point. `-0` is not negative.
 * @example parseDecimal('-1.5e-3') //=> { neg: true, int: '0', frac: '0015' }
 */
export function parseDecimal(s: string | null | undefined): DecimalParts | null {
  if (typeof s !== 'string') return null;
  const m = DECIMAL_RE.exec(s.trim());
  if (!m) return null;
  const [, sign, intRaw = '', fracRaw = '', expRaw] = m;
  if (intRaw === '' && fracRaw === '') return null;
  // The mantissa as parts, then the exponent applied by the one point-moving helper.
  return shiftPoint({ neg: sign === '-', int: intRaw, frac: fracRaw }, expRaw ? Number.parseInt(expRaw, 10) : 0);
}

/** Multiply by 10^k (k may be negative) by moving the decimal point. Exact. */
export function shiftPoint(p: DecimalParts, k: number): DecimalParts {
  let digits = p.int + p.frac;
  let point = p.int.length + k;
  if (point < 0) {
    digits = '0'.repeat(-point) + digits;
    point = 0;
  }
  if (point > digits.length) digits += '0'.repeat(point - digits.length);
  const int = digits.slice(0, point).replace(/^0+/, '') || '0';
  const frac = digits.slice(point).replace(/0+$/, '');
  return { neg: p.neg && !(int === '0' && frac === ''), int, frac };
}

/** The plain decimal literal of parts (`-123.45`), as `Intl.NumberFormat.format` reads strings. */
function literal(p: DecimalParts): string {
  return (p.neg ? '-' : '') + p.int + (p.frac ? '.' + p.frac : '');
}

export interface NumberFormat {
  /** Fraction digits to show (rounded half away from zero). Default: as many as the value has (at most {@link MAX_SHOWN_DECIMALS}). */
  dp?: number;
  /** Thousands separators (default true). */
  group?: boolean;
  /** Show "+" for positive values (deltas, PnL). Default false. */
  plus?: boolean;
  /** Drop trailing fraction zeros after rounding (default false). */
  trim?: boolean;
}

/** Formatters by option set: building an `Intl.NumberFormat` costs far more than using one. */
const formatters = new Map<string, Intl.NumberFormat>();

function formatter(minDp: number, maxDp: number, group: boolean, plus: boolean): Intl.NumberFormat {
  const key = `${minDp}|${maxDp}|${group ? 1 : 0}|${plus ? 1 : 0}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.NumberFormat('en-US', {
      minimumFractionDigits: minDp,
      maximumFractionDigits: maxDp,
      useGrouping: group ? 'always' : false,
      // 'exceptZero': "+" for positive, "-" for negative, none for a value that rounds to zero.
      signDisplay: plus ? 'exceptZero' : 'negative',
      roundingMode: 'halfExpand',
    });
    formatters.set(key, f);
  }
  return f;
}

function render(p: DecimalParts, f: NumberFormat): string {
  if (p.int.length > MAX_INTEGER_DIGITS) return UNKNOWN;
  const maxDp = Math.min(f.dp ?? p.frac.length, MAX_SHOWN_DECIMALS);
  const minDp = f.trim ? 0 : maxDp;
  // en-US writes negatives with "-" (U+002D), the only "-" in its output.
  return formatter(minDp, maxDp, f.group !== false, f.plus === true).format(literal(p) as `${number}`).replace('-', MINUS);
}

/**
 * A decimal string for display.
 * @example formatDecimal('-1234567.891', { dp: 2 }) //=> '−1,234,567.89'
 * @example formatDecimal('0.125', { dp: 2 }) //=> '0.13' (half away from zero)
 * @example formatDecimal(null) //=> 'unknown'
 */
export function formatDecimal(s: string | null | undefined, f: NumberFormat = {}): string {
  const p = parseDecimal(s);
  return p ? render(p, f) : UNKNOWN;
}

/**
 * Fraction digits for a price of this size: 2 from 1,000 up, 4 from 1 up, otherwise enough for
 * 4 significant digits (at most 10). Display only: views put the exact value in the element's title.
 */
export function priceDecimals(p: DecimalParts): number {
  if (p.int.length >= 4) return 2;
  if (p.int !== '0') return 4;
  const lead = p.frac.match(/^0*/)![0].length;
  return Math.min(10, lead + 4);
}

/**
 * A price with a scale suited to its size ({@link priceDecimals}).
 * @example formatPrice('61240.123') //=> '61,240.12'
 * @example formatPrice('0.000123456') //=> '0.0001235'
 */
export function formatPrice(s: string | null | undefined): string {
  const p = parseDecimal(s);
  return p ? render(p, { dp: priceDecimals(p) }) : UNKNOWN;
}

/**
 * A fraction as a percent: `"0.0382"` → `"3.82 %"`.
 * @param fraction decimal string, 1 = 100 %
 * @param dp fraction digits of the percent (default 2)
 * @param plus "+" before positive values (changes)
 */
export function formatPercent(fraction: string | null | undefined, dp = 2, plus = false): string {
  const p = parseDecimal(fraction);
  if (!p) return UNKNOWN;
  const text = render(shiftPoint(p, 2), { dp, plus });
  return text === UNKNOWN ? UNKNOWN : `${text} %`;
}

/** A value already in percent (e.g. Delta.changePercent `"-3.8"`) with a sign: `"−3.8 %"`. */
export function formatPercentValue(percent: string | null | undefined, dp = 1, plus = true): string {
  const p = parseDecimal(percent);
  if (!p) return UNKNOWN;
  const text = render(p, { dp, plus });
  return text === UNKNOWN ? UNKNOWN : `${text} %`;
}

/** Decimal string → fraction string (percent ÷ 100), for form input typed in percent. Null if not a decimal. Exact. */
export function percentToFraction(percent: string): string | null {
  const p = parseDecimal(percent);
  return p ? literal(shiftPoint(p, -2)) : null;
}

/** Canonical plain decimal string (no exponent, no grouping), or null: `"1e3"` → `"1000"`. Exact. */
export function plainDecimal(s: string): string | null {
  const p = parseDecimal(s);
  return p ? literal(p) : null;
}

/** Whether `s` is a decimal string this module reads (see {@link parseDecimal}). */
export function isDecimal(s: string | null | undefined): boolean {
  return parseDecimal(s) !== null;
}

/** Sign of a decimal string: −1, 0, 1; null when not a decimal. */
export function signOf(s: string | null | undefined): -1 | 0 | 1 | null {
  const p = parseDecimal(s);
  if (!p) return null;
  if (p.int === '0' && p.frac === '') return 0;
  return p.neg ? -1 : 1;
}

/**
 * Age of a timestamp for people: "just now", "12 s", "4 min", "2 h 5 min", "3 d".
 * @param ms age in milliseconds (now − then); negative ages (clock skew) show "just now"
 */
export function formatAge(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return UNKNOWN;
  const s = Math.floor(ms / 1000);
  if (s < 2) return 'just now';
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return m % 60 ? `${h} h ${m % 60} min` : `${h} h`;
  return `${Math.floor(h / 24)} d`;
}

/**
 * The exchange's own figures (liquidation price, margin ratio…) come from the last page read;
 * ours are evaluated at the live stream marks. They are shown as "old" once the read is this
 * much older than our evaluation (ms): the page's prices are re-read only once a minute while
 * the streams price every position (lib/exchanges/health.ts PAGE_PRICES_RECONCILE_MS).
 */
export const EXCHANGE_FIGURE_FRESH_MS = 5_000;

/**
 * Where an exchange figure shown beside ours comes from, for its tooltip: the page read's time
 * (local clock, `readAt` ms epoch) and the mark price the page showed then (decimal string).
 * The mismatch check compares ours at that same mark, so an old figure is never a false ⚠.
 */
export function exchangeFigureSource(readAt: number | null, pageMark: string | null): string {
  const when = readAt === null ? 'at the last page read' : `at ${new Date(readAt).toLocaleTimeString('en-GB')}`;
  return `as the exchange page showed it ${when}${pageMark ? `, at mark ${formatPrice(pageMark)}` : ''}`;
}

/** Whether an exchange figure read at `readAt` is older than our evaluation at `evaluatedAt` by more than {@link EXCHANGE_FIGURE_FRESH_MS}. */
export function exchangeFigureOld(readAt: number | null, evaluatedAt: number | null): boolean {
  return readAt !== null && evaluatedAt !== null && evaluatedAt - readAt > EXCHANGE_FIGURE_FRESH_MS;
}
