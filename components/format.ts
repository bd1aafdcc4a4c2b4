/**
 * Display formatting of decimal strings by string manipulation only: no floats, no decimal.js
 * (the on-page overlay imports this module and must stay small).
 *
 * Input: a decimal string as the engine and the snapshot carry them (`"-1234.5"`, `"0.00012"`,
 * `"1e-7"`), or `null` for unknown. Output: text for people, with `,` thousands separators,
 * `.` decimal point and the Unicode minus sign `−` (U+2212) for negatives. Rounding is half away
 * from zero at the requested scale; a value that rounds to zero never shows a sign.
 * Anything that is not a decimal string, and `null`, formats as {@link UNKNOWN}.
 */

/** What every unknown figure shows. Never 0, never blank. */
export const UNKNOWN = 'unknown';

const MINUS = '\u2212';
const DECIMAL_RE = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d{1,4}))?$/;

/** A decimal split into sign and digit strings: value = (neg ? −1 : 1) × int.frac. */
export interface DecimalParts {
  neg: boolean;
  /** Integer digits without leading zeros ("0" for none). */
  int: string;
  /** Fraction digits without trailing zeros ("" for none). */
  frac: string;
}

/** Split a decimal string; null when it is not one. Exponents are applied by moving the point. */
export function parseDecimal(s: string | null | undefined): DecimalParts | null {
  if (typeof s !== 'string') return null;
  const m = DECIMAL_RE.exec(s.trim());
  if (!m) return null;
  const [, sign, intRaw = '', fracRaw = '', expRaw] = m;
  if (intRaw === '' && fracRaw === '') return null;
  // The mantissa as parts, then the exponent applied by the one point-moving helper.
  return shiftPoint({ neg: sign === '-', int: intRaw, frac: fracRaw }, expRaw ? Number.parseInt(expRaw, 10) : 0);
}

/** Multiply by 10^k (k may be negative) by moving the decimal point. */
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

/** Add one to a string of decimal digits ("999" → "1000"). */
function incrementDigits(d: string): string {
  const out = d.split('');
  for (let i = out.length - 1; i >= 0; i--) {
    if (out[i] === '9') out[i] = '0';
    else {
      out[i] = String.fromCharCode(out[i]!.charCodeAt(0) + 1);
      return out.join('');
    }
  }
  return '1' + out.join('');
}

/** Round to `dp` fraction digits, half away from zero. The result's frac has exactly `dp` digits. */
export function roundParts(p: DecimalParts, dp: number): DecimalParts {
  if (p.frac.length <= dp) return { ...p, frac: p.frac.padEnd(dp, '0') };
  const keep = p.int + p.frac.slice(0, dp);
  const up = p.frac.charCodeAt(dp) >= 53; // '5'
  let digits = up ? incrementDigits(keep) : keep;
  if (digits.length < keep.length) digits = digits.padStart(keep.length, '0');
  const int = digits.slice(0, digits.length - dp).replace(/^0+/, '') || '0';
  const frac = digits.slice(digits.length - dp);
  const zero = int === '0' && /^0*$/.test(frac);
  return { neg: p.neg && !zero, int, frac };
}

/** Insert `,` every three integer digits ("1234567" → "1,234,567"). */
export function groupThousands(int: string): string {
  return int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

export interface NumberFormat {
  /** Fraction digits to show (rounded half away from zero). Default: as many as the value has. */
  dp?: number;
  /** Thousands separators (default true). */
  group?: boolean;
  /** Show "+" for positive values (deltas, PnL). Default false. */
  plus?: boolean;
  /** Drop trailing fraction zeros after rounding (default false). */
  trim?: boolean;
}

function render(p: DecimalParts, f: NumberFormat): string {
  const r = f.dp === undefined ? p : roundParts(p, f.dp);
  let frac = r.frac;
  if (f.trim) frac = frac.replace(/0+$/, '');
  const int = f.group === false ? r.int : groupThousands(r.int);
  const isZero = r.int === '0' && /^0*$/.test(r.frac);
  const sign = r.neg ? MINUS : f.plus && !isZero ? '+' : '';
  return sign + int + (frac ? '.' + frac : '');
}

/**
 * A decimal string for display.
 * @example formatDecimal('-1234567.891', { dp: 2 }) //=> '−1,234,567.89'
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
 * A price with a scale suited to its size.
 * @example formatPrice('61240.123') //=> '61,240.12'
 * @example formatPrice('0.000123456') //=> '0.0001235'
 */
export function formatPrice(s: string | null | undefined): string {
  const p = parseDecimal(s);
  return p ? render(p, { dp: priceDecimals(p) }) : UNKNOWN;
}

/**
 * A fraction as a percent: `"0.0382"` → `"3.82 %"`.
 * @param dp fraction digits of the percent (default 2)
 */
export function formatPercent(fraction: string | null | undefined, dp = 2, plus = false): string {
  const p = parseDecimal(fraction);
  return p ? `${render(shiftPoint(p, 2), { dp, plus })} %` : UNKNOWN;
}

/** A value already in percent (e.g. Delta.changePercent `"-3.8"`) with a sign: `"−3.8 %"`. */
export function formatPercentValue(percent: string | null | undefined, dp = 1, plus = true): string {
  const p = parseDecimal(percent);
  return p ? `${render(p, { dp, plus })} %` : UNKNOWN;
}

/** Decimal string → fraction string (percent ÷ 100), for form input typed in percent. Null if not a decimal. */
export function percentToFraction(percent: string): string | null {
  const p = parseDecimal(percent);
  if (!p) return null;
  const f = shiftPoint(p, -2);
  return (f.neg ? '-' : '') + f.int + (f.frac ? '.' + f.frac : '');
}

/** Canonical plain decimal string (no exponent, no grouping), or null: `"1e3"` → `"1000"`. */
export function plainDecimal(s: string): string | null {
  const p = parseDecimal(s);
  return p ? (p.neg ? '-' : '') + p.int + (p.frac ? '.' + p.frac : '') : null;
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
