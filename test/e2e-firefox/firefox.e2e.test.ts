/**
 * The built Firefox extension (.output/firefox-mv3-e2e) in real Firefox ESR, driven through
 * WebDriver BiDi (harness/firefox.ts), against the same loopback exchange server as the Chromium
 * scenarios: a page read reaches the popup, a falling price notifies each level once, a refused
 * stream turns the account STALE. Each describe gets a fresh Firefox profile.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectedBadge, KEY, levelNotices, noticesOfKind, openDemoAccount, setAlertSettings, stepTo, type Live } from '../../harness/alert-steps';
import { notificationCalls, readBadge, waitFor, type Badge } from '../../harness/extension';
import { firefoxLive, firefoxPopupRatio, startFirefoxHarness, type FirefoxHarness } from '../../harness/firefox';
import { EXCHANGE_PAGES, PAGE_HOSTS } from '../../harness/hosts';
import { readAccount } from '../../harness/product';
import { BADGE_COLORS } from '../../lib/alerts/text';
import { rgba } from '../../harness/alert-steps';
import { DEFAULT_SETTINGS, SETTINGS_VERSION } from '../../lib/settings/schema';

declare const browser: any; // inside ff.evaluate (an extension page)

function useFirefox(): () => { h: FirefoxHarness; live: Live } {
  let h: FirefoxHarness | undefined;
  beforeAll(async () => {
    h = await startFirefoxHarness();
  });
  afterAll(async () => {
    await h?.close();
  });
  return () => {
    if (!h) throw new Error('Firefox harness not started');
    return { h, live: firefoxLive(h) };
  };
}

async function expectBadgeFf(live: Live, want: Badge, timeout = 5000): Promise<void> {
  await expect.poll(() => readBadge(live.b.sw()), { timeout, interval: 250 }).toEqual(want);
}

/** Notifications Firefox shows now (notifications.getAll). */
async function shown(h: FirefoxHarness): Promise<string[]> {
  return Object.keys(await h.ff.evaluate(() => browser.notifications.getAll()));
}

describe('Firefox: page read → popup', () => {
  const f = useFirefox();
  it('loads as an MV3 add-on with its gecko id, reads the Binance page and the popup shows the ratio the background computed', async () => {
    const { h, live } = f();
    const m = await h.ff.evaluate(() => browser.runtime.getManifest());
    expect(m.manifest_version).toBe(3);
    expect(m.browser_specific_settings.gecko).toMatchObject({ id: h.ff.addonId, strict_min_version: '140.0', data_collection_permissions: { required: ['none'] } });
    expect(m.background.scripts).toHaveLength(1);
    // Firefox reports the background script resolved to the add-on's internal origin.
    expect(m.background.scripts[0]).toBe(h.ff.extensionUrl('background.js'));
    expect(m.background.service_worker ?? null).toBeNull(); // Firefox normalises absent keys to null
    await waitFor(() => h.server.spyEvents.some((e) => e.kind === 'worker-start'), { what: 'the background spy report' });

    const page = await h.ff.openPage(EXCHANGE_PAGES.binance.url);
    expect(await page.content()).toContain('FIXTURE:');
    const rec = await waitFor(async () => {
      const r = await readAccount(live.b.sw(), KEY);
      return r?.risk?.marginRatio ? r : null;
    }, { timeoutMs: 15_000, what: 'the Binance account read and evaluated' });
    expect(rec.snapshot!.source!.url).toBe(EXCHANGE_PAGES.binance.url);
    // The page was fetched through the proxy from loopback under its real name.
    expect(h.server.requests).toContainEqual(expect.objectContaining({ host: PAGE_HOSTS.binance, path: new URL(EXCHANGE_PAGES.binance.url).pathname }));
    expect(h.ff.proxy.tunnels).toContain('www.binance.com:443');

    const popup = await h.ff.openExtensionPage('popup.html');
    await expect.poll(async () => (await firefoxPopupRatio(popup, KEY))?.exact, { timeout: 10_000 }).toBe(rec.risk!.marginRatio);
    const shownText = (await firefoxPopupRatio(popup, KEY))!.text;
    expect(shownText).toMatch(/^\d+\.\d+ %$/);
    expect(await popup.evaluate(() => document.body.innerText)).toContain('Binance');
    await popup.close();
    await page.close();
  }, 90_000);

  it('opened the welcome page on install; its test notification shows in Firefox; it lists the supported pages', async () => {
    const { h } = f();
    const url = h.ff.extensionUrl('welcome.html');
    // Puppeteer does not track moz-extension navigations: find the tab by its own location.
    const welcome = await waitFor(async () => {
      for (const p of await h.ff.browser.pages()) if ((await p.evaluate(() => location.href).catch(() => '')) === url) return p;
      return null;
    }, { what: 'the welcome tab opened on install' });
    await welcome.waitForSelector('#w-test');
    const links = await welcome.$$eval('.w-pages a', (as) => as.map((a) => a.getAttribute('href')));
    expect(links).toEqual(Object.values(EXCHANGE_PAGES).map((p) => p.url));
    // Host access was granted at install (Firefox 127+ grants MV3 host_permissions then): no request button.
    expect(await welcome.$('#w-access')).toBeNull();
    await welcome.click('#w-test');
    await welcome.waitForSelector('#w-test-result');
    expect(await welcome.$eval('#w-test-result', (e) => e.textContent)).toMatch(/test alert/);
    const shownIds = await waitFor(async () => {
      const ids = await shown(h);
      return ids.some((id) => id.startsWith('ms|test|')) ? ids : null;
    }, { what: 'the test notification shown' });
    expect(shownIds.filter((id) => id.startsWith('ms|test|'))).toHaveLength(1);
  });

  it('reaches nothing but the mapped exchange hosts', async () => {
    const { h } = f();
    const results = await h.ff.evaluate(
      (urls: string[]) => Promise.all(urls.map((u) => fetch(u, { mode: 'no-cors' }).then(() => 'reached', (e: unknown) => String(e)))),
      ['https://example.com/', 'https://fapi.binance.com/fapi/v1/premiumIndex?symbol=BTCUSDT'],
    );
    expect(results.every((r) => r.startsWith('TypeError'))).toBe(true);
    expect(h.ff.proxy.refused).toEqual(expect.arrayContaining(['example.com:443', 'fapi.binance.com:443']));
    expect(h.server.requests.map((r) => r.host)).not.toContain('example.com');
  });
});

