/**
 * Never silent (issue 12), end to end in Chromium on Binance-layout demo pages (harness/binance-demo.ts,
 * every figure from the engine unless a {@link PageVariant} says otherwise), marks through the
 * loopback Binance stream:
 *
 * - the page hides its PnL figures (`******`) while the account is at ~85 %: popup and badge say the
 *   positions could not be read, the price streams stay subscribed, one notification;
 * - two tabs of the same exchange, two accounts (UID 11111111 at ~85 %, UID 22222222 at ~10 %):
 *   the badge shows the 85 % one;
 * - the page's own script dispatches WXT's "content script started" event (what a newer copy of
 *   our content script sends to make the older one stop): later page changes are still read and
 *   the overlay is still there;
 * - the page shows the exchange's margin ratio at 95 % while our tiers give 40 %: a notification
 *   naming the exchange's 95 %.
 *
 * Each describe gets a fresh browser profile.
 */
import { Decimal } from 'decimal.js';
import { describe, expect } from 'vitest';
import { KEY, expectedBadge, rgba } from '../../harness/alert-steps';
import {
  binanceAppHtml,
  binancePageHtml,
  demoAccount,
  demoRisk,
  DEMO_MARKS,
  walletForRiskRatio,
  type DemoAccount,
  type PageVariant,
} from '../../harness/binance-demo';
import { contentMessages, notificationCalls, readActionTitle, readBadge, sleep, waitFor } from '../../harness/extension';
import { EXCHANGE_PAGES, PAGE_HOSTS } from '../../harness/hosts';
import { openPopup, overlayRatio, readAccount, readAccounts } from '../../harness/product';
import { screenshot, type Harness } from '../../harness/start';
import { itWhen, useHarness } from '../../harness/vitest';
import { formatPercent } from '../../lib/view/format';
import { RATIO_TITLE_DECIMALS } from '../../lib/view/overlay';
import { BADGE_COLORS } from '../../lib/alerts/text';
import { OVERLAY_FIGURES_CALM_MS } from '../../lib/background/overlay-feed';

/** How the product words "the positions could not be read" (popup, badge title, notification). */
const NOT_READ = /(could not|couldn't|cannot|can't|unable to) (be )?read|unreadable|not readable/i;

/** Path the live demo page polls for its `#__APP` HTML (same origin, any query kept). */
const LIVE_PATH = '/__e2e/app';

/** The demo account's positions with the wallet that puts it at risk ratio `target` at the opening marks. */
function accountAt(target: string): DemoAccount {
  const base = demoAccount();
  return { ...base, walletBalance: walletForRiskRatio(base, target, DEMO_MARKS) };
}

/**
 * Serve www.binance.com futures pages whose `#__APP` is `app(url)` now: the page polls
 * {@link LIVE_PATH} every 500 ms and patches itself in place, as React does. Other paths (API
 * calls) get a 404, as from a static page host.
 */
function serveLivePage(h: Harness, app: (url: URL) => string): void {
  h.server.setPage(PAGE_HOSTS.binance, (_req, url) => {
    if (url.pathname === LIVE_PATH) return { type: 'text/html; charset=utf-8', body: app(url) };
    if (!url.pathname.includes('/futures/')) return { status: 404, type: 'application/json', body: '{"code":404,"msg":"not served by the e2e harness"}' };
    return binancePageHtml(app(url), { livePath: `${LIVE_PATH}${url.search}`, pollMs: 500 });
  });
}

/** Push the opening marks (stored by the hub and sent to every subscriber as soon as it subscribes). */
function pushOpeningMarks(h: Harness): void {
  for (const [sym, price] of Object.entries(DEMO_MARKS)) h.server.streams.setMark('binance', sym, price);
}

/** Wait until the background evaluated account `key` at the opening marks to `acct`'s engine risk ratio. */
async function waitForRisk(h: Harness, key: string, acct: DemoAccount) {
  const want = demoRisk(acct, DEMO_MARKS).riskRatio;
  return waitFor(
    async () => {
      const r = await readAccount(h.b.sw(), key);
      return r && r.marks.BTCUSDT?.price === DEMO_MARKS.BTCUSDT && r.risk?.riskRatio === want ? r : null;
    },
    { timeoutMs: 15_000, what: `account ${key} evaluated at risk ratio ${want}` },
  );
}

