/**
 * valibot shapes of the stored records (version 1 of each item in lib/storage/items.ts), used by
 * lib/storage/load.ts to check what is read back before the background trusts it. Worker-side
 * only: never import this from a content script.
 *
 * Units as in lib/storage/records.ts: decimal strings for money, prices and rates; fractions for
 * ratios; ms since the Unix epoch for times. Every number must be finite (NaN, ±Infinity and
 * numbers stored as text are refused).
 *
 * Derived data is checked lightly, source data fully:
 * - an account's `snapshot` is checked by the engine's own schema (lib/engine/snapshot.ts
 *   `safeParseSnapshot`, the same check a page read passes);
 * - an account's `risk` (engine output) is recomputed from the snapshot at every start, so only
 *   the fields read before that re-evaluation (the outbox's notification text: ratio convention,
 *   closest position) are checked ({@link RiskLightShape}); extra fields pass unchecked.
 */
import * as v from 'valibot';
import { EXCHANGES } from '../engine/exchanges';
import { MAX_POSITIONS } from '../engine/snapshot';
import type { TierTable } from '../engine/tiers';
import type { ReaderHealth } from '../exchanges/health';
import type { AlertState, Notice } from '../alerts/machine';
import type { AccountRecord, MonitorCounters, PendingNotice, RatioSample, StoredMark, TierCacheEntry, TierSourceUsed } from './records';

const DECIMAL_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d{1,3})?$/;

/** A decimal string (`"-12.5"`, `"1e-4"`), at most 40 characters. */
export const DecimalText = v.pipe(v.string('must be a decimal string'), v.maxLength(40, 'is too long for a decimal string'), v.regex(DECIMAL_RE, 'must be a decimal string'));
/** A time in ms since the Unix epoch: a finite number ≥ 0. */
export const EpochMs = v.pipe(v.number('must be a number (ms)'), v.finite('must be a finite number (ms)'), v.minValue(0, 'must be ≥ 0 (ms)'));
/** A count: an integer ≥ 0. */
const Count = v.pipe(v.number('must be a number'), v.safeInteger('must be a whole number'), v.minValue(0, 'must be ≥ 0'));
/** A fraction in [0, 1] (alert levels, risk ratios as the alert machine compares them). */
const Fraction = v.pipe(v.number('must be a number'), v.finite('must be a finite number'), v.minValue(0, 'must be ≥ 0'), v.maxValue(1, 'must be ≤ 1'));
const Text = (max: number) => v.pipe(v.string('must be text'), v.maxLength(max, `must be at most ${max} characters`));
const Exchange = v.picklist(EXCHANGES, `must be one of ${EXCHANGES.join(', ')}`);
const Side = v.picklist(['long', 'short'], 'must be "long" or "short"');

/** lib/storage/records.ts `StoredMark`. */
export const StoredMarkShape = v.object({
  price: DecimalText,
  time: EpochMs,
  receivedAt: v.optional(EpochMs),
  fundingRate: v.optional(DecimalText),
  nextFundingTime: v.optional(EpochMs),
});

/** A mark book: symbol → {@link StoredMarkShape} (one exchange's entry of `session:marks`, or an account's `marks`). */
export const MarkBookShape = v.record(Text(80), StoredMarkShape);

/** lib/storage/records.ts `TierSourceUsed`. */
export const TierSourceUsedShape = v.object({
  source: v.nullable(Text(2048)),
  asOf: v.nullable(Text(100)),
  kind: v.picklist(['live', 'cached', 'bundled', 'none']),
});

const Strings = v.pipe(v.array(Text(200)), v.maxLength(50, 'must hold at most 50 entries'));
/** lib/exchanges/health.ts `ReaderHealth`, with the bounds the background applies when it stores one. */
export const ReaderHealthShape = v.object({
  exchange: Exchange,
  status: v.picklist(['ok', 'partial', 'unrecognized']),
  url: Text(2048),
  readAt: EpochMs,
  found: Strings,
  missing: Strings,
  problems: Strings,
  lastGoodReadAt: v.nullable(EpochMs),
  positionsComplete: v.optional(v.boolean()),
  positionsExpected: v.optional(v.nullable(Count)),
});

/**
 * The fields of an engine `AccountRisk` read from a stored record before the start-up
 * re-evaluation replaces it (notification text of a notice left in the outbox). Other fields pass unchecked.
 */
export const RiskLightShape = v.looseObject({
  exchange: Exchange,
  marginRatioConvention: v.looseObject({ direction: v.picklist(['lower-is-safer', 'higher-is-safer']), definition: v.string() }),
  riskRatio: v.nullable(DecimalText),
  liquidated: v.nullable(v.boolean()),
  firstToLiquidate: v.nullable(Count),
  positions: v.array(
    v.looseObject({
      symbol: v.string(),
      side: Side,
      markPrice: v.nullable(DecimalText),
      liquidationPrice: v.nullable(DecimalText),
      distanceToLiquidation: v.nullable(DecimalText),
    }),
  ),
  reasons: v.array(v.looseObject({ field: v.string(), reason: v.string() })),
});