/** Store the default settings with sound on (as the options page saves them); wait for the background to load them. */
async function turnSoundOn(h: FirefoxHarness): Promise<void> {
  await h.ff.evaluate(([value, v]) => browser.storage.local.set({ settings: value, settings$: { v } }), [{ ...DEFAULT_SETTINGS, sound: true }, SETTINGS_VERSION] as const);
  await waitFor(async () => {
    const { monitorProblems } = await h.ff.evaluate(() => browser.storage.local.get('monitorProblems'));
    return monitorProblems && monitorProblems.settings === null;
  }, { what: 'the background to load the settings' });
}

describe('Firefox: price path falls', () => {
  const f = useFirefox();
  it('50, 70, 80 and 90 % are notified exactly once each, and shown; the badge follows; the 90 % alert sounds from the background page', async () => {
    const { h, live } = f();
    await turnSoundOn(h);
    const d = await openDemoAccount(live);
    await expectBadgeFf(live, expectedBadge('0.4', null));
    const path: [string, number | null][] = [
      ['0.45', null], ['0.55', 0.5], ['0.62', 0.5], ['0.72', 0.7], ['0.78', 0.7], ['0.82', 0.8], ['0.86', 0.8], ['0.92', 0.9],
    ];
    const seenShown = new Set<string>();
    for (const [ratio, level] of path) {
      const rec = await stepTo(live, d, ratio);
      await expectBadgeFf(live, expectedBadge(rec.risk!.riskRatio!, level));
      for (const id of await shown(h)) seenShown.add(id);
    }
    await new Promise((r) => setTimeout(r, 1500));
    for (const id of await shown(h)) seenShown.add(id);
    expect(levelNotices(live).map((n) => n.level)).toEqual([0.5, 0.7, 0.8, 0.9]);
    expect(levelNotices(live)[2]!.title).toMatch(/margin ratio 8\d\.\d %/);
    // Sound: only the top level (90 %) plays it; Firefox has no offscreen document, the background
    // event page plays the two-tone alarm itself, in a running (not autoplay-blocked) context.
    const tones = await waitFor(() => {
      const t = h.server.spyEvents.filter((e) => e.kind === 'audio.tone');
      return t.length >= 3 ? t : null;
    }, { timeoutMs: 5000, what: 'the alarm tone from the background page' });
    // Three beeps, 880/660/880 Hz, in a running context. Each spy event reaches the harness by its own
    // request, so their arrival order is not the play order: compare them as a multiset.
    expect(tones.map((e) => JSON.stringify(e.args)).sort()).toEqual([[660, 'running'], [880, 'running'], [880, 'running']].map((a) => JSON.stringify(a)));
    expect(tones[0]!.at).toBeGreaterThanOrEqual(levelNotices(live)[3]!.at);
    // Delivered, not only requested: Firefox accepted each level notification's options and showed it.
    for (const n of noticesOfKind(live, 'level')) expect([...seenShown]).toContain(n.id);
    // Nothing left undelivered in the outbox (a rejected notifications.create stays there and is retried).
    expect(notificationCalls(h.server).filter((n) => n.id?.includes('|level|'))).toHaveLength(4);
    await d.page!.close();
  }, 120_000);
});

describe('Firefox: stream refused', () => {
  const f = useFirefox();
  it('the account turns STALE (badge and popup) with one notification', async () => {
    const { h, live } = f();
    await setAlertSettings(live, { priceMaxAgeMs: 5000 });
    const d = await openDemoAccount(live);
    await stepTo(live, d, '0.45');
    h.server.streams.refuse(60_000);
    await expectBadgeFf(live, { text: 'STALE', color: rgba(BADGE_COLORS.stale) }, 70_000);
    // The notice may follow the badge (stale notices are debounced; the spy reports asynchronously).
    await expect.poll(() => noticesOfKind(live, 'stale').length, { timeout: 40_000, interval: 500 }).toBe(1);
    const shownStale = await waitFor(async () => (await shown(h)).find((id) => id.includes('|stale|')), { timeoutMs: 5000, what: 'the stale notification shown' });
    expect(shownStale).toBe(noticesOfKind(live, 'stale')[0]!.id);
    const popup = await h.ff.openExtensionPage('popup.html');
    await expect
      .poll(() => popup.evaluate(() => document.querySelectorAll('section [data-state="stale"]').length), { timeout: 10_000 })
      .toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 3000));
    expect(noticesOfKind(live, 'stale')).toHaveLength(1);
    await popup.close();
    await d.page!.close();
  }, 150_000);
});
