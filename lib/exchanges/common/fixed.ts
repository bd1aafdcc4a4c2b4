/**
 * Tiny exact fixed-point arithmetic on canonical decimal strings, using BigInt.
 *
 * Used by the page readers for consistency checks (is the displayed PnL consistent with
 * entry, mark and size?) and for the few derived figures they report (contracts × contract
 * value, wallet − isolated margins). Only add, subtract, multiply and compare: exact, no
 * rounding, no division. The engine uses decimal.js; this keeps the content script free of it.
 */

/**
 * An exact decimal as an integer and a scale: value = n × 10^-scale. Readers parse each
 * figure into one once and chain `fx*` operations on it, so a check of several steps does
 * not print and re-parse a string between steps.
 */
export interface Fixed {
  readonly n: bigint;
  readonly scale: number;
}

/**
 * Parse a canonical decimal string (`"-1234.5"`, as {@link parseNumber} returns) into a Fixed.
 * @throws Error when `s` is not a plain decimal string.
 */
export function fx(s: string): Fixed {
  return parse(s);
}

function parse(s: string): Fixed {
  // Inputs are canonical decimal strings produced by the number parser; BigInt() rejects anything else.
  const neg = s.charCodeAt(0) === 45; // '-'
  const t = neg || s.charCodeAt(0) === 43 ? s.slice(1) : s;
  const dot = t.indexOf('.');
  const digits = dot < 0 ? t : t.slice(0, dot) + t.slice(dot + 1);
  if (digits === '' || !(digits.charCodeAt(0) >= 48 && digits.charCodeAt(0) <= 57)) throw new Error(`not a plain decimal string: ${JSON.stringify(s)}`);
  let n: bigint;
  try {
    n = BigInt(digits);
  } catch {
    throw new Error(`not a plain decimal string: ${JSON.stringify(s)}`);
  }
  return { n: neg ? -n : n, scale: dot < 0 ? 0 : t.length - dot - 1 };
}

/** 10^k as a BigInt, cached (BigInt exponentiation is slow and the same few scales recur). */
const POW10: bigint[] = [1n];
function pow10(k: number): bigint {
  for (let i = POW10.length; i <= k; i++) POW10.push(POW10[i - 1]! * 10n);
  return POW10[k]!;
}

function align(a: Fixed, b: Fixed): [bigint, bigint, number] {
  if (a.scale === b.scale) return [a.n, b.n, a.scale];
  if (a.scale > b.scale) return [a.n, b.n * pow10(a.scale - b.scale), a.scale];
  return [a.n * pow10(b.scale - a.scale), b.n, b.scale];
}

function format(n: bigint, scale: number): string {
  const neg = n < 0n;
  let digits = (neg ? -n : n).toString();
  if (scale > 0) {
    digits = digits.padStart(scale + 1, '0');
    // Drop the fraction's trailing zeros (and the point when nothing is left), without a regex.
    const point = digits.length - scale;
    let end = digits.length;
    while (end > point && digits.charCodeAt(end - 1) === 48) end--;
    digits = end === point ? digits.slice(0, point) : `${digits.slice(0, point)}.${digits.slice(point, end)}`;
  }
  if (digits === '' ) digits = '0';
  return neg && digits !== '0' ? `-${digits}` : digits;
}

/** a + b, exact. */
export function fxAdd(a: Fixed, b: Fixed): Fixed {
  const [x, y, scale] = align(a, b);
  return { n: x + y, scale };
}
/** a − b, exact. */
export function fxSub(a: Fixed, b: Fixed): Fixed {
  const [x, y, scale] = align(a, b);
  return { n: x - y, scale };
}
/** a × b, exact (scales add). */
export function fxMul(a: Fixed, b: Fixed): Fixed {
  return { n: a.n * b.n, scale: a.scale + b.scale };
}
/** −a. */
export function fxNeg(a: Fixed): Fixed {
  return { n: -a.n, scale: a.scale };
}
/** |a|. */
export function fxAbs(a: Fixed): Fixed {
  return a.n < 0n ? { n: -a.n, scale: a.scale } : a;
}
/** Compare: -1 if a < b, 0 if equal, 1 if a > b. */
export function fxCmp(a: Fixed, b: Fixed): -1 | 0 | 1 {
  const [x, y] = align(a, b);
  return x < y ? -1 : x > y ? 1 : 0;
}
/** Sign: -1, 0 or 1. */
export function fxSign(a: Fixed): -1 | 0 | 1 {
  return a.n < 0n ? -1 : a.n > 0n ? 1 : 0;
}
/** One unit in the last of `decimals` places, as a Fixed: `fxUlp(2)` = 0.01. */
export function fxUlp(decimals: number): Fixed {
  return decimals <= 0 ? { n: 1n, scale: 0 } : { n: 1n, scale: decimals };
}
/** The canonical decimal string of a Fixed (no trailing fraction zeros, `-0` is `0`). */
export function fxString(a: Fixed): string {
  return format(a.n, a.scale);
}

/** a + b, exact. Inputs and output are plain decimal strings. */
export function addDec(a: string, b: string): string {
  const [x, y, s] = align(parse(a), parse(b));
  return format(x + y, s);
}
/** a − b, exact. */
export function subDec(a: string, b: string): string {
  const [x, y, s] = align(parse(a), parse(b));
  return format(x - y, s);
}
/** a × b, exact. */
export function mulDec(a: string, b: string): string {
  const x = parse(a);
  const y = parse(b);
  return format(x.n * y.n, x.scale + y.scale);
}
/** Compare: -1 if a < b, 0 if equal, 1 if a > b. */
export function cmpDec(a: string, b: string): -1 | 0 | 1 {
  const [x, y] = align(parse(a), parse(b));
  return x < y ? -1 : x > y ? 1 : 0;
}
/** |a|. */
export function absDec(a: string): string {
  return a.startsWith('-') ? a.slice(1) : a;
}
/** Sign of a: -1, 0 or 1. */
export function signDec(a: string): -1 | 0 | 1 {
  return cmpDec(a, '0');
}
/** One unit in the last displayed place: `ulp(2)` → `'0.01'`. */
export function ulp(decimals: number): string {
  return decimals <= 0 ? '1' : `0.${'0'.repeat(decimals - 1)}1`;
}
