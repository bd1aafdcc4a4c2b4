// @vitest-environment happy-dom
/** The stop alert through the real monitor: off by default; on, one notification per condition, with an id a click can route. */
import { afterEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { Monitor } from '../../lib/background/monitor';
import { accountOfNoticeId } from '../../lib/background/alerting';
import { DEFAULT_SETTINGS } from '../../lib/settings/schema';
import { accountsItem, endpointOverrideItem, settingsItem } from '../../lib/storage';
import type { NotificationText } from '../../lib/alerts/text';
import { record, tight } from '../components/helpers';

let monitor: Monitor | null = null;
afterEach(async () => {
  await monitor?.dispose();
  monitor = null;
});

async function start(settings: Partial<typeof DEFAULT_SETTINGS>) {
  fakeBrowser.reset();
  // No stream or candle host is reachable: loopback port 9 (discard) refuses.
  await endpointOverrideItem.setValue({ stream: 'ws://127.0.0.1:9', rest: 'http://127.0.0.1:9' });
  await settingsItem.setValue({ ...DEFAULT_SETTINGS, ...settings });
  const snap = { ...tight(), orders: [{ symbol: 'BTCUSDT', side: 'sell' as const, type: 'stop-market' as const, triggerPrice: '63000', closePosition: true, reduceOnly: true }], ordersComplete: true };
  await accountsItem.setValue({ 'binance-usdm': record(snap) });
  const shown: [string, NotificationText][] = [];
  monitor = new Monitor({ now: Date.now, extensionId: fakeBrowser.runtime.id, notify: async (id, t) => void shown.push([id, t]), setBadge: async () => {}, backoff: { minMs: 1000, maxMs: 1000, jitterMs: 0 } });
  await monitor.init();
  await monitor.loadSettings({ migrate: false }); // settings written without a version marker: read as they stand
  monitor.evaluateAccount('binance-usdm');
  monitor.evaluateAccount('binance-usdm');
  await monitor.idle();
  return shown.filter(([id]) => /\|(stop|odds)\|/.test(id));
}

describe('stop alerts in the worker', () => {
  it('off by default: no stop notification, but the record carries the stop status', async () => {
    expect(await start({})).toEqual([]);
    expect(monitor!.accounts['binance-usdm']!.stops!.map((s) => s.status)).toEqual(['never-fires', 'no-stop']);
  });
  it('on: one notification per position and condition (not repeated on the next evaluation)', async () => {
    const shown = await start({ stopAlerts: true });
    expect(shown.map(([id]) => id).sort()).toEqual(['ms|binance-usdm|stop|BTCUSDT long', 'ms|binance-usdm|stop|ETHUSDT short']);
    expect(shown.find(([id]) => id.includes('BTCUSDT'))![1].title).toMatch(/BTCUSDT long stop-loss will never fire/);
    expect(accountOfNoticeId(shown[0]![0])).toBe('binance-usdm');
  });
});
