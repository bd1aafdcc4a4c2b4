/**
 * Reading the stored settings at start (and after each save from the options page): migrate,
 * check, salvage, report. Moved from `Monitor.loadSettings` (lib/background/monitor.ts) with the
 * same behaviour.
 */
import { problemsItem } from '../storage/items';
import { settingsItem } from '../storage/settings';
import { DEFAULT_SETTINGS, salvageSettings, validateSettings, type UserSettings } from './schema';

/** What {@link loadSettings} settled on. */
export interface LoadedSettings {
  /** The settings to run on (never invalid): the stored ones, a salvage of them, or {@link DEFAULT_SETTINGS}. */
  settings: UserSettings;
  /** Why the stored value is not used as it stands (as written to `problemsItem.settings`), or null. */
  problem: string | null;
}

/**
 * Read the settings to run on, and record any problem in `problemsItem.settings` (other fields of
 * `problemsItem`, such as `storage`, are kept). The stored value and its version marker are never
 * overwritten here, except by a successful WXT migration.
 *
 * - `migrate` (default true): run WXT's migrations first. Pass false when reacting to a save: the
 *   options page writes the value and its version marker as two storage writes, and a watcher
 *   firing between them must not re-migrate.
 * - A damaged version marker (`settings$.v` present but not an integer ≥ 1) is refused before
 *   migrating: WXT would read it as "nothing to migrate" and rewrite it to the current version,
 *   stranding an older value. Reported as `settings migration failed: …`; runs on defaults.
 * - A failed migration (WXT logs and swallows it, this re-runs `migrate()` to see it) is reported
 *   as `settings migration failed: <message> (<cause>)`; runs on {@link DEFAULT_SETTINGS}.
 * - A stored value invalid at the current version is salvaged field by field (`salvageSettings`):
 *   the user's readable fields (above all the alert levels) are kept, the bad ones default and
 *   are named in the problem.
 *
 * @param opts.migrate run migrations first (default true)
 * @returns the settings to run on and the problem text (null when the stored value is used as is)
 * @throws only when storage itself fails (reading the value, or writing `problemsItem`)
 */
export async function loadSettings(opts: { migrate?: boolean } = {}): Promise<LoadedSettings> {
  let problem: string | null = null;
  try {
    if (opts.migrate !== false) {
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
  let settings: UserSettings;
  if (checked.ok && !problem) settings = checked.settings;
  else if (!problem && !checked.ok) {
    // Keep every readable field (above all the user's alert levels); default only the bad ones.
    const salvaged = salvageSettings(raw);
    settings = salvaged.settings;
    problem = `stored settings are invalid (${checked.error}); ${salvaged.dropped.join(', ')} run on defaults, everything else as saved; stored value kept`;
  } else {
    settings = DEFAULT_SETTINGS;
    problem ??= 'stored settings are invalid; running on defaults, stored value kept';
  }
  await problemsItem.setValue({ ...(await currentProblems()), settings: problem });
  return { settings, problem };
}

async function currentProblems() {
  try {
    const p = await problemsItem.getValue();
    return typeof p === 'object' && p !== null ? p : { settings: null };
  } catch {
    return { settings: null };
  }
}
