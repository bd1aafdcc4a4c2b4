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
 * - Times are ms since the Unix epoch.
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
  active: boolean;
  /** Why (human readable), while active. */
  reason: string | null;
  since: number | null;
  /** True once the one "monitoring stopped" notice for this episode was issued. */
  notified: boolean;
}

/** Persistable per-account alert state. */
export interface AlertState {
  /** Keyed by the level as a string (`"0.8"`). */
  levels: Record<string, ArmState>;
  /** Keyed by position key (`BTCUSDT|long|cross`). */
  positions: Record<string, ArmState>;
  stale: StaleState;
  /** Highest level currently reached (for the badge colour), or null below all levels. */
  currentLevel: number | null;
}

/** A fresh state: everything armed, nothing stale. */
export function initialAlertState(): AlertState {
  return { levels: {}, positions: {}, stale: { active: false, reason: null, since: null, notified: false }, currentLevel: null };
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

/** What one evaluation step sees. */
export interface AlertInput {
  /** Normalized risk ratio (fraction), or null when unknown. */
  riskRatio: number | null;
  /** Why the ratio is unknown, when it is. */
  unknownReason?: string;
  positions: PositionInput[];
  /** Time of the page snapshot, ms. */
  snapshotAt: number;
  /** Time of the oldest current mark price among held symbols (ms), null if no stream price yet. */
  oldestPriceAt: number | null;
  /** Time the stream subscription for these symbols started (ms); no price since then counts from here. */
  pricesExpectedSince: number | null;
  /** The page shows open positions that could not be read (or went silent): why. Makes the account stale. */
  positionsUnreadable?: string;
}

/** Something the user should be told. Text is produced later (lib/alerts/text.ts). */
export type Notice =
  | { kind: 'level'; level: number; top: boolean; riskRatio: number; at: number }
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

function cooled(st: ArmState, now: number, cooldownMs: number): boolean {
  return st.lastNotifiedAt === null || now - st.lastNotifiedAt >= cooldownMs;
}

/**
 * Threshold levels: fire at most one notice (the highest newly crossed level), update arming.
 * Pure; returns a new state object.
 */
export function stepLevels(state: AlertState, riskRatio: number | null, settings: AlertSettings, now: number): StepResult {
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
    notices.push({ kind: 'level', level: fire, top: fire === top, riskRatio, at: now });
  }
  return { state: { ...state, levels: next, currentLevel: current }, notices };
}

/** Per-position distance-to-liquidation alerts (one notice per position crossing, cooldown applies). */
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
  // Positions no longer held are forgotten (a new position with the same key starts armed).
  return { state: { ...state, positions: next }, notices };
}

/**
 * Staleness dead-man switch. Stale when positions are open and (a) the oldest mark price is
 * older than `priceMaxAgeMs` (or none arrived within that time of subscribing), or (b) the page
 * snapshot is older than `snapshotMaxAgeMs`, or (c) the risk ratio is unknown. One notice per
 * stale episode; the episode ends when all inputs are fresh again.
 */
export function stepStaleness(state: AlertState, input: AlertInput, settings: AlertSettings, now: number): StepResult {
  const reasons: string[] = [];
  if (input.positions.length > 0) {
    const priceRef = input.oldestPriceAt ?? input.pricesExpectedSince;
    if (priceRef !== null && now - priceRef > settings.priceMaxAgeMs) {
      reasons.push(
        input.oldestPriceAt === null
          ? `no mark price received for ${Math.round((now - priceRef) / 1000)} s`
          : `mark prices stopped ${Math.round((now - priceRef) / 1000)} s ago`,
      );
    }
    if (now - input.snapshotAt > settings.snapshotMaxAgeMs) {
      reasons.push(`the exchange page was last read ${Math.round((now - input.snapshotAt) / 60_000)} min ago (open the tab)`);
    }
    if (input.riskRatio === null) reasons.push(`margin ratio unknown${input.unknownReason ? `: ${input.unknownReason}` : ''}`);
  }
  if (reasons.length === 0) {
    if (!state.stale.active) return { state, notices: [] };
    return { state: { ...state, stale: { active: false, reason: null, since: null, notified: false } }, notices: [] };
  }
  const reason = reasons.join('; ');
  if (state.stale.active && state.stale.notified) {
    return { state: { ...state, stale: { ...state.stale, reason } }, notices: [] };
  }
  return {
    state: { ...state, stale: { active: true, reason, since: state.stale.since ?? now, notified: true } },
    notices: [{ kind: 'stale', reason, at: now }],
  };
}

/** One full evaluation: levels, positions, staleness. */
export function step(state: AlertState, input: AlertInput, settings: AlertSettings, now: number): StepResult {
  const a = stepLevels(state, input.riskRatio, settings, now);
  const b = stepPositions(a.state, input.positions, settings, now);
  const c = stepStaleness(b.state, input, settings, now);
  return { state: c.state, notices: [...a.notices, ...b.notices, ...c.notices] };
}
