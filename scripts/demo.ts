/**
 * `npm run demo`: Margin Sentinel on a replayed market, end to end, on this machine only.
 *
 * Builds the extension if needed, serves a demo Binance USDⓈ-M futures page (www.binance.com,
 * on loopback through Chromium's host mapping; every figure on it computed from its account by
 * the margin engine) and a Binance mark-price stream (fstream.binance.com, loopback), then
 * replays a price fall that takes the account from about 40 % to past 80 % margin ratio.
 *
 * With a display ($DISPLAY set) Chromium opens a visible window and stays open at the end until
 * Ctrl+C (DEMO_EXIT=1: close at once). Without one it runs headless. Either way it prints the
 * timeline (price, the page's ratio, the extension's ratio, badge, notifications), checks that
 * the overlay shows the engine's ratio at every step and that 70 % and 80 % were each notified
 * once, writes screenshots to test-artifacts/demo/, and exits 0 (1 if a check failed).
 *
 * Options (env): DEMO_STEP_MS (default 1500 headless, 2500 visible), HEADLESS=1 to force headless.
 * `npm run demo -- --margin`: the spot margin scenario instead (Binance Cross Margin, scripts/demo-margin.ts).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Decimal } from 'decimal.js';
import type { Page } from 'playwright-core';
import { binanceAppHtml, binancePageHtml, demoAccount, demoRisk, DEMO_MARKS, type Marks } from '../harness/binance-demo';
import { ensureExtensionBuilt } from '../harness/build';
import { notificationCalls, readBadge, waitFor } from '../harness/extension';
import { startHarness } from '../harness/start';
import { EXCHANGE_PAGES } from '../harness/hosts';
import { landedParts } from '../harness/parts';
import { ARTIFACTS_DIR } from '../harness/paths';
import { accountAttr, isNoticeOf, openPopup, overlayRatio, readAccount } from '../harness/product';
import { formatPercent } from '../lib/view/format';
import { RATIO_TITLE_DECIMALS } from '../lib/view/overlay';
import { OVERLAY_FIGURES_CALM_MS } from '../lib/background/overlay-feed';
import { reportAndWait } from './demo-report';

const KEY = 'binance-usdm';
const visible = !!process.env.DISPLAY && process.env.HEADLESS !== '1';
const stepMs = Number(process.env.DEMO_STEP_MS ?? (visible ? 2500 : 1500));
const shotsDir = join(ARTIFACTS_DIR, 'demo');

/** Risk-ratio targets of the replay: a slide from 40 %, a bounce under 70 %, then past 80 %. */
const PATH = ['0.40', '0.46', '0.52', '0.58', '0.64', '0.68', '0.72', '0.69', '0.66', '0.71', '0.75', '0.78', '0.81', '0.84', '0.86'];

const acct = demoAccount();

/** Marks with BTC and ETH both down by `fall` (fraction) from the opening marks. */
function marksAfterFall(fall: Decimal): Marks {
  const k = new Decimal(1).minus(fall);
  return Object.fromEntries(Object.entries(DEMO_MARKS).map(([s, p]) => [s, new Decimal(p).mul(k).toFixed(2)]));
}

/** The market-wide fall (fraction, bisection with the engine) that puts the account at risk ratio `target`. */
function marksForRatio(target: string): Marks {
  const t = new Decimal(target);
  let lo = new Decimal(0);
  let hi = new Decimal('0.2');
  for (let i = 0; i < 60; i++) {
    const mid = lo.plus(hi).div(2);
    const r = demoRisk(acct, marksAfterFall(mid)).riskRatio;
    if (r !== null && new Decimal(r).lt(t)) lo = mid;
    else hi = mid;
  }
  return marksAfterFall(hi);
}

const pct = (fraction: string | null | undefined) => (fraction == null ? '—' : `${new Decimal(fraction).mul(100).toFixed(2)} %`);

