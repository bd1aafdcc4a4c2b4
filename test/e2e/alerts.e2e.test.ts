/**
 * Alert scenarios on a real Binance-layout page (the demo account, figures from the engine) with
 * the mark price driven through the loopback Binance stream. Default alert levels 50/70/80/90 %,
 * 3-point hysteresis. Each describe gets a fresh browser profile.
 */
import { describe, expect } from 'vitest';
import { UNKNOWN } from '../../lib/view/format';
import {
  expectedBadge,
  KEY,
  levelNotices,
  noticesOfKind,
  openDemoAccount,
  pushRatio,
  setAlertSettings,
  stepTo,
  waitForEvaluation,
  type Driver,
} from '../../harness/alert-steps';
import { readBadge, shownNotifications, stopServiceWorker, waitFor, waitForWorkerStart, workerStarts } from '../../harness/extension';
import { screenshot } from '../../harness/start';
import { EXCHANGE_PAGES, PAGE_HOSTS } from '../../harness/hosts';
import { fixtureHtml } from '../../harness/exchange-server';
import { expectBadge, itWhen, useHarness } from '../../harness/vitest';
import { accountAttr, openPopup, overlayRatio, popupRatio, readAccount } from '../../harness/product';
import { formatPercent } from '../../lib/view/format';
import { RATIO_TITLE_DECIMALS } from '../../lib/view/overlay';
import { OVERLAY_FIGURES_CALM_MS } from '../../lib/background/overlay-feed';

describe('price path falls', () => {
  const h = useHarness();
  itWhen(['reader', 'overlay'], '50, 70 and 80 % are notified exactly once each; badge text and colour follow; the overlay updates', async () => {
    const d = await openDemoAccount(h());
    await expectBadge(h(), expectedBadge('0.4', null));
    const path: [string, number | null][] = [
      ['0.45', null], ['0.55', 0.5], ['0.62', 0.5], ['0.68', 0.5], ['0.72', 0.7], ['0.75', 0.7], ['0.78', 0.7], ['0.82', 0.8], ['0.86', 0.8],
    ];
    const seenShown = new Set<string>();
    for (const [ratio, level] of path) {
      const rec = await stepTo(h(), d, ratio);
      await expectBadge(h(), expectedBadge(rec.risk!.riskRatio!, level));
      // Shown, not only requested (chrome.notifications.getAll), checked at each step: a
      // notification that is not sticky may time out of the list before the path ends.
      for (const id of Object.keys(await shownNotifications(h().b.sw()))) seenShown.add(id);
      // The overlay is sent changed figures at most every OVERLAY_FIGURES_CALM_MS (calm account).
      await expect
        .poll(async () => (await overlayRatio(d.page!, KEY))?.percent, { timeout: OVERLAY_FIGURES_CALM_MS + 3000 })
        .toBe(formatPercent(rec.risk!.marginRatio, RATIO_TITLE_DECIMALS));
    }
    // Let any late or duplicate delivery show up before counting.
    await new Promise((r) => setTimeout(r, 1500));
    expect(levelNotices(h()).map((n) => n.level)).toEqual([0.5, 0.7, 0.8]);
    expect(levelNotices(h())[1]!.title).toMatch(/margin ratio 7\d\.\d %/);
    expect(levelNotices(h())[2]!.title).toMatch(/margin ratio 8\d\.\d %/);
    expect(noticesOfKind(h(), 'stale')).toEqual([]);
    // Delivered, not only requested: each level notification was shown.
    for (const n of noticesOfKind(h(), 'level')) expect([...seenShown]).toContain(n.id);
    await screenshot(d.page!, 'overlay-falling-path');
  }, 90_000);
});

describe('price oscillates around 80 %', () => {
  const h = useHarness();
  itWhen(['reader'], 'one notification while the ratio hovers at the level', async () => {
    await setAlertSettings(h(), { positionDistance: 0 }); // position-distance alerts off: count level alerts alone
    const d = await openDemoAccount(h());
    await stepTo(h(), d, '0.76');
    const before = h().server.spyEvents.filter((e) => e.kind === 'notifications.create').length;
    for (const r of ['0.81', '0.79', '0.805', '0.785', '0.82', '0.795', '0.81', '0.78']) await stepTo(h(), d, r);
    await new Promise((r) => setTimeout(r, 1500));
    const during = h().server.spyEvents.filter((e) => e.kind === 'notifications.create').slice(before);
    expect(during).toHaveLength(1);
    expect(levelNotices(h()).filter((n) => n.level === 0.8)).toHaveLength(1);
  }, 90_000);
});

