/**
 * Settings as the worker runs on them: migrated at start, validated, salvaged field by field when
 * damaged (the user's alert levels are kept whenever readable), problems reported in `problems`.
 */
import { DEFAULT_SETTINGS, salvageSettings, validateSettings, type UserSettings } from '../settings/schema';
import { problemsItem, settingsItem } from '../storage';

/** Read (and, unless `migrate: false`, migrate) the stored settings; never throws for bad stored data. */
export async function loadMonitorSettings(opts: { migrate?: boolean } = {}): Promise<UserSettings> {
  let problem: string | null = null;
  let settings: UserSettings = DEFAULT_SETTINGS;
  try {
    // Migrate at start only: a save from the options page writes the value and its version
    // marker as two storage writes, and a watcher firing between them must not re-migrate.
    if (opts.migrate !== false) {
      // A damaged version marker would be "repaired" by the storage library to the current
      // version without migrating, stranding an older value: refuse to migrate over it.
      const meta = (await settingsItem.getMeta()) as { v?: unknown };
      if (meta.v !== undefined && !(Number.isInteger(meta.v) && (meta.v as number) >= 1)) {
        throw new Error(`settings version marker is damaged (${JSON.stringify(meta.v)?.slice(0, 40)}); not migrated`);
      }
      await settingsItem.migrate();
    }
  } catch (e) {
    problem = `settings migration failed: ${e instanceof Error ? `${e.message}${e.cause instanceof Error ? ` (${e.cause.message})` : ''}` : String(e)}`;
  }
  const raw = await settingsItem.getValue();
  const checked = validateSettings(raw);
  if (checked.ok && !problem) settings = checked.settings;
  else if (!problem && !checked.ok) {
    // Keep every readable field (above all the user's alert levels); default only the bad ones.
    const salvaged = salvageSettings(raw);
    settings = salvaged.settings;
    const dropped = salvaged.dropped;
    problem = `stored settings are invalid (${checked.error}); ${dropped.join(', ')} run on defaults, everything else as saved; stored value kept`;
  } else {
    settings = DEFAULT_SETTINGS;
    problem ??= 'stored settings are invalid; running on defaults, stored value kept';
  }
  await problemsItem.setValue({ settings: problem });
  return settings;
}
