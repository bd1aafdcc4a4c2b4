/**
 * Wiring of the spot margin monitor (./margin-watch.ts) into the worker: its storage, the
 * endpoint override, settings changes, the watchdog alarm, closed tabs and the shared badge.
 * Kept out of ./index.ts, which only creates it and hands it to the message dispatch.
 */
import { browser } from 'wxt/browser';
import { marginAlertsOf } from '../settings/defaults';
import { alertSettingsFor } from '../settings/schema';
import { endpointOverrideItem, settingsItem } from '../storage';
import { marginAccountsItem } from '../storage/margin';
import { MarginWatch } from './margin-watch';
import type { Monitor } from './monitor';
import type { MonitorPorts } from './ports';

/** Watchdog alarm shared with the futures monitor (./index.ts `WATCHDOG_ALARM`). */
const WATCHDOG_ALARM = 'monitor-watchdog';

/**
 * Create the margin monitor beside `monitor`; it starts once `ready` (the monitor's state) has loaded.
 * @returns the watch (for the dispatch) and a promise settling once its stored accounts are back
 */
export function startMarginWatch(monitor: Monitor, ports: MonitorPorts, ready: Promise<void>, onChanged: () => void = () => {}): { watch: MarginWatch; loaded: Promise<void> } {
  const watch = new MarginWatch({
    now: ports.now,
    extensionId: ports.extensionId,
    notify: (id, t) => ports.notify(id, t),
    settings: () => ({ alerts: alertSettingsFor(monitor.settings, 'binance-margin'), marginAlerts: marginAlertsOf(monitor.settings), notifications: monitor.settings.notifications }),
    save: (records) => marginAccountsItem.setValue(records),
    badgeChanged: () => {
      monitor.refreshBadge();
      onChanged();
    },
    WebSocket: ports.WebSocket,
    backoff: ports.backoff,
  });
  monitor.setExtraBadgeAccounts(() => watch.badgeAccounts());
  // Never rejects: a failure here must not hold up the futures monitor's messages.
  const loaded = ready
    .then(async () => {
      watch.setOverride(await endpointOverrideItem.getValue());
      watch.load(await marginAccountsItem.getValue());
      await watch.evaluateAll();
    })
    .catch((e) => console.error('[margin] start failed', e));
  endpointOverrideItem.watch((o) => void loaded.then(() => watch.setOverride(o)));
  settingsItem.watch(() => void loaded.then(() => watch.evaluateAll()));
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === WATCHDOG_ALARM) void loaded.then(() => watch.watchdog());
  });
  browser.tabs.onRemoved.addListener((tabId) => void loaded.then(() => watch.tabClosed(tabId)));
  // A margin notification click: focus the margin tab it came from, or open the margin page.
  browser.notifications.onClicked.addListener((id) => {
    const key = id.split('|')[1];
    const r = key?.startsWith('binance-margin:') ? watch.accounts[key] : undefined;
    if (!r) return;
    void (async () => {
      if (r.tabId !== null) {
        try {
          const tab = await browser.tabs.update(r.tabId, { active: true });
          if (tab?.windowId !== undefined) await browser.windows.update(tab.windowId, { focused: true });
          return;
        } catch {
          // closed: open the page below
        }
      }
      await browser.tabs.create({ url: r.url ?? `https://www.binance.com/en/trade/BTC_USDT?type=${r.mode}` });
    })();
  });
  return { watch, loaded };
}
