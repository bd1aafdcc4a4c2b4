/** The options page's ports backed by the browser: settings storage, notification permission, the background. */
import { browser } from 'wxt/browser';
import { problemsItem, settingsItem } from '../../lib/storage';
import { DEFAULT_SETTINGS } from '../../lib/settings/schema';
import { SOUND_PERMISSIONS } from '../../lib/protocol/sound';
import type { EditableSettings } from './draft';
import type { OptionsPorts } from './OptionsApp';

export function browserOptionsPorts(): OptionsPorts {
  return {
    async load() {
      const problems = await problemsItem.getValue();
      try {
        const settings = (await settingsItem.getValue()) as EditableSettings;
        return {
          settings,
          problem: problems.settings
            ? `Your stored settings could not be read (${problems.settings}). The monitor runs on defaults and keeps the stored value until you save here.`
            : null,
        };
      } catch (e) {
        return { settings: DEFAULT_SETTINGS, problem: `Your stored settings could not be read (${e instanceof Error ? e.message : String(e)}). Showing defaults; saving replaces the stored value.` };
      }
    },
    async save(settings) {
      await settingsItem.setValue(settings);
    },
    async permissionLevel() {
      const n = browser.notifications as unknown as { getPermissionLevel?: () => Promise<string> };
      if (typeof n.getPermissionLevel !== 'function') return null;
      const level = await n.getPermissionLevel();
      return level === 'denied' ? 'denied' : 'granted';
    },
    async requestSound() {
      // Chrome: sound plays from an offscreen document, an optional permission (lib/background/sound.ts).
      const optional = (browser.runtime.getManifest() as { optional_permissions?: string[] }).optional_permissions ?? [];
      if (!optional.includes(SOUND_PERMISSIONS.permissions[0])) return 'not-needed';
      return (await browser.permissions.request({ permissions: [...SOUND_PERMISSIONS.permissions] } as never)) ? 'granted' : 'denied';
    },
    async sendTest() {
      const r = (await browser.runtime.sendMessage({ type: 'test-notification' })) as { ok?: boolean; error?: string } | undefined;
      return { ok: r?.ok === true, ...(r?.error !== undefined && { error: r.error }) };
    },
  };
}
