/**
 * Service-worker wiring: browser events → {@link Monitor}. Listeners are registered
 * synchronously (MV3 only delivers the waking event to listeners added in the first turn);
 * messages that arrive before the monitor has loaded its state wait for it.
 *
 * Messages: the typed map in lib/protocol (page reads from our content scripts; what-if, stress and
 * the test notification from our extension pages), dispatched by ./dispatch.ts.
 * Ports: the on-page overlay's feed (`ms-overlay`, ./overlay-feed.ts), from our content scripts on exchange pages only.
 */
import { browser } from 'wxt/browser';
import type { ExchangeId } from '../engine/exchanges';
import { TRADE_PAGES, PAGE_HOSTS } from '../exchanges/endpoints';
import { endpointOverrideItem, settingsItem } from '../storage';
import { alertSettingsFor } from '../settings/schema';
import { ALERT_ICON_DATA_URL } from './icon';
import { notificationOptions } from './notification-options';
import { accountOfNoticeId } from './alerting';
import { Monitor, type MonitorPorts } from './monitor';
import { soundPort } from './sound';
import type { SenderLike } from './senders';
import { HyperliquidWatch } from './hyperliquid-watch';
import { dispatch, type DispatchContext } from './dispatch';
import type { MarginWatch } from './margin-watch';
import { startMarginWatch } from './margin-start';
import { OverlayFeed, type FeedPort } from './overlay-feed';
import { overlayPlacementItem, overlayPlacementOf } from '../storage/overlay';
import { DEFAULT_PLACEMENT } from '../view/overlay';
import { apiAccountsFor, type ApiAccounts } from './api-accounts';

/** Watchdog alarm name and period (30 s: the MV3 minimum for packed extensions, Chrome 120+). */
export const WATCHDOG_ALARM = 'monitor-watchdog';
export const WATCHDOG_PERIOD_MIN = 0.5;

/** Ports backed by the real (or fake) browser APIs. */
export function browserPorts(): MonitorPorts {
  return {
    now: Date.now,
    extensionId: browser.runtime.id,
    async notify(id, t) {
      await browser.notifications.create(id, notificationOptions(t, ALERT_ICON_DATA_URL));
    },
    playSound: soundPort((globalThis as { chrome?: Parameters<typeof soundPort>[0] }).chrome),
    async setBadge(b) {
      await Promise.all([
        browser.action.setBadgeText({ text: b.text }),
        browser.action.setBadgeBackgroundColor({ color: b.color }),
        browser.action.setTitle({ title: b.title }),
      ]);
    },
  };
}

/**
 * Start the background: register listeners, load state, open streams, schedule the watchdog.
 * Returns the monitor and a promise that settles once state is loaded.
 */
export function startBackground(overrides: Partial<MonitorPorts> = {}): { monitor: Monitor; ready: Promise<void>; overlays: OverlayFeed; apiAccounts: ApiAccounts | null } {
  let placement = DEFAULT_PLACEMENT;
  const overlays = new OverlayFeed({
    now: overrides.now ?? Date.now,
    setTimeout: (fn, ms) => setTimeout(fn, ms),
    clearTimeout: (id) => clearTimeout(id as ReturnType<typeof setTimeout>),
    extensionId: overrides.extensionId ?? browser.runtime.id,
    accounts: () => monitor.accounts,
    alertSettings: (key) => alertSettingsFor(monitor.settings, key),
    placement: () => placement,
    rejected: (why) => void monitor.countRejectedSender(why),
    marginAccounts: (host, tabId, collapsed) => margin.watch.overlayAccounts(host, tabId, collapsed),
  });
  const ports: MonitorPorts = { ...browserPorts(), accountsSaved: () => overlays.publish(), ...overrides };
  const monitor = new Monitor(ports);
  const hlWatch = new HyperliquidWatch(monitor, { fetch: overrides.fetch, now: overrides.now ?? Date.now });
  const apiAccounts = apiAccountsFor(monitor, ports);
  const ready = (async () => {
    await monitor.init();
    const existing = await browser.alarms.get(WATCHDOG_ALARM);
    if (!existing) await browser.alarms.create(WATCHDOG_ALARM, { periodInMinutes: WATCHDOG_PERIOD_MIN, delayInMinutes: WATCHDOG_PERIOD_MIN });
    await hlWatch.sync(monitor.settings.hyperliquidAddresses);
    placement = overlayPlacementOf(await overlayPlacementItem.getValue());
    void monitor.refreshTiers();
    void apiAccounts?.poll();
  })();
  ready.catch((e) => void startFailed(ports, e));
  const margin = startMarginWatch(monitor, ports, ready, () => overlays.publish());

  browser.runtime.onMessage.addListener((msg: unknown, sender: SenderLike, sendResponse: (r: unknown) => void) => {
    void ready
      .then(() => margin.loaded)
      .then(() => handleMessage(monitor, msg, sender, apiAccounts ?? undefined, margin.watch))
      .then(sendResponse, (e) => sendResponse({ ok: false, error: e instanceof Error ? e.message : String(e) }));
    return true;
  });

  // On-page overlays: answered once the state is loaded (a port that closes meanwhile is dropped
  // at its first post), so that a worker restart never shows them an empty account list.
  browser.runtime.onConnect.addListener((port) => {
    void ready.then(() => overlays.connect(port as FeedPort));
  });
  overlayPlacementItem.watch((p) => {
    placement = overlayPlacementOf(p);
    overlays.publish();
  });

  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name !== WATCHDOG_ALARM) return;
    void ready.then(async () => {
      await monitor.watchdog();
      overlays.heartbeat();
      await hlWatch.poll();
      await apiAccounts?.poll();
    });
  });

  // A closed tab no longer owes page reads: its accounts leave the page-silence rule (streams keep pricing them).
  browser.tabs.onRemoved.addListener((tabId) => {
    void ready.then(() => monitor.tabClosed(tabId));
  });

  browser.notifications.onClicked.addListener((id) => {
    void ready.then(() => focusAccountTab(monitor, id));
  });

  settingsItem.watch(() => {
    void ready.then(async () => {
      await monitor.loadSettings({ migrate: false });
      await hlWatch.sync(monitor.settings.hyperliquidAddresses);
      for (const key of Object.keys(monitor.accounts)) monitor.evaluateAccount(key);
      overlays.publish();
    });
  });
  endpointOverrideItem.watch((o) => {
    void ready.then(() => monitor.setEndpointOverride(o));
  });

  return { monitor, ready, overlays, apiAccounts };
}

