/**
 * Offscreen document (Chrome MV3): the service worker cannot play audio, so critical alerts
 * ask this page to play the two-tone alarm (lib/background/alarm-tone.ts). No audio file, no network.
 * Accepts only `{ type: 'play-alert-sound', target: 'offscreen' }` from our own extension.
 */
import { ALERT_SOUND_MESSAGE, isAlertSoundMessage } from '@/lib/protocol/sound';
import { playAlarmTone } from '@/lib/background/alarm-tone';

browser.runtime.onMessage.addListener((msg: unknown, sender: { id?: string }, sendResponse: (r: unknown) => void) => {
  if (sender.id !== browser.runtime.id || !isAlertSoundMessage(msg)) return undefined;
  playAlarmTone().then(
    () => sendResponse({ ok: true, played: ALERT_SOUND_MESSAGE.type }),
    (e) => sendResponse({ ok: false, error: String(e) }),
  );
  return true;
});
