/**
 * Settings v1 → v2. v1 stored one global list of alert levels in percent of the margin ratio and
 * a cooldown in minutes; v2 stores levels as risk-ratio fractions with hysteresis, a per-position
 * distance alert, staleness limits, per-account overrides, a display convention and Hyperliquid
 * addresses to watch.
 *
 * Everything v1 did not have takes its value from {@link V2_DEFAULTS}: the defaults as v2 shipped
 * them, frozen here. Never read the current `DEFAULT_SETTINGS` in a migration: a later change of
 * a default must not change what an old hop produces.
 */
import * as v from 'valibot';
import { issuesText, SettingsMigrationError, SettingsV1Schema, type SettingsV1, type SettingsV2 } from '../schema';

/** The v2 defaults as shipped (levels 50/70/80/90 %, 3-point hysteresis, 15 min cooldown, 5 % distance, 60 s prices, 15 min page). Frozen. */
export const V2_DEFAULTS: Readonly<SettingsV2> = deepFreeze({
  alerts: {
    levels: [0.5, 0.7, 0.8, 0.9],
    hysteresis: 0.03,
    cooldownMs: 900_000,
    positionDistance: 0.05,
    positionRearm: 0.02,
    priceMaxAgeMs: 60_000,
    snapshotMaxAgeMs: 900_000,
  },
  perAccount: {},
  display: 'exchange',
  notifications: true,
  hyperliquidAddresses: [],
});

/**
 * v1 → v2: percents become fractions (80 → 0.8; de-duplicated, ascending), minutes become ms
 * (rounded to whole ms); the notifications flag is kept; everything new takes {@link V2_DEFAULTS}.
 * The result is a fresh object (nothing shared with the frozen defaults).
 * @param stored the value as stored under the v1 marker (untrusted: validated here as {@link SettingsV1})
 * @throws {SettingsMigrationError} when the v1 value is malformed or a level is outside (0, 100] %.
 */
export function migrateV1toV2(stored: unknown): SettingsV2 {
  const r = v.safeParse(SettingsV1Schema, stored);
  if (!r.success) throw new SettingsMigrationError(`settings v1 → v2: ${issuesText(r.issues)}`);
  const v1: SettingsV1 = r.output;
  const bad = v1.levelsPercent.find((p) => !(p > 0 && p <= 100));
  if (bad !== undefined) throw new SettingsMigrationError(`settings v1 → v2: levelsPercent: ${bad} is not in (0, 100] %`);
  const levels = [...new Set(v1.levelsPercent.map((p) => p / 100))].sort((a, b) => a - b);
  const d = structuredClone(V2_DEFAULTS) as SettingsV2;
  return {
    ...d,
    alerts: { ...d.alerts, levels: levels.length ? levels : d.alerts.levels, cooldownMs: Math.round(v1.cooldownMinutes * 60_000) },
    notifications: v1.notifications,
  };
}

function deepFreeze<T>(x: T): T {
  if (typeof x === 'object' && x !== null) {
    for (const val of Object.values(x)) deepFreeze(val);
    Object.freeze(x);
  }
  return x;
}
