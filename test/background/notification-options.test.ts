/**
 * Notification options per browser: Firefox's notifications schema has no `requireInteraction`
 * (nor `silent`), and an unknown key makes `notifications.create` reject there, so no alert shows.
 * Checked against the property list of Firefox's own schema: the copy below (Firefox ESR 153,
 * toolkit/components/extensions/schemas/notifications.json, CreateNotificationOptions) and, where
 * Firefox ESR is installed, the schema inside its omni.ja.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { notificationOptions } from '../../lib/background/notification-options';
import { noticeText } from '../../lib/alerts/text';

const FIREFOX_KEYS = ['type', 'iconUrl', 'appIconMaskUrl', 'title', 'message', 'contextMessage', 'priority', 'eventTime', 'imageUrl', 'items', 'progress', 'isClickable'];
const OMNI = '/usr/lib/firefox-esr/omni.ja';

const TEXTS = [
  noticeText({ kind: 'level', level: 0.9, riskRatio: 0.91, top: true, source: 'engine' } as never, 'Binance USDⓈ-M', null, 'exchange'),
  noticeText({ kind: 'level', level: 0.5, riskRatio: 0.51, top: false, source: 'engine' } as never, 'Bybit', null, 'exchange'),
  noticeText({ kind: 'stale', reason: 'no price for 60 s' } as never, 'OKX', null, 'exchange'),
];

describe('notificationOptions', () => {
  it('keeps requireInteraction and priority on Chrome', () => {
    expect(notificationOptions(TEXTS[0]!, 'data:,x', 'chrome')).toEqual({ type: 'basic', iconUrl: 'data:,x', title: TEXTS[0]!.title, message: TEXTS[0]!.message, priority: 2, requireInteraction: true });
    expect(notificationOptions(TEXTS[2]!, 'data:,x', 'chrome').requireInteraction).toBe(false);
  });

  it('leaves out every key Firefox does not accept, for every kind of alert text', () => {
    for (const t of TEXTS) {
      const o = notificationOptions(t, 'data:,x', 'firefox');
      expect(o).not.toHaveProperty('requireInteraction');
      for (const k of Object.keys(o)) expect(FIREFOX_KEYS, k).toContain(k);
      expect(o).toMatchObject({ type: 'basic', title: t.title, message: t.message, priority: t.priority });
    }
  });

  it('omits requireInteraction on Chrome when the text does not set it (test notification)', () => {
    expect(notificationOptions({ title: 'a', message: 'b', priority: 1 }, 'data:,x', 'chrome')).not.toHaveProperty('requireInteraction');
  });

  it.runIf(existsSync(OMNI))('the Firefox key list is the installed Firefox ESR schema', () => {
    const raw = execFileSync('unzip', ['-p', OMNI, 'chrome/toolkit/content/extensions/schemas/notifications.json'], { encoding: 'utf8' });
    const schema = JSON.parse(raw.replace(/^\s*\/\/.*$/gm, '')) as { types?: { id: string; properties?: Record<string, { unsupported?: boolean }> }[] }[];
    const props = schema.flatMap((ns) => ns.types ?? []).find((t) => t.id === 'CreateNotificationOptions')!.properties!;
    const supported = Object.entries(props).filter(([, v]) => !v.unsupported).map(([k]) => k);
    expect(supported.sort()).toEqual([...FIREFOX_KEYS].sort());
    expect(supported).not.toContain('requireInteraction');
  });
});