describe('PnL figures hidden (******) while the account is at ~85 %', () => {
  const h = useHarness();
  itWhen(['reader', 'popup'], 'popup and badge say the positions could not be read; streams stay subscribed; one notification', async () => {
    const acct = accountAt('0.85');
    let variant: PageVariant = {};
    serveLivePage(h(), () => binanceAppHtml(acct, DEMO_MARKS, variant));
    pushOpeningMarks(h());
    const page = await h().b.context.newPage();
    await page.goto(EXCHANGE_PAGES.binance.url);
    await waitForRisk(h(), KEY, acct);
    await waitFor(() => ['BTCUSDT', 'ETHUSDT'].every((s) => h().server.streams.subscribed('binance').includes(s)), { what: 'BTCUSDT and ETHUSDT subscribed' });
    await sleep(1500); // the level notices of the first evaluation land before we count
    const noticesBefore = notificationCalls(h().server).length;
    const framesBefore = h().server.streams.received.length;

    variant = { maskPnl: true }; // the user clicks the "eye": the page patches every PnL figure to ******
    await page.waitForFunction(() => document.querySelectorAll('#__APP .list-row').length > 0 && document.body.innerText.includes('******'));

    const popup = await openPopup(h().b);
    await expect.poll(async () => popup.locator('body').innerText(), { timeout: 15_000 }).toMatch(NOT_READ);
    await screenshot(popup, 'popup-pnl-hidden');
    await expect.poll(() => readActionTitle(h().b.sw()), { timeout: 5000 }).toMatch(NOT_READ);
    const badge = await readBadge(h().b.sw());
    expect(badge.text).not.toBe(''); // never blank while positions are open
    expect(badge.color).not.toEqual(rgba(BADGE_COLORS.ok)); // never green

    await sleep(3000); // long enough for an unsubscription or a repeated notice to show up
    expect(h().server.streams.subscribed('binance')).toEqual(expect.arrayContaining(['BTCUSDT', 'ETHUSDT']));
    const unsubscribes = h().server.streams.received.slice(framesBefore).filter((m) => m.data.includes('UNSUBSCRIBE'));
    expect(unsubscribes).toEqual([]);
    const notices = notificationCalls(h().server).slice(noticesBefore);
    expect(notices).toHaveLength(1);
    expect(`${notices[0]!.title} ${notices[0]!.message}`).toMatch(NOT_READ);
    await popup.close();
  }, 90_000);
});

describe('two tabs of the same exchange, two accounts', () => {
  const h = useHarness();
  itWhen(['reader'], 'UID 11111111 at ~85 % and UID 22222222 at ~10 %: the badge shows 85 %', async () => {
    const high = accountAt('0.85');
    const low = accountAt('0.10');
    const highRatio = demoRisk(high, DEMO_MARKS).riskRatio!;
    const lowRatio = demoRisk(low, DEMO_MARKS).riskRatio!;
    // Same exchange and URL path; `?acct=` only tells the harness which account's page to serve.
    serveLivePage(h(), (url) =>
      url.searchParams.get('acct') === 'low' ? binanceAppHtml(low, DEMO_MARKS, { uid: '22222222' }) : binanceAppHtml(high, DEMO_MARKS, { uid: '11111111' }),
    );
    pushOpeningMarks(h());
    const urlHigh = `${EXCHANGE_PAGES.binance.url}?acct=high`;
    const urlLow = `${EXCHANGE_PAGES.binance.url}?acct=low`;
    const tabHigh = await h().b.context.newPage();
    await tabHigh.goto(urlHigh);
    await waitFor(() => contentMessages(h().server, urlHigh).length > 0, { what: 'a read of the 85 % tab' });
    // The 10 % tab is read last: a background that keeps one account per exchange shows its 10 %.
    const tabLow = await h().b.context.newPage();
    await tabLow.goto(urlLow);
    await waitFor(() => contentMessages(h().server, urlLow).length > 0, { what: 'a read of the 10 % tab' });

    // Two accounts, each evaluated to its own ratio, each known by the UID its page shows.
    const binance = async () => Object.values(await readAccounts(h().b.sw())).filter((r) => r.exchange === 'binance-usdm');
    await expect.poll(async () => (await binance()).map((r) => r.risk?.riskRatio ?? null).sort(), { timeout: 15_000 }).toEqual([highRatio, lowRatio].sort());
    expect((await binance()).map((r) => r.identity ?? null).sort()).toEqual(['uid:11111111', 'uid:22222222']);
    const want = expectedBadge(highRatio, 0.8);
    await expect.poll(() => readBadge(h().b.sw()), { timeout: 5000 }).toEqual(want);
    // And it stays there while both tabs keep being read.
    for (let i = 0; i < 6; i++) {
      await sleep(500);
      expect(await readBadge(h().b.sw())).toEqual(want);
    }
    await tabHigh.close();
    await tabLow.close();
  }, 90_000);
});

