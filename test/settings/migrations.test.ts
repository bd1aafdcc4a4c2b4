/**
 * Settings migrations, one file per hop (lib/settings/migrations/), build only from their own
 * frozen constants: changing today's defaults or exchange list must not change what an old hop
 * produces (read-frog's pitfall, design review §3f).
 */
import { afterEach, describe, expect, expectTypeOf, it } from 'vitest';
import { EXCHANGES } from '@/lib/engine/exchanges';
import { migrateV1toV2, migrateV2toV3, SETTINGS_MIGRATIONS, V2_DEFAULTS, V3_EXCHANGES } from '@/lib/settings/migrations';
import { DEFAULT_SETTINGS, SettingsV2Schema, validateSettings, type SettingsV2, type UserSettings } from '@/lib/settings/schema';
import * as v from 'valibot';

const v1 = { levelsPercent: [90, 60, 60], cooldownMinutes: 2.5, notifications: false };
/** v2 as the v1 → v2 hop must produce it, worked out by hand from the v2 defaults as shipped. */
const V1_AS_V2: SettingsV2 = {
  alerts: { levels: [0.6, 0.9], hysteresis: 0.03, cooldownMs: 150_000, positionDistance: 0.05, positionRearm: 0.02, priceMaxAgeMs: 60_000, snapshotMaxAgeMs: 900_000 },
  perAccount: {},
  display: 'exchange',
  notifications: false,
  hyperliquidAddresses: [],
};

const saved = structuredClone(DEFAULT_SETTINGS);
const savedExchanges = [...EXCHANGES];
afterEach(() => {
  // Put back what a test changed in today's defaults and exchange list.
  Object.assign(DEFAULT_SETTINGS, structuredClone(saved));
  (EXCHANGES as unknown as string[]).splice(0, Infinity, ...savedExchanges);
});

describe('frozen constants', () => {
  it('V2_DEFAULTS are the v2 defaults as shipped, valid v2, deeply frozen', () => {
    expect(v.safeParse(SettingsV2Schema, V2_DEFAULTS).success).toBe(true);
    expect(V2_DEFAULTS.alerts.levels).toEqual([0.5, 0.7, 0.8, 0.9]);
    expect(Object.isFrozen(V2_DEFAULTS) && Object.isFrozen(V2_DEFAULTS.alerts) && Object.isFrozen(V2_DEFAULTS.alerts.levels)).toBe(true);
    expect(Object.isFrozen(V3_EXCHANGES)).toBe(true);
    expect(V3_EXCHANGES).toEqual(['binance-usdm', 'binance-coinm', 'bybit', 'okx', 'hyperliquid']);
  });

  it('a migrated value shares nothing with the frozen defaults (it can be edited)', () => {
    const out = migrateV1toV2(v1);
    out.perAccount.okx = { levels: [0.4] };
    out.hyperliquidAddresses.push('0x00000000000000000000000000000000000000aa');
    expect(V2_DEFAULTS.perAccount).toEqual({});
    expect(V2_DEFAULTS.hyperliquidAddresses).toEqual([]);
    const v3 = migrateV2toV3(migrateV1toV2(v1));
    v3.enabledExchanges.pop();
    expect(V3_EXCHANGES).toHaveLength(5);
  });
});

describe('old hops do not move when today’s defaults move', () => {
  it('v1 → v2 gives the same result after DEFAULT_SETTINGS changes', () => {
    expect(migrateV1toV2(v1)).toEqual(V1_AS_V2);
    DEFAULT_SETTINGS.alerts = { ...DEFAULT_SETTINGS.alerts, hysteresis: 0.1, priceMaxAgeMs: 5_000, levels: [0.3] };
    DEFAULT_SETTINGS.display = 'risk-ratio';
    expect(migrateV1toV2(v1)).toEqual(V1_AS_V2);
    // An empty v1 level list takes the v2 default levels, not today's.
    expect(migrateV1toV2({ ...v1, levelsPercent: [] }).alerts.levels).toEqual([0.5, 0.7, 0.8, 0.9]);
  });

  it('v2 → v3 enables the exchanges of v3, not an exchange added since', () => {
    (EXCHANGES as unknown as string[]).push('kraken');
    const v3 = migrateV2toV3(V1_AS_V2);
    expect(v3.enabledExchanges).toEqual(['binance-usdm', 'binance-coinm', 'bybit', 'okx', 'hyperliquid']);
    expect(v3.sound).toBe(false);
  });

  it('v1 → v2 → v3 of the frozen v1 example is a valid current value', () => {
    const out = SETTINGS_MIGRATIONS[3](SETTINGS_MIGRATIONS[2](v1));
    expect(validateSettings(out)).toEqual({ ok: true, settings: out });
  });
});

describe('typed without any', () => {
  it('each hop takes unknown (storage is untrusted) and returns its version’s type', () => {
    expectTypeOf(SETTINGS_MIGRATIONS[2]).parameter(0).toEqualTypeOf<unknown>();
    expectTypeOf(SETTINGS_MIGRATIONS[2]).returns.toEqualTypeOf<SettingsV2>();
    expectTypeOf(SETTINGS_MIGRATIONS[3]).returns.toEqualTypeOf<UserSettings>();
    expect(Object.keys(SETTINGS_MIGRATIONS)).toEqual(['2', '3']);
  });
});
