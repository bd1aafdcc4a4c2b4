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

/**
 * A `playSound` port for the monitor, or undefined where offscreen documents do not exist.
 * @param chromeApi the `chrome` global (injectable for tests)
 */
export function offscreenSoundPort(
  chromeApi: { offscreen?: OffscreenApi; runtime: { getURL: (p: string) => string; sendMessage: (m: unknown) => Promise<unknown> } } | undefined,
): (() => Promise<void>) | undefined {
  const offscreen = chromeApi?.offscreen;
  if (!chromeApi || !offscreen) return undefined;
  let creating: Promise<void> | null = null;
  return async () => {
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
