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

/**
 * The source fields of an `AccountRecord` (its identity and page read). A record failing these is
 * quarantined whole. `snapshot` is checked separately by the engine's schema.
 */
export const AccountCoreShape = v.object({
  key: Text(200),
  exchange: Exchange,
  label: Text(200),
  snapshot: v.unknown(),
  snapshotAt: v.nullable(EpochMs),
});

/**
 * The other fields of an `AccountRecord`, each with the value it takes when its stored value
 * fails its shape: derived or navigational data, recomputed at the next evaluation or page read.
 */
export const ACCOUNT_RESETTABLE = {
  health: { shape: v.nullable(ReaderHealthShape), empty: null },
  tabId: { shape: v.nullable(v.pipe(v.number(), v.safeInteger())), empty: null },
  windowId: { shape: v.nullable(v.pipe(v.number(), v.safeInteger())), empty: null },
  url: { shape: v.nullable(Text(2048)), empty: null },
  risk: { shape: v.nullable(RiskLightShape), empty: null },
  riskAt: { shape: v.nullable(EpochMs), empty: null },
  marks: { shape: MarkBookShape, empty: {} },
  tierSources: { shape: v.record(v.string(), TierSourceUsedShape), empty: {} },
  stale: { shape: v.nullable(Text(2000)), empty: null },
  level: { shape: v.nullable(Fraction), empty: null },
} as const;

/** Account keys: an exchange id (page accounts) or `hyperliquid:0x` + 40 hex digits (watched wallets). */
export const ACCOUNT_KEY_RE = new RegExp(`^(?:${EXCHANGES.join('|')}|hyperliquid:0x[0-9a-fA-F]{40})$`);

const ArmShape = v.object({ armed: v.boolean(), lastNotifiedAt: v.nullable(EpochMs) });
/** lib/monitor/alerts.ts `AlertState` (one account's alert state). */
export const AlertStateShape = v.object({
  levels: v.record(v.string(), ArmShape),
  positions: v.record(v.string(), ArmShape),
  stale: v.object({ active: v.boolean(), reason: v.nullable(v.string()), since: v.nullable(EpochMs), notified: v.boolean() }),
  currentLevel: v.nullable(Fraction),
});

const PositionInputShape = v.object({
  key: v.string(),
  symbol: v.string(),
  side: Side,
  distanceToLiquidation: v.nullable(v.pipe(v.number(), v.finite())),
  liquidationPrice: v.nullable(v.string()),
  markPrice: v.nullable(v.string()),
});
/** lib/monitor/alerts.ts `Notice`. */
export const NoticeShape = v.variant('kind', [
  v.object({ kind: v.literal('level'), level: Fraction, top: v.boolean(), riskRatio: v.pipe(v.number(), v.finite()), at: EpochMs }),
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
export const EndpointOverrideShape = v.nullable(v.object({ stream: v.optional(Text(200)), rest: v.optional(Text(200)) }));

/** valibot issues as `path: message; …` (dotted path; `(value)` for the whole value). */
export function issuesText(issues: readonly v.BaseIssue<unknown>[]): string {
  return issues
    .slice(0, 5)
    .map((i) => `${v.getDotPath(i) ?? '(value)'}: ${i.message}`)
    .join('; ');
}
