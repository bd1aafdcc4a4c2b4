/**
 * Screenshots for the README and docs/install.md, made from the built extension in real browsers
 * against the loopback harness (the demo account at ~86 % margin ratio): `npm run docs:screenshots`.
 *
 * Chromium: chrome://extensions with Developer mode on, popup in light and dark (prefers-color-scheme),
 * options, welcome page. Firefox: about:debugging (Load Temporary Add-on), popup and welcome page.
 * Writes docs/*.png. Look at them: no empty boxes for missing glyphs (GlyphText, issue 15).
 */
import { join } from 'node:path';
import type { Page as PwPage } from 'playwright-core';
import { openDemoAccount, stepTo } from '../harness/alert-steps';
import { firefoxLive, gotoExtensionPage, startFirefoxHarness } from '../harness/firefox';
import { ROOT } from '../harness/paths';
import { accountAttr, openPopup } from '../harness/product';
import { startHarness } from '../harness/start';

const DOCS = join(ROOT, 'docs');
const KEY = 'binance-usdm';

async function chromium(): Promise<void> {
  const h = await startHarness({ viewport: { width: 480, height: 640 } });
  try {
    const d = await openDemoAccount(h);
    await stepTo(h, d, '0.86');
    const popup: PwPage = await openPopup(h.b);
    await popup.locator(`section${accountAttr(KEY)} .gauge-value`).waitFor({ timeout: 5000 });
    for (const scheme of ['light', 'dark'] as const) {
      await popup.emulateMedia({ colorScheme: scheme });
      await popup.screenshot({ path: join(DOCS, `popup-${scheme}.png`), fullPage: true });
    }
    const options = await h.b.openExtensionPage('options.html');
    await options.setViewportSize({ width: 760, height: 900 });
    await options.locator('#opt-levels').waitFor({ timeout: 5000 });
    await options.screenshot({ path: join(DOCS, 'options.png'), fullPage: false });
    // The browser's own page where the unpacked extension is loaded (docs/install.md step 2–3).
    const ext = await h.b.context.newPage();
    await ext.setViewportSize({ width: 1000, height: 560 });
    await ext.goto('chrome://extensions');
    await ext.locator('#devMode').click();
    await ext.locator('#loadUnpacked').waitFor({ timeout: 5000 });
    await ext.waitForTimeout(500);
    await ext.screenshot({ path: join(DOCS, 'install-chrome.png') });
    await ext.close();
    const welcome = await h.b.openExtensionPage('welcome.html');
    await welcome.setViewportSize({ width: 760, height: 700 });
    await welcome.locator('#w-test').waitFor({ timeout: 5000 });
    await welcome.screenshot({ path: join(DOCS, 'welcome-chrome.png'), fullPage: true });
  } finally {
    await h.close();
  }
}

async function firefox(): Promise<void> {
  const h = await startFirefoxHarness();
  try {
    const live = firefoxLive(h);
    const d = await openDemoAccount(live);
    await stepTo(live, d, '0.86');
    const popup = await h.ff.browser.newPage();
    await popup.setViewport({ width: 480, height: 640 });
    await gotoExtensionPage(popup, h.ff.extensionUrl('popup.html'));
    await popup.waitForSelector(`section${accountAttr(KEY)} .gauge-value`);
    await popup.screenshot({ path: join(DOCS, 'popup-firefox.png') as `${string}.png`, fullPage: true });
    // The page where Firefox loads a package for one session (docs/install.md).
    const dbg = await h.ff.browser.newPage();
    await dbg.setViewport({ width: 1000, height: 560 });
    await dbg.goto('about:debugging#/runtime/this-firefox', { timeout: 10_000 }).catch(() => {});
    await new Promise((r) => setTimeout(r, 1500));
    await dbg.screenshot({ path: join(DOCS, 'install-firefox.png') as `${string}.png` });
    await dbg.close();
    const welcome = await h.ff.browser.newPage();
    await welcome.setViewport({ width: 760, height: 700 });
    await gotoExtensionPage(welcome, h.ff.extensionUrl('welcome.html'));
    await welcome.waitForSelector('#w-test');
    await welcome.screenshot({ path: join(DOCS, 'welcome-firefox.png') as `${string}.png`, fullPage: true });
  } finally {
    await h.close();
  }
}

await chromium();
await firefox();
console.log('docs/install-chrome.png docs/install-firefox.png docs/popup-light.png docs/popup-dark.png docs/options.png docs/welcome-chrome.png docs/popup-firefox.png docs/welcome-firefox.png');
