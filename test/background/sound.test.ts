// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { offscreenSoundPort } from '../../lib/background/sound';
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