/** What happens to an account whose stored field fails its shape. */
export type FieldRule =
  /** Source data (identity, page read, warnings that must stay loud): the whole account is quarantined. */
  | { shape: v.GenericSchema; onBad: 'quarantine' }
  /** Derived or navigational data, recomputed at the next evaluation or page read: the field takes `empty`. */
  | { shape: v.GenericSchema; onBad: 'reset'; empty: unknown };

const quarantine = (shape: v.GenericSchema): FieldRule => ({ shape, onBad: 'quarantine' });
const reset = (shape: v.GenericSchema, empty: unknown): FieldRule => ({ shape, onBad: 'reset', empty });

/**
 * One rule per `AccountRecord` field (the mapped type makes a new field a compile error until it
 * has a rule). Optional fields accept absence (records written before the field existed).
 * `snapshot` passes here and is checked by the engine's schema in lib/storage/load.ts.
 * `unreadable` is source data: resetting it would turn "positions could not be read" into an
 * all-clear. `tabClosed` resets to false, which keeps the page-silence rule on (louder).
 */
export const ACCOUNT_FIELDS: { readonly [K in keyof AccountRecord]-?: FieldRule } = {
  key: quarantine(Text(200)),
  exchange: quarantine(Exchange),
  label: quarantine(Text(200)),
  snapshot: quarantine(v.unknown()),
  snapshotAt: quarantine(v.nullable(EpochMs)),
  identity: quarantine(v.optional(v.nullable(v.pipe(v.string(), v.regex(/^(uid|sub|addr|acct):[A-Za-z0-9_.@-]{1,90}$/, 'must be uid:…, sub:…, addr:… or acct:…'))))),
  unreadable: quarantine(v.optional(v.nullable(Text(2000)))),
  health: reset(v.nullable(ReaderHealthShape), null),
  tabId: reset(v.nullable(v.pipe(v.number(), v.safeInteger())), null),
  windowId: reset(v.nullable(v.pipe(v.number(), v.safeInteger())), null),
  url: reset(v.nullable(Text(2048)), null),
  risk: reset(v.nullable(RiskLightShape), null),
  riskAt: reset(v.nullable(EpochMs), null),
  marks: reset(MarkBookShape, {}),
  tierSources: reset(v.record(v.string(), TierSourceUsedShape), {}),
  stale: reset(v.nullable(Text(2000)), null),
  level: reset(v.nullable(Fraction), null),
  pageSeenAt: reset(v.optional(v.nullable(EpochMs)), null),
  tabClosed: reset(v.optional(v.boolean()), false),
  markDisagreements: reset(v.optional(v.pipe(v.array(v.object({ symbol: v.string(), stream: DecimalText, page: DecimalText })), v.maxLength(MAX_POSITIONS))), []),
  // Derived at every evaluation: a bad stored value is dropped and recomputed.
  stops: reset(v.optional(v.nullable(v.pipe(v.array(v.looseObject({ position: v.number(), symbol: v.string(), status: v.picklist(['no-stop', 'fires-first', 'never-fires', 'unknown']), reasons: v.array(v.looseObject({ field: v.string(), reason: v.string() })) })), v.maxLength(MAX_POSITIONS)))), null),
  odds: reset(v.optional(v.nullable(v.looseObject({ positions: v.pipe(v.array(v.looseObject({ position: v.number(), symbol: v.string() })), v.maxLength(MAX_POSITIONS)) }))), null),
};

/**
 * Account keys (lib/background/accounts.ts `pageAccountKey`): `<exchange>/<identity>` or
 * `<exchange>/tab:<id>` for page accounts, the bare exchange id for records stored before
 * accounts were keyed by identity, `hyperliquid:0x` + 40 hex digits for watched wallets.
 */
export const ACCOUNT_KEY_RE = new RegExp(
  `^(?:(?:${EXCHANGES.join('|')})(?:/(?:(?:uid|sub|addr|acct):[A-Za-z0-9_.@-]{1,90}|tab:(?:\\d{1,12}|none)))?|hyperliquid:0x[0-9a-fA-F]{40})$`,
);

const RatioSourceShape = v.picklist(['engine', 'exchange']);
const ArmShape = v.object({ armed: v.boolean(), lastNotifiedAt: v.nullable(EpochMs) });
/** lib/alerts/machine.ts `AlertState` (one account's alert state). */
export const AlertStateShape = v.object({
  levels: v.record(v.string(), ArmShape),
  positions: v.record(v.string(), ArmShape),
  stale: v.object({
    active: v.boolean(),
    reason: v.nullable(v.string()),
    since: v.nullable(EpochMs),
    notified: v.boolean(),
    // Optional: states stored before the stale debounce and its cooldown existed.
    reads: v.optional(v.pipe(v.number(), v.safeInteger(), v.minValue(0))),
    lastNotifiedAt: v.optional(v.nullable(EpochMs)),
  }),
  currentLevel: v.nullable(Fraction),
  // Optional: states stored before the ratio source existed.
  ratio: v.optional(v.nullable(v.pipe(v.number(), v.finite()))),
  ratioSource: v.optional(RatioSourceShape),
  disagreement: v.optional(v.boolean()),
});

