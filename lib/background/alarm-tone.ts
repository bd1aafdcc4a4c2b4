/**
 * The critical-alert sound: a short two-tone alarm (880/660 Hz square, three beeps, ~0.75 s)
 * made with Web Audio. No audio file, no network. Played by whichever document can: Chrome's
 * offscreen document (entrypoints/offscreen, the service worker has no audio) or Firefox's
 * background event page, which is a document with `AudioContext` (./sound.ts `soundPort`).
 * https://developer.mozilla.org/en-US/docs/Web/API/Web_Audio_API
 */

/** The parts of an `AudioContext` the tone uses (injectable for tests). */
export type ToneContext = Pick<AudioContext, 'currentTime' | 'destination' | 'createOscillator' | 'createGain' | 'close'> & { state?: AudioContextState; resume?: () => Promise<void> };

/** How long a new context may take to start running (Firefox starts every context suspended). */
export const TONE_START_TIMEOUT_MS = 1000;

/**
 * Play the alarm on a fresh context from `makeContext` and close it when done.
 * Resolves after ~0.9 s; rejects when the context cannot run (e.g. an autoplay policy keeps it
 * suspended), so the caller can say the sound did not play. Never waits on `resume()` for more
 * than {@link TONE_START_TIMEOUT_MS}: under an autoplay block it never settles, and the alert
 * delivery that awaits the sound must go on.
 * @throws Error "audio context suspended" when it is still not running after the timeout.
 */
export async function playAlarmTone(makeContext: () => ToneContext = () => new AudioContext()): Promise<void> {
  const ctx = makeContext();
  if (ctx.state === 'suspended' && ctx.resume) {
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([ctx.resume().catch(() => {}), new Promise<void>((r) => (timer = setTimeout(r, TONE_START_TIMEOUT_MS)))]);
    clearTimeout(timer);
  }
  if (ctx.state === 'suspended') {
    await ctx.close().catch(() => {});
    throw new Error('audio context suspended (autoplay blocked)');
  }
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
  await new Promise((resolve) => setTimeout(resolve, 900));
  await ctx.close();
}