async function main(): Promise<number> {
  process.stdout.write('Building the extension (if sources changed)…\n');
  ensureExtensionBuilt();
  const parts = landedParts();
  const missing = (['reader', 'overlay', 'popup'] as const).filter((p) => !parts[p]);
  if (missing.length) process.stdout.write(`Note: not built yet: ${missing.join(', ')}; the checks that need them are skipped.\n`);

  let marks: Marks = { ...DEMO_MARKS };
  const h = await startHarness({ headless: !visible, viewport: visible ? { width: 1400, height: 900 } : undefined });
  const failures: string[] = [];
  try {
    h.server.setPage('www.binance.com', (_req, url) =>
      url.pathname === '/__demo/app'
        ? { type: 'text/html; charset=utf-8', body: binanceAppHtml(acct, marks) }
        : binancePageHtml(binanceAppHtml(acct, marks), { title: 'BTCUSDT Perpetual (Margin Sentinel demo)', livePath: '/__demo/app', pollMs: 500 }),
    );
    for (const [s, p] of Object.entries(marks)) h.server.streams.setMark('binance', s, p);
    process.stdout.write(`Chromium ${visible ? 'window' : 'headless'}; loopback server on 127.0.0.1:${h.server.port}\n`);

    const page = await h.b.context.newPage();
    await page.goto(EXCHANGE_PAGES.binance.url);
    if (parts.reader) await waitFor(async () => (await readAccount(h.b.sw(), KEY))?.risk, { timeoutMs: 15_000, what: 'the extension to read the demo page' });

    process.stdout.write(`\n${'t (s)'.padEnd(7)}${'BTCUSDT'.padEnd(12)}${'page ratio'.padEnd(12)}${'extension'.padEnd(12)}${'overlay'.padEnd(10)}${'badge'.padEnd(8)}notifications\n`);
    const t0 = Date.now();
    let seen = 0;
    for (const target of PATH) {
      marks = marksForRatio(target);
      for (const [s, p] of Object.entries(marks)) h.server.streams.setMark('binance', s, p);
      const want = demoRisk(acct, marks);
      let ext: string | null | undefined;
      if (parts.reader) {
        const rec = await waitFor(
          async () => {
            const r = await readAccount(h.b.sw(), KEY);
            return r && r.marks.BTCUSDT?.price === marks.BTCUSDT && r.risk?.riskRatio === want.riskRatio ? r : null;
          },
          { timeoutMs: 15_000, what: `the extension to evaluate BTCUSDT ${marks.BTCUSDT}` },
        ).catch((e: Error) => (failures.push(e.message), null));
        ext = rec?.risk?.marginRatio;
        if (ext !== want.marginRatio) failures.push(`at ${target}: extension ratio ${ext} ≠ engine ${want.marginRatio}`);
      }
      let ov = '—';
      if (parts.overlay && parts.reader) {
        const shown = await waitFor(async () => ((await overlayRatio(page, KEY))?.percent === formatPercent(want.marginRatio, RATIO_TITLE_DECIMALS) ? overlayRatio(page, KEY) : null), {
          timeoutMs: OVERLAY_FIGURES_CALM_MS + 3000, // changed figures reach a calm overlay at most every 10 s
          what: 'the overlay',
        }).catch(() => null);
        if (!shown) failures.push(`at ${target}: overlay does not show the engine ratio ${want.marginRatio}`);
        ov = shown?.text ?? 'stale';
      }
      await new Promise((r) => setTimeout(r, 300)); // badge and notification delivery follow the evaluation
      const badge = await readBadge(h.b.sw());
      const calls = notificationCalls(h.server);
      const fresh = calls.slice(seen).map((c) => c.title);
      seen = calls.length;
      process.stdout.write(
        `${((Date.now() - t0) / 1000).toFixed(1).padEnd(7)}${marks.BTCUSDT!.padEnd(12)}${pct(want.marginRatio).padEnd(12)}${pct(ext).padEnd(12)}${ov.padEnd(10)}${(badge.text || '—').padEnd(8)}${fresh.join(' | ')}\n`,
      );
      await new Promise((r) => setTimeout(r, stepMs));
    }

    const levels = notificationCalls(h.server)
      .filter((n) => isNoticeOf(n.id, KEY, 'level'))
      .map((n) => Number(n.id!.split('|')[3]));
    for (const l of [0.7, 0.8]) {
      const n = levels.filter((x) => x === l).length;
      if (parts.reader && n !== 1) failures.push(`the ${l * 100} % level was notified ${n} times (expected once)`);
    }

    mkdirSync(shotsDir, { recursive: true });
    const shots: string[] = [];
    const shot = async (p: Page, name: string) => {
      const path = join(shotsDir, `${name}.png`);
      await p.screenshot({ path, fullPage: true });
      shots.push(path);
    };
    if (parts.overlay) {
      await page.locator('margin-sentinel-overlay .ms-toggle').click().catch(() => {});
    }
    await shot(page, 'exchange-page-with-overlay');
    if (parts.popup) {
      const popup = await openPopup(h.b);
      await popup.locator(`section${accountAttr(KEY)} .gauge-value`).waitFor({ timeout: 5000 }).catch(() => {});
      await shot(popup, 'popup');
      if (!visible) await popup.close();
    }
    if (parts.options) {
      const options = await h.b.openExtensionPage('options.html');
      await shot(options, 'options');
      if (!visible) await options.close();
    }
    await page.bringToFront();

    await reportAndWait({
      levelsLine: `Level notifications: ${levels.map((l) => `${l * 100} %`).join(', ') || 'none'}`,
      shots,
      failures,
      passed: 'the extension and the overlay showed the engine ratio at every step; 70 % and 80 % notified once each.',
      visible,
      context: h.b.context,
    });
  } finally {
    await h.close();
  }
  return failures.length ? 1 : 0;
}

(process.argv.includes('--margin') ? import('./demo-margin').then((m) => m.marginDemo()) : main()).then(
  (code) => process.exit(code),
  (e) => {
    process.stderr.write(`demo: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
