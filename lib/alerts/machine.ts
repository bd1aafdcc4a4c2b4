/**
 * Pure alert state machine for one monitored account: threshold levels on the normalized
 * risk ratio with hysteresis and cooldown, per-position distance-to-liquidation alerts, and
 * the staleness dead-man switch. No browser APIs, no clocks: `now` is always passed in, and
 * the state is plain JSON so the background can persist it after every step (and a restarted
 * worker continues where the dead one stopped: nothing notified twice, nothing missed).
 *
 * Conventions:
 * - `riskRatio` is the engine's normalized ratio ((MM + liquidation fee) / margin balance,
 *   fraction; 1 = liquidation on every exchange; lower is safer). Levels are fractions of it.
 * - An upward crossing of level L happens when the ratio is ≥ L while L is armed. L then
 *   disarms and re-arms only once the ratio falls below L − hysteresis. Several levels crossed
 *   in one step produce one notice, for the highest. A crossing inside the cooldown of the same
 *   level (since its last notice) disarms it silently.
 * - Distances are fractions (0.05 = 5 % from the liquidation price).
 * - Times are ms since the Unix epoch. The clock may go backwards (system time corrected): a
 *   cooldown then holds (a notice at `t` blocks the same notice at every `now < t + cooldown`,
 *   including `now < t`), it is never disabled.
 * - The ratio alerted on is the engine's, or the exchange's own displayed figure when that is
 *   worse or ours is unknown (see `lib/alerts/input.ts`); `ratioSource` says which.
 * - No spam: a position that vanishes from a read and returns keeps its cooldown (remembered
 *   until the cooldown has run out, at most {@link MAX_REMEMBERED_POSITIONS}); "monitoring
 *   stopped" notices are debounced ({@link STALE_DEBOUNCE_READS} consecutive stale reads or
 *   {@link STALE_DEBOUNCE_MS}) and have their own cooldown (`cooldownMs`, counted from the last
 *   stale notice, across episodes).
 */

/** User-tunable alert settings for one account (normalized units). */
export interface AlertSettings {
  /** Risk-ratio levels, fractions in (0, 1], any order (sorted internally). Default 0.5/0.7/0.8/0.9. */
  levels: number[];
  /** Re-arm a level only after the ratio falls this far below it (ratio points, fraction). */
  hysteresis: number;
  /** Minimum time between two notices for the same level or position, ms. */
  cooldownMs: number;
  /** Alert when a position's distance to liquidation falls under this fraction (0 disables). */
  positionDistance: number;
  /** Re-arm a position alert once its distance is above `positionDistance + positionRearm`. */
  positionRearm: number;
  /** Prices older than this (ms) while positions are open make the account stale. */
  priceMaxAgeMs: number;
  /** A page snapshot older than this (ms) while positions are open makes the account stale. */
  snapshotMaxAgeMs: number;
}

/** Defaults: levels 50 / 70 / 80 / 90 %, 3-point hysteresis, 15 min cooldown, 5 % distance, 60 s prices, 15 min snapshot. */
export const DEFAULT_ALERT_SETTINGS: AlertSettings = {
  levels: [0.5, 0.7, 0.8, 0.9],
  hysteresis: 0.03,
  cooldownMs: 15 * 60_000,
  positionDistance: 0.05,
  positionRearm: 0.02,
  priceMaxAgeMs: 60_000,
  snapshotMaxAgeMs: 15 * 60_000,
};

export interface ArmState {
  armed: boolean;
  /** Time of the last notice for this level/position, or null. */
  lastNotifiedAt: number | null;
}

export interface StaleState {
  /** True while the account is stale or its ratio unknown (the badge shows it at once; the notice is debounced). */
  active: boolean;
  /** Why (human readable), while active. */
  reason: string | null;
  /** Start of this stale episode, ms: when its first condition began (last fresh price or page read, or first observed). */
  since: number | null;
  /** True once the one "monitoring stopped" notice for this episode was issued. */
  notified: boolean;
  /** Consecutive stale evaluations in this episode (debounce). Absent in states stored before it existed. */
  reads?: number;
  /** Time of the last stale notice, across episodes (its cooldown), or null. */
  lastNotifiedAt?: number | null;
}

/** Where the alerting ratio came from: our engine, or the exchange's own displayed margin ratio. */
export type RatioSource = 'engine' | 'exchange';

