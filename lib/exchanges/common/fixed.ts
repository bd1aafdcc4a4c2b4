/**
 * Tiny exact fixed-point arithmetic on canonical decimal strings, using BigInt.
 *
 * Used by the page readers for consistency checks (is the displayed PnL consistent with
 * entry, mark and size?) and for the few derived figures they report (contracts × contract
 * value, wallet − isolated margins). Only add, subtract, multiply and compare: exact, no
 * rounding, no division. The engine uses decimal.js; this keeps the content script free of it.
 */

interface Fixed {
  n: bigint;
  scale: number;
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