describe('exchange tab closed', () => {
  const h = useHarness();
  itWhen(['reader'], 'monitoring continues from the stream: ratio, badge and the next crossings', async () => {
    const d = await openDemoAccount(h());
    await stepTo(h(), d, '0.6');
    await d.page!.close();
    d.page = null;
    const rec = await stepTo(h(), d, '0.74');
    await expectBadge(h(), expectedBadge(rec.risk!.riskRatio!, 0.7));
    await stepTo(h(), d, '0.83');
    await new Promise((r) => setTimeout(r, 1000));
    expect(levelNotices(h()).map((n) => n.level)).toEqual([0.5, 0.7, 0.8]);
    expect(h().server.streams.connections('binance')).toBe(1);
    const popup = await openPopup(h().b);
    await expect.poll(async () => (await popupRatio(popup, KEY))?.exact, { timeout: 5000 }).toBe((await readAccount(h().b.sw(), KEY))!.risk!.marginRatio);
    await popup.close();
  }, 90_000);
});

describe('service worker stopped mid-path', () => {
  const h = useHarness();
  itWhen(['reader'], 'it comes back, the crossing made while it was down is notified, the earlier one is not repeated', async () => {
    const d: Driver = await openDemoAccount(h());
    await stepTo(h(), d, '0.55');
    await stepTo(h(), d, '0.73');
    await new Promise((r) => setTimeout(r, 1200)); // let the throttled state writes land
    expect(levelNotices(h()).map((n) => n.level)).toEqual([0.5, 0.7]);
    const starts = workerStarts(h().server).length;
    await stopServiceWorker(h().b);
    const stoppedAt = Date.now();
    pushRatio(h(), d, '0.83'); // the market moves while the worker is down; nothing reaches it
    // Nothing wakes it but its own watchdog alarm (period 30 s) while the page does not change.
    const restarted = await waitForWorkerStart(h().server, starts, 45_000);
    expect(restarted).toBeGreaterThan(stoppedAt);
    await waitForEvaluation(h(), d, 20_000);
    await new Promise((r) => setTimeout(r, 1500));
    const levels = levelNotices(h());
    expect(levels.map((n) => n.level)).toEqual([0.5, 0.7, 0.8]);
    expect(levels[2]!.worker).toBe(restarted);
    expect(await readBadge(h().b.sw())).toEqual(expectedBadge((await readAccount(h().b.sw(), KEY))!.risk!.riskRatio!, 0.8));
  }, 120_000);
});

describe('stream drops and refuses', () => {
  const h = useHarness();
  itWhen(['reader', 'popup', 'overlay'], 'STALE badge and one notification, then recovery when the stream returns', async () => {
    // Product timer: prices stale after 5 s (the shortest the settings accept) instead of 60 s.
    await setAlertSettings(h(), { priceMaxAgeMs: 5000 });
    const d = await openDemoAccount(h());
    const rec0 = await stepTo(h(), d, '0.45');
    // Refuse long enough to cover staleness (5 s) plus the worker's 30 s watchdog that notices it.
    h().server.streams.refuse(45_000);
    await expect.poll(() => readBadge(h().b.sw()), { timeout: 50_000, interval: 500 }).toEqual({ text: 'STALE', color: expectedStaleColor() });
    // The spy's report of the notice travels by fetch and may land just after the badge reads STALE.
    await expect.poll(() => noticesOfKind(h(), 'stale').length, { timeout: 5000, interval: 200 }).toBe(1);
    const popup = await openPopup(h().b);
    await expect.poll(() => popup.locator(`section${accountAttr(KEY)} [data-state="stale"]`).count(), { timeout: 5000 }).toBe(1);
    await screenshot(popup, 'popup-stale');
    await expect.poll(async () => (await overlayRatio(d.page!, KEY))?.status, { timeout: 5000 }).toMatch(/^stale/);
    await screenshot(d.page!, 'overlay-stale');
    // Still refused: no second notice for the same episode.
    await new Promise((r) => setTimeout(r, 3000));
    expect(noticesOfKind(h(), 'stale')).toHaveLength(1);
    // Recovery: the server accepts again; the client reconnects (backoff, or the watchdog) and prices flow.
    const rec = await waitFor(
      async () => {
        const r = await readAccount(h().b.sw(), KEY);
        return r && r.stale === null && r.marks.BTCUSDT && r.marks.BTCUSDT.time > Date.now() - 3000 ? r : null;
      },
      { timeoutMs: 75_000, intervalMs: 500, what: 'fresh prices after the stream came back' },
    );
    expect(rec.risk!.riskRatio).toBe(rec0.risk!.riskRatio);
    await expectBadge(h(), expectedBadge(rec.risk!.riskRatio!, null));
    await expect.poll(() => popup.locator(`section${accountAttr(KEY)} [data-state="stale"]`).count(), { timeout: 5000 }).toBe(0);
    expect(noticesOfKind(h(), 'stale')).toHaveLength(1);
    await popup.close();
  }, 180_000);
});

