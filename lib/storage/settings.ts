/**
 * User settings, versioned (see lib/settings/schema.ts for the history, lib/settings/migrations/
 * for the hops). WXT runs the migrations when the item is first used; lib/settings/load.ts
 * surfaces a failed migration (WXT only logs it) in `problemsItem`, and the background then
 * runs on defaults without overwriting the stored value. Its own file: it bundles valibot and the
 * migrations, which pages that only read settings leave out (`settingsReadItem`, ./items.ts).
 */
import { storage } from 'wxt/utils/storage';
import { SETTINGS_MIGRATIONS } from '../settings/migrations';
import { DEFAULT_SETTINGS, SETTINGS_VERSION, type UserSettings } from '../settings/schema';

export const settingsItem = storage.defineItem<UserSettings>('local:settings', {
  fallback: DEFAULT_SETTINGS,
  version: SETTINGS_VERSION,
  migrations: SETTINGS_MIGRATIONS,
});
