/**
 * Valibot checks of what content scripts send, run in the worker only (content scripts never
 * bundle valibot). The snapshot itself is checked by the engine's schema (lib/engine/snapshot.ts
 * `safeParseSnapshot`), which names the failing field.
 */
import * as v from 'valibot';
import type { ExchangeId } from '../engine/exchanges';
import type { ReaderHealth } from '../exchanges/health';

/** A list of strings from the page, bounded: at most 50 entries of at most 200 characters; non-strings dropped. */
const BoundedTexts = v.pipe(
  v.fallback(v.array(v.unknown()), []),
  v.transform((xs) => xs.filter((s): s is string => typeof s === 'string').slice(0, 50).map((s) => s.slice(0, 200))),
);
const Time = v.pipe(v.number(), v.finite());

/** Reader health as sent by a content script; lists and strings are bounded, not refused. */
export const ReaderHealthSchema = v.object({
  exchange: v.string(),
  status: v.picklist(['ok', 'partial', 'unrecognized']),
  url: v.pipe(v.fallback(v.string(), ''), v.transform((s) => s.slice(0, 2048))),
  readAt: Time,
  found: BoundedTexts,
  missing: BoundedTexts,
  problems: BoundedTexts,
  lastGoodReadAt: v.fallback(v.nullable(Time), null),
  /** False when the page shows open positions the reader could not read (absent from older readers: true). */
  positionsComplete: v.fallback(v.boolean(), true),
  /** How many positions the page says are open (e.g. the "Positions(2)" tab), or null. */
  positionsExpected: v.fallback(v.nullable(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(10_000))), null),
});

/**
 * Reader health from a content script, checked and bounded (lists ≤ 50 entries, strings ≤ 200
 * characters) before it is stored; null when it is not a health object for this exchange.
 */
export function sanitizeHealth(h: unknown, exchange: ExchangeId): ReaderHealth | null {
  const r = v.safeParse(ReaderHealthSchema, h);
  if (!r.success || r.output.exchange !== exchange) return null;
  return { ...r.output, exchange } as ReaderHealth;
}

/**
 * The account identity a page shows (`uid:12345678`, `sub:<name>`, `addr:0x…`), or null when
 * absent or malformed: at most 100 characters of letters, digits and `:_.@-`.
 */
export function sanitizeIdentity(x: unknown): string | null {
  return typeof x === 'string' && /^(uid|sub|addr|acct):[A-Za-z0-9_.@-]{1,90}$/.test(x) ? x : null;
}
