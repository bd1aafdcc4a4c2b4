// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { offscreenSoundPort, soundPort } from '../../lib/background/sound';
import { ALERT_SOUND_MESSAGE, isAlertSoundMessage } from '../../lib/protocol/sound';

describe('offscreen alert sound', () => {
  it('is absent where the browser has no offscreen API (Firefox)', () => {
    expect(offscreenSoundPort({ runtime: { getURL: (p) => p, sendMessage: async () => undefined } })).toBeUndefined();
  });
  it('creates the offscreen document once, then messages it', async () => {
    let docs = 0;
    const sent: unknown[] = [];
    const play = offscreenSoundPort({
      offscreen: {
        hasDocument: async () => docs > 0,
        createDocument: async (p) => {
          expect(p.reasons).toEqual(['AUDIO_PLAYBACK']);
          expect(p.url).toBe('ext:/offscreen.html');
          docs++;
        },
      },
      runtime: { getURL: (p) => `ext:${p}`, sendMessage: async (m) => void sent.push(m) },
    })!;
    await play();
    await play();
    expect(docs).toBe(1);
    expect(sent).toEqual([ALERT_SOUND_MESSAGE, ALERT_SOUND_MESSAGE]);
  });
  it('offscreen is optional: the port exists before the grant, refuses loudly without it, and plays once granted', async () => {
    const sent: unknown[] = [];
    const api: Parameters<typeof offscreenSoundPort>[0] = {
      runtime: { getURL: (p) => p, sendMessage: async (m) => void sent.push(m), getManifest: () => ({ optional_permissions: ['offscreen'] }) },
    };
    const play = offscreenSoundPort(api);
    expect(play).toBeTypeOf('function');
    await expect(play!()).rejects.toThrow(/optional "offscreen" permission/);
    expect(sent).toEqual([]);
    api!.offscreen = { hasDocument: async () => true, createDocument: async () => undefined }; // what Chrome does on grant
    await play!();
    expect(sent).toEqual([ALERT_SOUND_MESSAGE]);
  });
  it('accepts only the exact sound message', () => {
    expect(isAlertSoundMessage(ALERT_SOUND_MESSAGE)).toBe(true);
    expect(isAlertSoundMessage({ type: 'play-alert-sound' })).toBe(false);
    expect(isAlertSoundMessage(null)).toBe(false);
  });
});

/** A Web Audio stand-in that records what the tone schedules (no audio device in Node). */
class RecordingContext {
  static made: RecordingContext[] = [];
  state: 'running' | 'suspended' | 'closed' = 'running';
  currentTime = 1;
  destination = {};
  tones: number[] = [];
  closed = false;
  constructor() {
    RecordingContext.made.push(this);
  }
  createOscillator() {
    const self = this;
    const o = { type: '', frequency: { value: 0 }, connect: (g: unknown) => g, start: () => self.tones.push(o.frequency.value), stop: () => {} };
    return o;
  }
  createGain() {
    const g = { gain: { setValueAtTime: () => {}, exponentialRampToValueAtTime: () => {} }, connect: (d: unknown) => d };
    return g;
  }
  async close() {
    this.closed = true;
    this.state = 'closed';
  }
}

describe('sound port per browser', () => {
  it('Chrome (offscreen optional in the manifest): the offscreen port, even where a document has Web Audio', () => {
    const api = { runtime: { getURL: (p: string) => p, sendMessage: async () => undefined, getManifest: () => ({ optional_permissions: ['offscreen'] }) } };
    RecordingContext.made = [];
    const port = soundPort(api, RecordingContext as never);
    expect(port).toBeTypeOf('function');
    return expect(port!()).rejects.toThrow(/optional "offscreen" permission/);
  });
  it('Firefox (no offscreen; the background page has AudioContext): plays the two-tone alarm right there and closes the context', async () => {
    RecordingContext.made = [];
    const port = soundPort({ runtime: { getURL: (p) => p, sendMessage: async () => undefined, getManifest: () => ({}) } }, RecordingContext as never);
    await port!();
    expect(RecordingContext.made).toHaveLength(1);
    expect(RecordingContext.made[0]!.tones).toEqual([880, 660, 880]);
    expect(RecordingContext.made[0]!.closed).toBe(true);
  });
  it('a context the browser keeps suspended (autoplay blocked) rejects: the monitor logs that no sound played', async () => {
    class Suspended extends RecordingContext {
      override state = 'suspended' as const;
      resume() {
        return new Promise<void>(() => {}); // Firefox under an autoplay block: never settles
      }
    }
    const t0 = Date.now();
    RecordingContext.made = [];
    await expect(soundPort(undefined, Suspended as never)!()).rejects.toThrow(/suspended/);
    expect(Date.now() - t0).toBeLessThan(3000); // gave up after TONE_START_TIMEOUT_MS, did not hang the alert chain
    expect(RecordingContext.made.at(-1)!.tones).toEqual([]);
  });
  it('neither offscreen nor Web Audio (a Chrome service worker without the grant listed): no port', () => {
    expect(soundPort({ runtime: { getURL: (p) => p, sendMessage: async () => undefined } }, undefined)).toBeUndefined();
  });
});
