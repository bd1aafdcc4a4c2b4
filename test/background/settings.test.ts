import { describe, expect, it } from 'vitest';
import { migrateV1toV2, migrateV2toV3 } from '@/lib/settings/migrations';
import { alertSettingsFor, DEFAULT_SETTINGS, SettingsMigrationError, validateSettings } from '@/lib/settings/schema';

describe('settings schema and migrations', () => {
  it('v1 → v2 turns percents into fractions, minutes into ms, and keeps the notifications flag', () => {
    const v2 = migrateV1toV2({ levelsPercent: [90, 60, 60], cooldownMinutes: 2.5, notifications: false });
    expect(v2.alerts.levels).toEqual([0.6, 0.9]);
    expect(v2.alerts.cooldownMs).toBe(150_000);
    expect(v2.notifications).toBe(false);
    expect(v2.alerts.hysteresis).toBe(DEFAULT_SETTINGS.alerts.hysteresis);
    // v2 is not current: it needs the v2 → v3 hop, which keeps every v2 field
    const v3 = migrateV2toV3(v2);
    expect(validateSettings(v3)).toEqual({ ok: true, settings: v3 });
    expect({ ...v3, sound: undefined, enabledExchanges: undefined, stopAlerts: undefined, liquidationOddsAlert: undefined }).toEqual({ ...v2, sound: undefined, enabledExchanges: undefined, stopAlerts: undefined, liquidationOddsAlert: undefined });
    expect([v3.stopAlerts, v3.liquidationOddsAlert]).toEqual([false, null]); // fields added since v3 take their defaults
  });

  it('v2 → v3 adds sound off and every exchange enabled, and refuses a malformed v2', () => {
    const { sound: _s, enabledExchanges: _e, ...v2 } = { ...DEFAULT_SETTINGS, notifications: false, display: 'margin-level' as const };
    const v3 = migrateV2toV3(v2);
    expect(v3.sound).toBe(false);
    expect(v3.enabledExchanges).toEqual(['binance-usdm', 'binance-coinm', 'bybit', 'okx', 'hyperliquid']);
    expect(v3.notifications).toBe(false);
    expect(v3.display).toBe('margin-level');
    expect(() => migrateV2toV3({ ...v2, alerts: { levels: 'x' } })).toThrow(/settings v2 → v3: alerts/);
  });

  it('v1 → v2 refuses malformed values, naming the field, instead of resetting', () => {
    expect(() => migrateV1toV2({ levelsPercent: 'x', cooldownMinutes: 1 })).toThrow(SettingsMigrationError);
    expect(() => migrateV1toV2({ levelsPercent: 'x', cooldownMinutes: 1 })).toThrow(/levelsPercent/);
    expect(() => migrateV1toV2({ levelsPercent: [0], cooldownMinutes: 1 })).toThrow(/levelsPercent: 0/);
    expect(() => migrateV1toV2(null)).toThrow(SettingsMigrationError);
  });

  it('validates v2 and names bad fields', () => {
    const bad = { ...DEFAULT_SETTINGS, alerts: { ...DEFAULT_SETTINGS.alerts, levels: [1.5] }, hyperliquidAddresses: ['0x12'] };
    const r = validateSettings(bad);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error).toContain('alerts.levels.0');
      expect(r.error).toContain('hyperliquidAddresses.0');
    }
  });

  it('per-account overrides sit on top of the global alert settings', () => {
    const s = { ...DEFAULT_SETTINGS, perAccount: { okx: { levels: [0.6] } } };
    expect(alertSettingsFor(s, 'okx').levels).toEqual([0.6]);
    expect(alertSettingsFor(s, 'okx').cooldownMs).toBe(DEFAULT_SETTINGS.alerts.cooldownMs);
    expect(alertSettingsFor(s, 'bybit').levels).toEqual([0.5, 0.7, 0.8, 0.9]);
  });
});