describe("the page's own script dispatches WXT's content-script-started event", () => {
  const h = useHarness();
  itWhen(['reader', 'overlay'], 'later page changes are still read and the overlay is still there', async () => {
    let acct = accountAt('0.40');
    serveLivePage(h(), () => binanceAppHtml(acct, DEMO_MARKS));
    pushOpeningMarks(h());
    const page = await h().b.context.newPage();
    await page.goto(EXCHANGE_PAGES.binance.url);
    await waitForRisk(h(), KEY, acct);
    await expect.poll(async () => (await overlayRatio(page, KEY))?.text, { timeout: 10_000 }).toBeTruthy();

    // What WXT's ContentScriptContext sends when a newer copy of a content script starts
    // (node_modules/wxt/dist/utils/content-script-context.mjs `stopOldScripts`): a CustomEvent on
    // `document` named `<extension id>:<entrypoint>:wxt:content-script-started` with detail
    // `{ contentScriptName, messageId }`, and the same as a window message. The older copy
    // invalidates itself on the CustomEvent. Our entrypoints: `content` (reader), `overlay`.
    const dispatched = await page.evaluate((extId) => {
      const names = ['content', 'overlay'];
      for (const name of names) {
        const type = `${extId}:${name}:wxt:content-script-started`;
        document.dispatchEvent(new CustomEvent(type, { detail: { contentScriptName: name, messageId: 'page-script' } }));
        window.postMessage({ type, contentScriptName: name, messageId: 'page-script' }, '*');
      }
      return names.length;
    }, h().b.extensionId);
    expect(dispatched).toBe(2);
    await sleep(1000);

    // The page changes afterwards: a deposit moves the account to ~20 %.
    acct = accountAt('0.20');
    const rec = await waitForRisk(h(), KEY, acct);
    expect(new Decimal(rec.snapshot!.walletBalance!).eq(acct.walletBalance)).toBe(true); // read from the page (it writes `1,400.00`)
    expect(await page.locator('margin-sentinel-overlay').count()).toBe(1);
    await expect
      .poll(async () => (await overlayRatio(page, KEY))?.percent, { timeout: OVERLAY_FIGURES_CALM_MS + 5000 })
      .toBe(formatPercent(rec.risk!.marginRatio, RATIO_TITLE_DECIMALS));
    await screenshot(page, 'overlay-after-started-event');
  }, 90_000);
});

describe("the exchange shows 95 % while our tiers give less", () => {
  const h = useHarness();
  itWhen(['reader'], "a notification names the exchange's 95 %", async () => {
    const acct = demoAccount(); // 40 % by our tiers
    expect(Number(demoRisk(acct, DEMO_MARKS).marginRatio)).toBeLessThan(0.5);
    serveLivePage(h(), () => binanceAppHtml(acct, DEMO_MARKS, { exchangeMarginRatio: '0.95' }));
    pushOpeningMarks(h());
    const page = await h().b.context.newPage();
    await page.goto(EXCHANGE_PAGES.binance.url);
    await waitFor(async () => (await readAccount(h().b.sw(), KEY))?.snapshot, { what: 'the page read' });
    const naming95 = () => notificationCalls(h().server).filter((n) => /\b95(\.0+)? ?%/.test(`${n.title} ${n.message}`));
    await waitFor(() => naming95().length > 0, { timeoutMs: 20_000, what: "a notification naming the exchange's 95 %" });
    await sleep(3000); // a repeat would show up here
    const notices = naming95();
    expect(notices).toHaveLength(1);
    expect(`${notices[0]!.title} ${notices[0]!.message}`).toMatch(/Binance|exchange/i);
  }, 60_000);
});
