/**
 * User settings: shape, validation (valibot) and migrations between stored versions.
 * Pure (no browser APIs). Migrations, one file per hop, are in lib/settings/migrations/;
 * lib/storage/items.ts wires them into a WXT `storage.defineItem` with `version` and `migrations`;
 * lib/settings/load.ts reads, checks and salvages the stored value at start.
 *
 * Version history:
 * - v1: `{ levelsPercent: number[]; cooldownMinutes: number; notifications: boolean }`: one
 *   global list of alert levels in percent of the margin ratio.
 * - v2: levels as risk-ratio fractions with hysteresis, per-position distance alert, staleness
 *   limits, per-account overrides, display convention, Hyperliquid addresses to watch without a tab.
 * - v3 (current): {@link UserSettings}: v2 plus `sound` (off) and `enabledExchanges` (all).
 */
import * as v from 'valibot';
import { EXCHANGES } from '../engine/exchanges';
import { DEFAULT_SETTINGS as DEFAULTS } from './defaults';

export { alertSettingsFor, SETTINGS_VERSION } from './defaults';

const Fraction = v.pipe(v.number(), v.finite(), v.minValue(0), v.maxValue(1));
const Level = v.pipe(v.number(), v.finite(), v.gtValue(0, 'must be > 0'), v.maxValue(1, 'must be ≤ 1 (1 = liquidation)'));
const Ms = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(7 * 24 * 3_600_000));

export const AlertSettingsSchema = v.object({
  levels: v.pipe(v.array(Level), v.minLength(1, 'needs at least one level'), v.maxLength(8)),
  hysteresis: v.pipe(v.number(), v.finite(), v.minValue(0), v.maxValue(0.5)),
  cooldownMs: Ms,
  positionDistance: Fraction,
  positionRearm: Fraction,
  priceMaxAgeMs: v.pipe(Ms, v.minValue(5000)),
  snapshotMaxAgeMs: v.pipe(Ms, v.minValue(30_000)),
});

const HlAddress = v.pipe(v.string(), v.regex(/^0x[0-9a-fA-F]{40}$/, 'must be a 0x… address of 40 hex digits'));

const SettingsV2Entries = {
  /** Alert settings for every account without an override. */
  alerts: AlertSettingsSchema,
  /** Per-account overrides, keyed by account key (`bybit`, `hyperliquid:0x…`). */
  perAccount: v.record(v.string(), v.partial(AlertSettingsSchema)),
  /** How ratios and levels are shown: the exchange's own convention, the normalized risk ratio, or margin level. */
  display: v.picklist(['exchange', 'risk-ratio', 'margin-level']),
  /** Desktop notifications on/off (the badge always updates). */
  notifications: v.boolean(),
  /** Hyperliquid wallet addresses monitored through the public info endpoint, no tab needed. */
  hyperliquidAddresses: v.pipe(v.array(HlAddress), v.maxLength(5)),
};

/** v2 as it was stored. */
export const SettingsV2Schema = v.object(SettingsV2Entries);
/** Settings as version 2 stored them. */
export type SettingsV2 = v.InferOutput<typeof SettingsV2Schema>;