/** A stale notice needs this many consecutive stale evaluations … */
export const STALE_DEBOUNCE_READS = 2;
/** … or the stale condition lasting this long (ms), whichever comes first. */
export const STALE_DEBOUNCE_MS = 5_000;
/** Most vanished positions whose cooldown is remembered per account (oldest notice forgotten first). */
export const MAX_REMEMBERED_POSITIONS = 200;

/** Persistable per-account alert state. */
export interface AlertState {
  /** Keyed by the level as a string (`"0.8"`). */
  levels: Record<string, ArmState>;
  /** Keyed by position key (`BTCUSDT|long|cross`). */
  positions: Record<string, ArmState>;
  stale: StaleState;
  /** Highest level currently reached (for the badge colour), or null below all levels. */
  currentLevel: number | null;
  /** The ratio last alerted on (fraction) and where it came from; absent in states stored before it existed. */
  ratio?: number | null;
  ratioSource?: RatioSource;
  /** True when the exchange's fresh figure was worse than ours by more than the tolerance at the last step. */
  disagreement?: boolean;
}

/** A fresh state: everything armed, nothing stale. */
export function initialAlertState(): AlertState {
  return {
    levels: {},
    positions: {},
    stale: { active: false, reason: null, since: null, notified: false, reads: 0, lastNotifiedAt: null },
    currentLevel: null,
    ratio: null,
    ratioSource: 'engine',
    disagreement: false,
  };
}

/** One position as the alert machine sees it. */
export interface PositionInput {
  /** Stable key, e.g. `BTCUSDT|long|cross`. */
  key: string;
  symbol: string;
  side: 'long' | 'short';
  /** Fraction, or null when unknown. */
  distanceToLiquidation: number | null;
  liquidationPrice: string | null;
  markPrice: string | null;
}

/** What one evaluation step sees (built by `alertInputOf`, lib/alerts/input.ts). */
export interface AlertInput {
  /** Normalized risk ratio alerted on (fraction, 1 = liquidation), or null when unknown. */
  riskRatio: number | null;
  /** Where `riskRatio` came from (default `engine`). */
  ratioSource?: RatioSource;
  /** The engine's own ratio when `ratioSource` is `exchange` (null when ours is unknown). */
  engineRatio?: number | null;
  /** The exchange's fresh figure is worse than ours by more than the tolerance (engine under-estimate). */
  disagreement?: boolean;
  /** Why the ratio is unknown, when it is. */
  unknownReason?: string;
  /**
   * The page shows open positions that could not be read, or went silent (the reason as a full
   * sentence, used verbatim): the account is stale/unknown with this reason even when `positions`
   * is empty, and a (debounced) notice says so.
   */
  positionsUnreadable?: string;
  positions: PositionInput[];
  /** Time of the page snapshot, ms. */
  snapshotAt: number;
  /** Time of the oldest current mark price among held symbols (ms), null if no stream price yet. */
  oldestPriceAt: number | null;
  /** Time the stream subscription for these symbols started (ms); no price since then counts from here. */
  pricesExpectedSince: number | null;
}

/** Something the user should be told. Text is produced later (lib/alerts/text.ts). */
export type Notice =
  | {
      kind: 'level';
      level: number;
      top: boolean;
      /** The ratio alerted on (fraction); `source` says whose figure it is. */
      riskRatio: number;
      at: number;
      /** Absent in notices stored before it existed: `engine`. */
      source?: RatioSource;
      /** Our ratio when the exchange's figure drove the notice (null: ours unknown). */
      engineRatio?: number | null;
      /** The exchange's figure is worse than ours by more than the tolerance. */
      disagreement?: boolean;
    }
  | { kind: 'position'; position: PositionInput; threshold: number; at: number }
  | { kind: 'stale'; reason: string; at: number };

/** Result of one step: the next state and the notices to deliver (at most one level notice). */
export interface StepResult {
  state: AlertState;
  notices: Notice[];
}

function sortedLevels(s: AlertSettings): number[] {
  return [...new Set(s.levels.filter((l) => Number.isFinite(l) && l > 0))].sort((a, b) => a - b);
}

function arm(states: Record<string, ArmState>, key: string): ArmState {
  return states[key] ?? { armed: true, lastNotifiedAt: null };
}

/**
 * True when a notice last given at `last` may be repeated at `now`. A clock that went backwards
 * (`now < last`) keeps the cooldown in force: it is never read as "long ago".
 */
export function cooledDown(last: number | null | undefined, now: number, cooldownMs: number): boolean {
  if (last === null || last === undefined) return true;
  if (now < last) return false;
  return now - last >= cooldownMs;
}

