/**
 * Settings migrations by target version, in the form WXT's `storage.defineItem({ migrations })`
 * expects (WXT runs `[n]` to go from version n − 1 to n). One file per hop; each validates the
 * value it receives (storage is untrusted) and builds only from its own frozen constants.
 */
import type { SettingsV2, UserSettings } from '../schema';
import { migrateV1toV2 } from './v1-to-v2';
import { migrateV2toV3 } from './v2-to-v3';

export { migrateV1toV2, V2_DEFAULTS } from './v1-to-v2';
export { migrateV2toV3, V3_EXCHANGES } from './v2-to-v3';

/** Hop to version 2 (from v1) and to version 3 (from v2). */
export const SETTINGS_MIGRATIONS: { readonly 2: (v1: unknown) => SettingsV2; readonly 3: (v2: unknown) => UserSettings } = {
  2: migrateV1toV2,
  3: migrateV2toV3,
};