export const UserSettingsSchema = v.object({
  ...SettingsV2Entries,
  /** Play a sound with top-level (critical) alerts: through an offscreen document (Chrome), from the background page (Firefox). */
  sound: v.boolean(),
  /** Exchanges whose pages are monitored; snapshots from the others are ignored. */
  enabledExchanges: v.pipe(v.array(v.picklist(EXCHANGES)), v.maxLength(EXCHANGES.length)),
  /**
   * Spot margin (Binance Cross/Isolated Margin) alert levels as margin levels, higher is safer
   * (defaults 2.0 / 1.5 / 1.3) and the liquidation line used when the account states none (1.1).
   * Optional WITHOUT a valibot default: settings stored before it existed validate unchanged (the
   * frozen settings examples and migrations stay exact); readers use `marginAlertsOf(settings)`,
   * which falls back to DEFAULT_SETTINGS.marginAlerts. No version bump.
   */
  marginAlerts: v.optional(
    v.pipe(
      v.object({
        levels: v.pipe(v.array(v.pipe(v.number(), v.finite(), v.gtValue(1, 'must be > 1'), v.maxValue(100))), v.minLength(1, 'needs at least one level'), v.maxLength(8)),
        liquidation: v.pipe(v.number(), v.finite(), v.minValue(1, 'must be ≥ 1'), v.maxValue(2)),
      }),
      v.check((m) => m.levels.every((l) => l > m.liquidation), 'every level must be above the liquidation line'),
    ),
  ),
  /** Notify when a position has no stop-loss, or its stop lies at or beyond the liquidation price (off by default; lib/alerts/stops.ts). */
  stopAlerts: v.optional(v.boolean(), false),
  /** Notify when the probability of touching a liquidation price within 24 h exceeds this fraction (0.05 = 5 %); null = off (default). */
  liquidationOddsAlert: v.optional(v.nullable(v.pipe(v.number(), v.finite(), v.gtValue(0, 'must be > 0'), v.maxValue(1, 'must be ≤ 1'))), null),
});

export type UserSettings = v.InferOutput<typeof UserSettingsSchema>;

/** Defaults (./defaults.ts), checked here against the schema's type. */
export const DEFAULT_SETTINGS: UserSettings = DEFAULTS;

/** v1 as it was stored. */
export const SettingsV1Schema = v.object({
  levelsPercent: v.array(v.pipe(v.number(), v.finite())),
  cooldownMinutes: v.pipe(v.number(), v.finite(), v.minValue(0)),
  notifications: v.optional(v.boolean(), true),
});
/** Settings as version 1 stored them (`notifications` absent = on). */
export type SettingsV1 = v.InferOutput<typeof SettingsV1Schema>;

/** Thrown by a migration for a stored value it cannot convert; the message names the field. */
export class SettingsMigrationError extends Error {
  override name = 'SettingsMigrationError';
}

/** valibot issues as `path: message; …` (path dotted, `(settings)` for the whole value). */
export function issuesText(issues: readonly v.BaseIssue<unknown>[]): string {
  return issues
    .map((i) => `${(i.path ?? []).map((p) => String((p as { key: unknown }).key)).join('.') || '(settings)'}: ${i.message}`)
    .join('; ');
}

/**
 * Validate a value against the current settings shape (v{@link SETTINGS_VERSION}, {@link UserSettingsSchema}).
 * @returns `{ ok: true, settings }` (valibot's output, a fresh object) or `{ ok: false, error }` naming each bad field (`alerts.levels.0: must be ≤ 1 …`).
 */
export function validateSettings(value: unknown): { ok: true; settings: UserSettings } | { ok: false; error: string } {
  const r = v.safeParse(UserSettingsSchema, value);
  return r.success ? { ok: true, settings: r.output } : { ok: false, error: issuesText(r.issues) };
}


/**
 * Recover what is readable from an invalid stored value: each top-level field (and each alert
 * setting) that validates on its own is kept; the others take their defaults and are named in
 * `dropped`. Used so that one corrupt field never costs the user their alert levels.
 */
export function salvageSettings(value: unknown): { settings: UserSettings; dropped: string[] } {
  const src = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const out: Record<string, unknown> = { ...DEFAULT_SETTINGS };
  const dropped: string[] = [];
  for (const [key, schema] of Object.entries(UserSettingsSchema.entries)) {
    if (key === 'alerts') continue;
    const r = v.safeParse(schema, src[key]);
    if (r.success) out[key] = r.output;
    else dropped.push(key);
  }
  const alerts: Record<string, unknown> = { ...DEFAULT_SETTINGS.alerts };
  const srcAlerts = (typeof src.alerts === 'object' && src.alerts !== null ? src.alerts : {}) as Record<string, unknown>;
  for (const [key, schema] of Object.entries(AlertSettingsSchema.entries)) {
    const r = v.safeParse(schema, srcAlerts[key]);
    if (r.success) alerts[key] = r.output;
    else dropped.push(`alerts.${key}`);
  }
  out.alerts = alerts;
  return { settings: out as UserSettings, dropped };
}