describe('page layout not recognised', () => {
  const h = useHarness();
  itWhen(['reader', 'popup', 'overlay'], 'popup and overlay say so and show no number', async () => {
    // A redesign: the positions grid's column labels are ones the reader does not know.
    const relabelled = fixtureHtml('binance')
      .replace(/<div class="css-th">Symbol<\/div>/, '<div class="css-th">Pair</div>')
      .replace(/<div class="css-th">Size<\/div>/, '<div class="css-th">Qty</div>')
      .replace(/<div class="css-th">Entry Price<\/div>/, '<div class="css-th">Open Avg.</div>')
      .replace(/<div class="css-th">Mark Price<\/div>/, '<div class="css-th">Ref. Px</div>');
    h().server.setPage(PAGE_HOSTS.binance, relabelled);
    const page = await h().b.context.newPage();
    await page.goto(EXCHANGE_PAGES.binance.url);
    const rec = await waitFor(async () => (await readAccount(h().b.sw(), KEY))?.health && (await readAccount(h().b.sw(), KEY)), { what: 'a read of the page' });
    expect(rec.health!.status).toBe('unrecognized');
    expect(rec.risk).toBeNull();

    const popup = await openPopup(h().b);
    const notice = popup.locator(`section${accountAttr(KEY)} [data-state="unrecognized"]`);
    await expect.poll(() => notice.count(), { timeout: 5000 }).toBe(1);
    expect(await notice.innerText()).toMatch(/Page not recognised/);
    expect(await popupRatio(popup, KEY)).toBeNull(); // no gauge, no number
    expect(await popup.locator(`section${accountAttr(KEY)}`).innerText()).not.toMatch(/\d+(\.\d+)? %/);
    await screenshot(popup, 'popup-unrecognised');

    await expect.poll(async () => (await overlayRatio(page, KEY))?.status, { timeout: 5000 }).toMatch(/^page not recognised/);
    expect((await overlayRatio(page, KEY))!.text).toBe(UNKNOWN);
    await screenshot(page, 'overlay-unrecognised');
    expect(await readBadge(h().b.sw())).not.toMatchObject({ text: expect.stringMatching(/^\d+%$/) });
  });
});

describe('screenshots', () => {
  const h = useHarness();
  itWhen(['reader', 'popup', 'options', 'overlay'], 'popup, options and overlay at a high ratio, saved under test-artifacts/', async () => {
    const d = await openDemoAccount(h());
    await stepTo(h(), d, '0.83');
    const popup = await openPopup(h().b);
    await expect.poll(async () => (await popupRatio(popup, KEY))?.exact, { timeout: 5000 }).not.toBeUndefined();
    const shots = [await screenshot(popup, 'popup')];
    const options = await h().b.openExtensionPage('options.html');
    await options.locator('form[novalidate]').waitFor(); // the settings form (the API-key forms are others)
    shots.push(await screenshot(options, 'options'));
    await d.page!.bringToFront();
    await d.page!.locator('margin-sentinel-overlay .ms-toggle').click();
    await d.page!.locator('margin-sentinel-overlay .ms-pos').waitFor();
    shots.push(await screenshot(d.page!, 'overlay'));
    expect(shots.map((s) => s.split(/[\\/]/).pop())).toEqual(['popup.png', 'options.png', 'overlay.png']);
  });
});

function expectedStaleColor() {
  return [97, 97, 97, 255]; // BADGE_COLORS.stale #616161
}