const PositionInputShape = v.object({
  key: v.string(),
  symbol: v.string(),
  side: Side,
  distanceToLiquidation: v.nullable(v.pipe(v.number(), v.finite())),
  liquidationPrice: v.nullable(v.string()),
  markPrice: v.nullable(v.string()),
});
/** lib/alerts/machine.ts `Notice`. */
export const NoticeShape = v.variant('kind', [
  v.object({
    kind: v.literal('level'),
    level: Fraction,
    top: v.boolean(),
    riskRatio: v.pipe(v.number(), v.finite()),
    at: EpochMs,
    source: v.optional(RatioSourceShape),
    engineRatio: v.optional(v.nullable(v.pipe(v.number(), v.finite()))),
    disagreement: v.optional(v.boolean()),
  }),
  v.object({ kind: v.literal('position'), position: PositionInputShape, threshold: Fraction, at: EpochMs }),
  v.object({ kind: v.literal('stale'), reason: v.string(), at: EpochMs }),
]);
/** lib/storage/records.ts `PendingNotice` (one outbox entry). */
export const PendingNoticeShape = v.object({ id: Text(500), accountKey: Text(200), notice: NoticeShape });

/** One account's ratio history: samples `{ t: ms, r: fraction | null }`, at most 2 000 (the hour at one per 5 s is 720). */
export const RatioSeriesShape = v.pipe(
  v.array(v.object({ t: EpochMs, r: v.nullable(v.pipe(v.number('must be a number or null'), v.finite('must be finite or null'))) })),
  v.maxLength(2000, 'must hold at most 2000 samples'),
);

const TierShape = v.object({ floor: DecimalText, cap: v.nullable(DecimalText), mmr: DecimalText, maintAmount: DecimalText, maxLeverage: DecimalText });
/** lib/engine/tiers.ts `TierTable`. */
export const TierTableShape = v.object({
  exchange: Exchange,
  symbol: Text(80),
  basis: v.picklist(['notional', 'contracts']),
  tiers: v.pipe(v.array(TierShape), v.minLength(1, 'needs at least one tier'), v.maxLength(1000)),
  source: Text(2048),
  asOf: Text(100),
});
/** lib/storage/records.ts `TierCacheEntry` (one exchange's live tier tables). */
export const TierCacheEntryShape = v.object({
  fetchedAt: v.nullable(EpochMs),
  tables: v.record(v.string(), TierTableShape),
  error: v.nullable(v.string()),
  lastAttemptAt: v.nullable(EpochMs),
});

/** lib/storage/records.ts `MonitorCounters`. */
export const MonitorCountersShape = v.object({
  rejectedSenders: Count,
  lastRejectedSender: v.nullable(v.string()),
  invalidSnapshots: Count,
  lastInvalidSnapshot: v.nullable(v.string()),
});

/** lib/exchanges/endpoints.ts `EndpointOverride` (or null). Non-loopback origins pass here; `streamUrl`/`restUrl` ignore them. */
export const EndpointOverrideShape = v.nullable(v.object({ stream: v.optional(Text(200)), rest: v.optional(Text(200)), privateStream: v.optional(Text(200)) }));

/** valibot issues as `path: message; …` (dotted path; `(value)` for the whole value). */
export function issuesText(issues: readonly v.BaseIssue<unknown>[]): string {
  return issues
    .slice(0, 5)
    .map((i) => `${v.getDotPath(i) ?? '(value)'}: ${i.message}`)
    .join('; ');
}

// ---- each shape covers its record type exactly (a field added to a type and not to its shape fails to compile)
type SameKeys<A, B> = [Exclude<keyof A, keyof B>, Exclude<keyof B, keyof A>] extends [never, never] ? true : { missing: Exclude<keyof A, keyof B>; extra: Exclude<keyof B, keyof A> };
type Out<S extends v.GenericSchema> = v.InferOutput<S>;
const covers = <T extends true>(_: T) => _;
covers<SameKeys<StoredMark, Out<typeof StoredMarkShape>>>(true);
covers<SameKeys<TierSourceUsed, Out<typeof TierSourceUsedShape>>>(true);
covers<SameKeys<ReaderHealth, Out<typeof ReaderHealthShape>>>(true);
covers<SameKeys<AlertState, Out<typeof AlertStateShape>>>(true);
covers<SameKeys<AlertState['stale'], Out<typeof AlertStateShape>['stale']>>(true);
covers<SameKeys<PendingNotice, Out<typeof PendingNoticeShape>>>(true);
covers<SameKeys<Extract<Notice, { kind: 'position' }>['position'], Out<typeof PositionInputShape>>>(true);
covers<SameKeys<RatioSample, Out<typeof RatioSeriesShape>[number]>>(true);
covers<SameKeys<TierCacheEntry, Out<typeof TierCacheEntryShape>>>(true);
covers<SameKeys<TierTable, Out<typeof TierTableShape>>>(true);
covers<SameKeys<TierTable['tiers'][number], Out<typeof TierShape>>>(true);
covers<SameKeys<MonitorCounters, Out<typeof MonitorCountersShape>>>(true);
