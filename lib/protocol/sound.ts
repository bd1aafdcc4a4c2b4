/**
 * The offscreen alert-sound message (worker → offscreen document, Chrome only).
 * https://developer.chrome.com/docs/extensions/reference/api/offscreen
 */
export const ALERT_SOUND_MESSAGE = { type: 'play-alert-sound', target: 'offscreen' } as const;

export function isAlertSoundMessage(msg: unknown): msg is typeof ALERT_SOUND_MESSAGE {
  const m = msg as Partial<typeof ALERT_SOUND_MESSAGE> | null;
  return !!m && m.type === ALERT_SOUND_MESSAGE.type && m.target === ALERT_SOUND_MESSAGE.target;
}