function cooled(st: ArmState, now: number, cooldownMs: number): boolean {
  return cooledDown(st.lastNotifiedAt, now, cooldownMs);
}

/** Where a level notice's ratio came from (see {@link AlertInput}). */
export interface RatioOrigin {
  source: RatioSource;
  engineRatio?: number | null;
  disagreement?: boolean;
}

/**
 * Threshold levels: fire at most one notice (the highest newly crossed level), update arming.
 * Pure; returns a new state object.
 * @param origin whose figure `riskRatio` is (default: the engine's); copied onto the notice.
 */
export function stepLevels(
  state: AlertState,
  riskRatio: number | null,
  settings: AlertSettings,
  now: number,
  origin: RatioOrigin = { source: 'engine' },
): StepResult {
  if (riskRatio === null || !Number.isFinite(riskRatio)) return { state, notices: [] };
  const levels = sortedLevels(settings);
  const top = levels[levels.length - 1];
  const next: Record<string, ArmState> = {};
  const crossed: string[] = [];
  let fire: number | null = null;
  let current: number | null = null;
  for (const level of levels) {
    const key = String(level);
    let st = arm(state.levels, key);
    if (riskRatio >= level) {
      current = level;
      if (st.armed) {
        if (cooled(st, now, settings.cooldownMs)) {
          fire = level;
          crossed.push(key);
        }
        st = { ...st, armed: false };
      }
    } else if (!st.armed && riskRatio < level - settings.hysteresis) {
      st = { ...st, armed: true };
    }
    next[key] = st;
  }
  const notices: Notice[] = [];
  if (fire !== null) {
    // One notice for the highest level crossed; every level crossed with it counts as notified.
    for (const key of crossed) next[key] = { armed: false, lastNotifiedAt: now };
    const n: Notice = { kind: 'level', level: fire, top: fire === top, riskRatio, at: now, source: origin.source };
    if (origin.source === 'exchange') n.engineRatio = origin.engineRatio ?? null;
    if (origin.disagreement) n.disagreement = true;
    notices.push(n);
  }
  return { state: { ...state, levels: next, currentLevel: current }, notices };
}

/**
 * Per-position distance-to-liquidation alerts (one notice per position crossing, cooldown applies).
 * A position missing from this step keeps its state while its last notice is inside the cooldown
 * (a flickering table or a briefly unreadable row does not re-notify when it returns); at most
 * {@link MAX_REMEMBERED_POSITIONS} such states are kept, most recent notices first.
 */
export function stepPositions(state: AlertState, positions: PositionInput[], settings: AlertSettings, now: number): StepResult {
  const next: Record<string, ArmState> = {};
  const notices: Notice[] = [];
  if (settings.positionDistance <= 0) return { state: { ...state, positions: {} }, notices };
  for (const p of positions) {
    let st = arm(state.positions, p.key);
    const d = p.distanceToLiquidation;
    if (d !== null && Number.isFinite(d)) {
      if (d < settings.positionDistance) {
        if (st.armed) {
          if (cooled(st, now, settings.cooldownMs)) {
            notices.push({ kind: 'position', position: p, threshold: settings.positionDistance, at: now });
            st = { armed: false, lastNotifiedAt: now };
          } else st = { ...st, armed: false };
        }
      } else if (!st.armed && d > settings.positionDistance + settings.positionRearm) {
        st = { ...st, armed: true };
      }
    }
    next[p.key] = st;
  }
  // Positions not in this read: remembered while their cooldown runs (a backwards clock counts as inside it).
  const gone = Object.entries(state.positions)
    .filter(([key, st]) => !(key in next) && !cooled(st, now, settings.cooldownMs))
    .sort((a, b) => (b[1].lastNotifiedAt ?? 0) - (a[1].lastNotifiedAt ?? 0))
    .slice(0, MAX_REMEMBERED_POSITIONS);
  for (const [key, st] of gone) next[key] = st;
  return { state: { ...state, positions: next }, notices };
}

