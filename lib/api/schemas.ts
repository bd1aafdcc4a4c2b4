/** Shared valibot pieces for account-API responses: money stays a decimal string. */
import * as v from 'valibot';

const DEC_RE = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/;

/** A decimal string such as `"103.12345678"` or `"-1.000"`. */
export const Dec = v.pipe(v.string(), v.regex(DEC_RE, 'must be a decimal string'));
/** A decimal string, or `""` (the exchanges' "not applicable"). */
export const DecOrEmpty = v.pipe(v.string(), v.regex(/^(?:-?\d+(\.\d+)?([eE][+-]?\d+)?)?$/, 'must be a decimal string or empty'));
/** A JSON number or a decimal string (Binance leverage brackets use numbers, some endpoints strings). */
export const NumOrDec = v.union([v.pipe(v.number(), v.finite()), Dec]);

/** `""`, `"0"` and absent → null (unknown, never zero); otherwise the string. Used for liquidation prices. */
export function knownPrice(s: string | undefined | null): string | null {
  if (s === undefined || s === null || s === '') return null;
  return /^-?0*(\.0*)?$/.test(s) ? null : s;
}

/** `""` and absent → null; otherwise the string (a `"0"` stays a known zero). */
export function knownValue(s: string | undefined | null): string | null {
  return s === undefined || s === null || s === '' ? null : s;
}