/** Route one runtime message to its handler (./dispatch.ts), with the browser's sender rules. */
export function handleMessage(monitor: Monitor, msg: unknown, sender: SenderLike, apiAccounts?: ApiAccounts, margin?: MarginWatch): ReturnType<typeof dispatch> {
  const ctx: DispatchContext = { monitor, margin, extensionId: browser.runtime.id, extensionOrigin: browser.runtime.getURL('/'), testNotification: showTestNotification, apiAccounts };
  return dispatch(msg, sender, ctx);
}

/** Id of the one "could not start" notification (stable: a second failure replaces it). */
export const START_FAILED_NOTICE_ID = 'ms|start|error|start|0';

/**
 * The worker could not load its state: never silent. Badge `ERR` (red) with the reason in its
 * title, and one notification, whatever else failed.
 */
export async function startFailed(ports: Pick<MonitorPorts, 'setBadge' | 'notify'>, e: unknown): Promise<void> {
  const reason = (e instanceof Error ? e.message : String(e)).slice(0, 200);
  console.error('[monitor] start failed', e);
  await ports.setBadge({ text: 'ERR', color: '#c62828', title: `Margin Sentinel could not start: ${reason}. Your positions are NOT being monitored.` }).catch(() => {});
  await ports
    .notify(START_FAILED_NOTICE_ID, {
      title: 'Margin Sentinel is not monitoring',
      message: `It could not start (${reason}). Open the exchange page or reload the extension; until then no alert will come.`,
      requireInteraction: true,
      priority: 2,
    })
    .catch(() => {});
}

/** The options page's test notification; returns its id. */
async function showTestNotification(): Promise<string> {
  const id = `ms|test|test|test|${Date.now()}`;
  await browser.notifications.create(
    id,
    notificationOptions(
      { title: 'Margin Sentinel: test alert', message: 'Notifications work. Real alerts name the exchange, the margin ratio and the position closest to liquidation.', priority: 1 },
      ALERT_ICON_DATA_URL,
    ),
  );
  return id;
}

/** Notification click: focus the exchange tab the account was read from, or open the exchange page. */
export async function focusAccountTab(monitor: Monitor, notificationId: string): Promise<void> {
  const key = accountOfNoticeId(notificationId);
  const a = key ? monitor.accounts[key] : undefined;
  await browser.notifications.clear(notificationId);
  if (!a) return;
  if (a.tabId !== null) {
    try {
      const tab = await browser.tabs.update(a.tabId, { active: true });
      if (tab?.windowId !== undefined) await browser.windows.update(tab.windowId, { focused: true });
      return;
    } catch {
      // Tab closed: fall through.
    }
  }
  const exchange = a.exchange as ExchangeId;
  const tabs = await browser.tabs.query({ url: `https://${PAGE_HOSTS[exchange]}/*` }).catch(() => []);
  const t = tabs[0];
  if (t?.id !== undefined) {
    await browser.tabs.update(t.id, { active: true });
    if (t.windowId !== undefined) await browser.windows.update(t.windowId, { focused: true });
  } else await browser.tabs.create({ url: TRADE_PAGES[exchange] });
}
