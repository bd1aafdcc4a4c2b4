/**
 * Critical-alert sound through Chrome's offscreen document (reason AUDIO_PLAYBACK).
 * Firefox has no offscreen API: there the notification alone carries the alert.
 * https://developer.chrome.com/docs/extensions/reference/api/offscreen
 */
import { ALERT_SOUND_MESSAGE } from '../protocol/sound';

interface OffscreenApi {
  hasDocument?: () => Promise<boolean>;
  createDocument: (p: { url: string; reasons: string[]; justification: string }) => Promise<void>;
}

/** The parts of the `chrome` global the sound port uses. */
export interface SoundChromeApi {
  /** Present on Chrome once the optional `offscreen` permission is granted. */
  offscreen?: OffscreenApi;
  runtime: {
    getURL: (p: string) => string;
    sendMessage: (m: unknown) => Promise<unknown>;
    getManifest?: () => { optional_permissions?: string[] };
  };
}


/**
 * A `playSound` port for the monitor, or undefined where offscreen documents cannot exist
 * (Firefox: no `offscreen` API and none to request).
 *
 * `offscreen` is an optional permission (README "Privacy"): Chrome exposes `chrome.offscreen` only
 * once the user has granted it, so the API is looked up on every call. Without it the port
 * rejects with an Error naming the missing permission (the monitor logs it; the notification
 * still carries the alert).
 * @param chromeApi the `chrome` global (injectable for tests)
 */
export function offscreenSoundPort(chromeApi: SoundChromeApi | undefined): (() => Promise<void>) | undefined {
  if (!chromeApi) return undefined;
  let optional: string[] = [];
  try {
    optional = chromeApi.runtime.getManifest?.().optional_permissions ?? [];
  } catch {
    // no manifest to read (test doubles): as if nothing were optional
  }
  if (!chromeApi.offscreen && !optional.includes('offscreen')) return undefined;
  let creating: Promise<void> | null = null;
  return async () => {
    const offscreen = chromeApi.offscreen;
    if (!offscreen) throw new Error('alert sound needs the optional "offscreen" permission: turn sound on in the options to grant it');
    const exists = (await offscreen.hasDocument?.()) ?? false;
    if (!exists) {
      creating ??= offscreen
        .createDocument({ url: chromeApi.runtime.getURL('/offscreen.html'), reasons: ['AUDIO_PLAYBACK'], justification: 'Sound for critical margin alerts' })
        .finally(() => (creating = null));
      await creating;
    }
    await chromeApi.runtime.sendMessage(ALERT_SOUND_MESSAGE);
  };
}