/**
 * Staleness dead-man switch. Stale when (a) the page shows positions that could not be read
 * (`positionsUnreadable`), or positions are open and (b) the oldest mark price is older than
 * `priceMaxAgeMs` (or none arrived within that time of subscribing), or (c) the page snapshot is
 * older than `snapshotMaxAgeMs`, or (d) the risk ratio is unknown. `state.stale.active` follows
 * the condition at once (the badge shows it); the notice is debounced: it is given once the
 * condition held for {@link STALE_DEBOUNCE_READS} consecutive steps or {@link STALE_DEBOUNCE_MS}
 * (an age condition counts from the last fresh price or page read, so the dead-man switch
 * notifies on its first check: 60 s without prices is no flicker),
 * at most once per episode, and not within `cooldownMs` of the previous stale notice (an episode
 * still running when that cooldown ends is notified then). The episode ends when all inputs are
 * fresh again.
 */
export function stepStaleness(state: AlertState, input: AlertInput, settings: AlertSettings, now: number): StepResult {
  const reasons: string[] = [];
  // When each condition began: no fresh price / page read since that time; the others when first observed.
  const onsets: number[] = [];
  if (input.positionsUnreadable) {
    reasons.push(input.positionsUnreadable);
    onsets.push(now);
  }
  if (input.positions.length > 0) {
    const priceRef = input.oldestPriceAt ?? input.pricesExpectedSince;
    if (priceRef !== null && now - priceRef > settings.priceMaxAgeMs) {
      reasons.push(
        input.oldestPriceAt === null
          ? `no mark price received for ${Math.round((now - priceRef) / 1000)} s`
          : `mark prices stopped ${Math.round((now - priceRef) / 1000)} s ago`,
      );
      onsets.push(priceRef);
    }
    if (now - input.snapshotAt > settings.snapshotMaxAgeMs) {
      reasons.push(`the exchange page was last read ${Math.round((now - input.snapshotAt) / 60_000)} min ago (open the tab)`);
      onsets.push(input.snapshotAt);
    }
  }
  if ((input.positions.length > 0 || input.positionsUnreadable) && input.riskRatio === null) {
    reasons.push(`margin ratio unknown${input.unknownReason ? `: ${input.unknownReason}` : ''}`);
    onsets.push(now);
  }
  const prev = state.stale;
  const lastNotifiedAt = prev.lastNotifiedAt ?? (prev.notified ? prev.since : null);
  if (reasons.length === 0) {
    if (!prev.active) return { state, notices: [] };
    return { state: { ...state, stale: { active: false, reason: null, since: null, notified: false, reads: 0, lastNotifiedAt } }, notices: [] };
  }
  const reason = reasons.join('; ');
  const since = prev.active && prev.since !== null ? prev.since : Math.min(...onsets);
  const reads = prev.active ? (prev.reads ?? STALE_DEBOUNCE_READS) + 1 : 1;
  const settled = reads >= STALE_DEBOUNCE_READS || (now >= since && now - since >= STALE_DEBOUNCE_MS);
  if (prev.active && prev.notified) {
    return { state: { ...state, stale: { ...prev, reason, reads, lastNotifiedAt } }, notices: [] };
  }
  if (!settled) {
    return { state: { ...state, stale: { active: true, reason, since, notified: false, reads, lastNotifiedAt } }, notices: [] };
  }
  if (!cooledDown(lastNotifiedAt, now, settings.cooldownMs)) {
    // Inside the stale notice's own cooldown: silent for now (the badge shows it); an episode still
    // running when the cooldown ends is notified then, so a long outage is never hidden by a short one.
    return { state: { ...state, stale: { active: true, reason, since, notified: false, reads, lastNotifiedAt } }, notices: [] };
  }
  return {
    state: { ...state, stale: { active: true, reason, since, notified: true, reads, lastNotifiedAt: now } },
    notices: [{ kind: 'stale', reason, at: now }],
  };
}

/**
 * One full evaluation: levels (on `input.riskRatio`, labelled with `input.ratioSource`), positions,
 * staleness. The state records the ratio alerted on, its source and the disagreement flag.
 */
export function step(state: AlertState, input: AlertInput, settings: AlertSettings, now: number): StepResult {
  const source = input.ratioSource ?? 'engine';
  const a = stepLevels(state, input.riskRatio, settings, now, { source, engineRatio: input.engineRatio, disagreement: input.disagreement });
  const b = stepPositions(a.state, input.positions, settings, now);
  const c = stepStaleness(b.state, input, settings, now);
  const ratio = input.riskRatio !== null && Number.isFinite(input.riskRatio) ? input.riskRatio : null;
  return {
    state: { ...c.state, ratio, ratioSource: source, disagreement: input.disagreement === true },
    notices: [...a.notices, ...b.notices, ...c.notices],
  };
}
