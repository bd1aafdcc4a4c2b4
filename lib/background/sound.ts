/**
 * Critical-alert sound. Chrome: through an offscreen document (reason AUDIO_PLAYBACK), since the
 * MV3 service worker has no audio. Firefox: it has no offscreen API, but its MV3 background is an
 * event page, a document with Web Audio, which plays the tone itself (Firefox lets extension
 * background pages autoplay: pref media.autoplay.allow-extension-background-pages, default on).
 * https://developer.chrome.com/docs/extensions/reference/api/offscreen
 */
import { ALERT_SOUND_MESSAGE } from '../protocol/sound';
import { playAlarmTone, type ToneContext } from './alarm-tone';

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

/**
 * The `playSound` port for this browser: the offscreen document where Chrome offers one (or can,
 * once the optional permission is granted), else the tone played right here when this context is
 * a document with Web Audio (Firefox's background event page), else undefined (no sound; the
 * notification alone carries the alert).
 * @param chromeApi the `chrome` global (injectable for tests)
 * @param audio the `AudioContext` constructor of this context, if any (injectable for tests)
 */
export function soundPort(
  chromeApi: SoundChromeApi | undefined,
  audio: (new () => ToneContext) | undefined = (globalThis as { AudioContext?: new () => ToneContext }).AudioContext,
): (() => Promise<void>) | undefined {
  const offscreen = offscreenSoundPort(chromeApi);
  if (offscreen) return offscreen;
  if (typeof audio !== 'function') return undefined;
  return () => playAlarmTone(() => new audio());
}
