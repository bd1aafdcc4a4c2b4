/**
 * The offscreen alert-sound message (worker → offscreen document, Chrome only).
 * https://developer.chrome.com/docs/extensions/reference/api/offscreen
 */
export const ALERT_SOUND_MESSAGE = { type: 'play-alert-sound', target: 'offscreen' } as const;

export function isAlertSoundMessage(msg: unknown): msg is typeof ALERT_SOUND_MESSAGE {
  const m = msg as Partial<typeof ALERT_SOUND_MESSAGE> | null;
  return !!m && m.type === ALERT_SOUND_MESSAGE.type && m.target === ALERT_SOUND_MESSAGE.target;
}

/**
 * The optional permission the options page requests (inside the user's click on the sound
 * checkbox) before the worker can play sound: `browser.permissions.request(SOUND_PERMISSIONS)`.
 * Chrome only (the manifest lists it under `optional_permissions` there).
 */
export const SOUND_PERMISSIONS = { permissions: ['offscreen'] } as const;
