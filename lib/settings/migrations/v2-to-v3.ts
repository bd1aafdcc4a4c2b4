/**
 * Settings v2 → v3: adds `sound` (off) and `enabledExchanges`. A v2 user monitored every exchange
 * the extension supported when v3 shipped, {@link V3_EXCHANGES}, frozen here: an exchange added
 * later is not silently switched on for them by an old hop (a later migration decides that).
 */
import * as v from 'valibot';
import type { ExchangeId } from '../../engine/exchanges';
import { issuesText, SettingsMigrationError, SettingsV2Schema, UserSettingsSchema, type SettingsV2, type UserSettings } from '../schema';

/** The exchanges supported when settings v3 shipped (commit be8f436), in the order stored. Frozen. */
export const V3_EXCHANGES: readonly ExchangeId[] = Object.freeze(['binance-usdm', 'binance-coinm', 'bybit', 'okx', 'hyperliquid'] as const);

/**
 * v2 → v3: every v2 field kept exactly as stored; `sound: false`, `enabledExchanges`: {@link V3_EXCHANGES}.
 * @param stored the value as stored under the v2 marker (untrusted: validated here as {@link SettingsV2})
 * @throws {SettingsMigrationError} when the v2 value is malformed (nothing is reset).
 */
export function migrateV2toV3(stored: unknown): UserSettings {
  const r = v.safeParse(SettingsV2Schema, stored);
  if (!r.success) throw new SettingsMigrationError(`settings v2 → v3: ${issuesText(r.issues)}`);
  const v2: SettingsV2 = r.output;
  // Parsed so that fields added later as `v.optional(schema, default)` take their defaults.
  return v.parse(UserSettingsSchema, { ...v2, sound: false, enabledExchanges: [...V3_EXCHANGES] });
}
