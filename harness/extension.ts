/**
 * Helpers for scenarios: read the toolbar badge, list notifications, see content-script
 * messages reach the background, stop the service worker through the DevTools protocol.
 * Everything observes the real extension; nothing here stands in for one of its parts.
 */
import type { Page, Worker } from 'playwright-core';
import type { ExtensionBrowser } from './browser';
import type { ExchangeServer } from './exchange-server';
import { HARNESS_HOST, notificationOptions, type SpyEvent } from './instrument';

declare const chrome: any; // inside sw.evaluate / page.evaluate

/** Poll `fn` until it returns a truthy value; returns it. */
export async function waitFor<T>(
  fn: () => T | Promise<T>,
  opts: { timeoutMs?: number; intervalMs?: number; what?: string } = {},
): Promise<NonNullable<T>> {
  const deadline = Date.now() + (opts.timeoutMs ?? 10_000);
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v as NonNullable<T>;
      last = v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${opts.timeoutMs ?? 10_000} ms waiting for ${opts.what ?? 'condition'} (last: ${last instanceof Error ? last.message : JSON.stringify(last)})`);
    }
    await sleep(opts.intervalMs ?? 100);
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export interface Badge {
  text: string;
  /** RGBA 0–255. */
  color: [number, number, number, number];
}

/** The global (not tab-specific) toolbar badge. */
export async function readBadge(sw: Worker, tabId?: number): Promise<Badge> {
  return sw.evaluate(async (tabId) => {
    const d = tabId === undefined ? {} : { tabId };
    return { text: await chrome.action.getBadgeText(d), color: await chrome.action.getBadgeBackgroundColor(d) };
  }, tabId);
}

/** The toolbar button's title (tooltip): global, or for `tabId` (chrome.action.getTitle). */
export async function readActionTitle(sw: Worker, tabId?: number): Promise<string> {
  return sw.evaluate(async (tabId) => chrome.action.getTitle(tabId === undefined ? {} : { tabId }), tabId);
}

/** Notifications the extension asked for (spy log; survives worker restarts), oldest first. */
export function notificationCalls(server: ExchangeServer): { at: number; worker: number; id?: string; title: string; message: string; options: Record<string, unknown> }[] {
  return server.spyEvents
    .filter((e) => e.kind === 'notifications.create')
    .map((e) => {
      const o = notificationOptions(e);
      return { at: e.at, worker: e.worker, id: typeof e.args[0] === 'string' ? e.args[0] : undefined, title: String(o.title ?? ''), message: String(o.message ?? ''), options: o };
    });
}

/** Notifications currently shown (chrome.notifications.getAll): `{ [id]: true }`. */
export async function shownNotifications(sw: Worker): Promise<Record<string, boolean>> {
  return sw.evaluate(() => chrome.notifications.getAll());
}

/** Badge texts the extension set, oldest first (spy log), with `null` meaning "cleared". */
export function badgeHistory(server: ExchangeServer): { at: number; text: string }[] {
  return server.spyEvents
    .filter((e) => e.kind === 'action.setBadgeText')
    .map((e) => ({ at: e.at, text: String((e.args[0] as { text?: string } | undefined)?.text ?? '') }));
}

/** Messages from web pages (content scripts) that reached the background, oldest first. */
export function contentMessages(server: ExchangeServer, urlPrefix = 'https://'): { at: number; message: unknown; url: string; tabId?: number }[] {
  const out: { at: number; message: unknown; url: string; tabId?: number }[] = [];
  for (const e of server.spyEvents) {
    if (e.kind !== 'runtime.onMessage' && e.kind !== 'port.onMessage') continue;
    const sender = e.args[e.args.length - 1] as { url?: string; tabId?: number } | undefined;
    if (!sender?.url?.startsWith(urlPrefix)) continue;
    out.push({ at: e.at, message: e.args[0], url: sender.url, tabId: sender.tabId });
  }
  return out;
}

/** Service-worker starts seen by the spy (one per worker instance), oldest first. */
export function workerStarts(server: ExchangeServer): SpyEvent[] {
  return server.spyEvents.filter((e) => e.kind === 'worker-start');
}

/**
 * Stop the extension's service worker the way Chrome does when it idles out: CDP
 * `ServiceWorker.stopAllWorkers` on a neutral loopback page's session (the browser-target
 * session lacks the ServiceWorker domain; `Target.closeTarget` on the worker returns success
 * but leaves it running). Resolves once no service-worker target is left.
 */
export async function stopServiceWorker(b: ExtensionBrowser): Promise<void> {
  const page = await b.context.newPage();
  try {
    await page.goto(`https://${HARNESS_HOST}/`);
    const cdp = await b.context.newCDPSession(page);
    await cdp.send('ServiceWorker.enable');
    await cdp.send('ServiceWorker.stopAllWorkers');
    const browser = await b.browserCdp();
    await waitFor(
      async () => {
        const { targetInfos } = await browser.send('Target.getTargets');
        return !targetInfos.some((t) => t.type === 'service_worker' && t.url.startsWith(`chrome-extension://${b.extensionId}/`));
      },
      { timeoutMs: 5000, what: 'the service worker to stop' },
    );
    await cdp.detach().catch(() => {});
  } finally {
    await page.close().catch(() => {});
  }
}

/** Wait for a worker instance started after `sinceStarts` starts were seen; returns its start time. */
export async function waitForWorkerStart(server: ExchangeServer, sinceStarts: number, timeoutMs = 15_000): Promise<number> {
  const ev = await waitFor(() => workerStarts(server)[sinceStarts], { timeoutMs, what: 'the service worker to start again' });
  return ev.worker;
}

/** Names of this extension's isolated worlds (its content scripts) in the page. */
export async function contentScriptWorlds(b: ExtensionBrowser, page: Page): Promise<string[]> {
  const extName = (await loadedManifest(b.sw())).name as string;
  const cdp = await b.context.newCDPSession(page);
  const worlds: string[] = [];
  cdp.on('Runtime.executionContextCreated', (e) => {
    const aux = e.context.auxData as { type?: string } | undefined;
    if (aux?.type === 'isolated' && (e.context.origin === `chrome-extension://${b.extensionId}` || e.context.name === extName)) worlds.push(e.context.name);
  });
  await cdp.send('Runtime.enable'); // replays existing contexts as executionContextCreated
  await cdp.send('Runtime.disable');
  await cdp.detach().catch(() => {});
  return worlds;
}

/** The extension's manifest as Chromium loaded it. */
export async function loadedManifest(sw: Worker): Promise<Record<string, any>> {
  return sw.evaluate(() => chrome.runtime.getManifest());
}
