/**
 * Offscreen document (Chrome MV3): the service worker cannot play audio, so critical alerts
 * ask this page to play a short two-tone alarm with Web Audio. No audio file, no network.
 * Accepts only `{ type: 'play-alert-sound', target: 'offscreen' }` from our own extension.
 */
import { ALERT_SOUND_MESSAGE, isAlertSoundMessage } from '@/lib/protocol/sound';

function playAlarm(): Promise<void> {
  const ctx = new AudioContext();
  const start = ctx.currentTime;
  for (let i = 0; i < 3; i++) {
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.type = 'square';
    osc.frequency.value = i % 2 ? 660 : 880;
    gain.gain.setValueAtTime(0.15, start + i * 0.25);
    gain.gain.exponentialRampToValueAtTime(0.001, start + i * 0.25 + 0.22);
    osc.connect(gain).connect(ctx.destination);
    osc.start(start + i * 0.25);
    osc.stop(start + i * 0.25 + 0.23);
  }
  return new Promise((resolve) => setTimeout(() => void ctx.close().then(resolve), 900));
}

browser.runtime.onMessage.addListener((msg: unknown, sender: { id?: string }, sendResponse: (r: unknown) => void) => {
  if (sender.id !== browser.runtime.id || !isAlertSoundMessage(msg)) return undefined;
  playAlarm().then(
    () => sendResponse({ ok: true, played: ALERT_SOUND_MESSAGE.type }),
    (e) => sendResponse({ ok: false, error: String(e) }),
  );
  return true;
});
