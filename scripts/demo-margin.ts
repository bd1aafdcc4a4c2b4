/**
 * `npm run demo -- --margin`: the spot margin scenario (issue 16). Serves a Binance Cross Margin
 * page (www.binance.com/en/trade/BTC_USDT?type=cross on loopback; the "Margin Level" it shows is
 * computed by the engine at the current prices and refreshed every second) and Binance's public
 * spot stream (stream.binance.com, loopback, miniTicker), then replays a fall of BTC and ETH that
 * takes the account from a margin level of about 2.5 to below 1.3. Prints the timeline (prices,
 * the page's level, the extension's level, badge, notifications), checks that 2.0, 1.5 and 1.3
 * were each notified once and that the extension's level is the engine's, writes screenshots to
 * test-artifacts/demo/. Exit 0, or 1 when a check failed.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Decimal } from 'decimal.js';
import { evaluateSpotMargin } from '../lib/engine/spotMargin';
import type { SpotMarginSnapshot } from '../lib/engine/snapshot';
import { marginLevelText } from '../lib/alerts/margin';
import { ensureExtensionBuilt } from '../harness/build';
import { notificationCalls, readBadge, waitFor } from '../harness/extension';
import { startHarness } from '../harness/start';
import { ARTIFACTS_DIR } from '../harness/paths';
import { openPopup } from '../harness/product';
import { reportAndWait } from './demo-report';

const URL = 'https://www.binance.com/en/trade/BTC_USDT?type=cross';
const KEY = 'binance-margin:cross';
const visible = !!process.env.DISPLAY && process.env.HEADLESS !== '1';
const stepMs = Number(process.env.DEMO_STEP_MS ?? (visible ? 2500 : 1200));
const OPEN = { BTC: '64000', ETH: '3100', BNB: '580' } as const;
/** Margin levels the replay walks through (a slide, a bounce above 1.5, then below 1.3). */
const PATH = ['2.5', '2.3', '2.1', '1.95', '1.8', '1.65', '1.55', '1.45', '1.52', '1.42', '1.35', '1.28', '1.2'];

const account = (p: Record<string, string>): SpotMarginSnapshot => ({
  kind: 'spot-margin', exchange: 'binance-margin', mode: 'cross', variant: 'classic', quoteAsset: 'USDT', pairs: [],
  assets: [
    { asset: 'USDT', free: '120.5', locked: '0', borrowed: '3000', interest: '1.25', price: '1' },
    { asset: 'BTC', free: '0.08', locked: '0.01', borrowed: '0', interest: '0', price: p.BTC! },
    { asset: 'ETH', free: '1.5', locked: '0', borrowed: '0', interest: '0', price: p.ETH! },
    { asset: 'BNB', free: '0', locked: '0', borrowed: '2', interest: '0.0004', price: p.BNB! },
  ],
});
const levelAt = (p: Record<string, string>) => evaluateSpotMargin(account(p)).marginLevel!;

/** BTC and ETH down by the same fraction (bisection with the engine) to reach `target`. */
function pricesFor(target: string): Record<string, string> {
  let lo = new Decimal(-0.5);
  let hi = new Decimal(0.9);
  const at = (f: Decimal) => ({ BTC: new Decimal(OPEN.BTC).mul(new Decimal(1).minus(f)).toFixed(2), ETH: new Decimal(OPEN.ETH).mul(new Decimal(1).minus(f)).toFixed(2), BNB: OPEN.BNB });
  for (let i = 0; i < 60; i++) {
    const mid = lo.plus(hi).div(2);
    if (new Decimal(levelAt(at(mid))).gt(target)) lo = mid;
    else hi = mid;
  }
  return at(hi);
}

const n = (s: string) => Number(s).toLocaleString('en-US', { minimumFractionDigits: 8, maximumFractionDigits: 8 });
function pageHtml(level: string): string {
  const a = account(OPEN).assets;
  const row = (x: (typeof a)[number]) => {
    const held = new Decimal(x.free).plus(x.locked);
    const eq = held.minus(x.borrowed).minus(x.interest);
    return `<tr><td>${x.asset}</td><td>${n(held.toFixed())}</td><td>${n(x.free)}</td><td>${n(x.locked)}</td><td>${n(x.borrowed)}</td><td>${n(x.interest)}</td><td>${n(eq.toFixed())}</td></tr>`;
  };
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>BTC/USDT Cross Margin (Margin Sentinel demo)</title>
<style>body{font:14px system-ui;margin:24px;background:#181a20;color:#eaecef}table{border-collapse:collapse}td,th{padding:4px 10px;text-align:right}.k{color:#848e9c}.v{font-size:28px}</style></head>
<body><h1>BTC/USDT · Cross 3x</h1>
<div class="css-kv"><div class="k">Margin Level</div><div class="v" id="lvl">${marginLevelText(level)}</div></div>
<div role="tablist"><div role="tab" aria-selected="true">Assets</div></div>
<div role="tabpanel"><table><thead><tr><th>Coin</th><th>Total Balance</th><th>Available</th><th>In Order</th><th>Borrowed</th><th>Interest</th><th>Equity</th></tr></thead>
<tbody>${a.map(row).join('')}</tbody></table></div>
<script>setInterval(()=>fetch('/__margin/level').then(r=>r.text()).then(t=>{document.getElementById('lvl').textContent=t}),1000)</script>
</body></html>`;
}

export async function marginDemo(): Promise<number> {
  process.stdout.write('Building the extension (if sources changed)…\n');
  ensureExtensionBuilt();
  let prices: Record<string, string> = pricesFor(PATH[0]!);
  const h = await startHarness({ headless: !visible, viewport: visible ? { width: 1400, height: 900 } : undefined });
  const failures: string[] = [];
  const readRecord = async () =>
    (await h.b.sw().evaluate(async (k) => (((await (globalThis as any).chrome.storage.local.get('marginAccounts')).marginAccounts ?? {}) as Record<string, unknown>)[k] ?? null, KEY)) as { risk?: { marginLevel: string | null } } | null;
  try {
    h.server.setPage('www.binance.com', (_req, url) => (url.pathname === '/__margin/level' ? { type: 'text/plain', body: marginLevelText(levelAt(prices)) } : pageHtml(levelAt(prices))));
    for (const [s, p] of Object.entries(prices)) h.server.spot.setPrice(`${s}USDT`, p);
    process.stdout.write(`Chromium ${visible ? 'window' : 'headless'}; loopback server on 127.0.0.1:${h.server.port}\n`);
    const page = await h.b.context.newPage();
    await page.goto(URL);
    await waitFor(async () => (await readRecord())?.risk?.marginLevel ?? null, { timeoutMs: 20_000, what: 'the extension to read the margin page' });
    process.stdout.write(`\n${'t (s)'.padEnd(7)}${'BTCUSDT'.padEnd(11)}${'ETHUSDT'.padEnd(10)}${'page'.padEnd(7)}${'extension'.padEnd(11)}${'badge'.padEnd(7)}notifications\n`);
    const t0 = Date.now();
    let seen = 0;
    for (const target of PATH) {
      prices = pricesFor(target);
      const want = levelAt(prices);
      for (const [s, p] of Object.entries(prices)) h.server.spot.setPrice(`${s}USDT`, p);
      const rec = await waitFor(async () => {
        const r = await readRecord();
        return r?.risk?.marginLevel === want ? r : null;
      }, { timeoutMs: 15_000, what: `the extension to evaluate level ${want}` }).catch((e: Error) => (failures.push(e.message), null));
      await new Promise((r) => setTimeout(r, 300));
      const badge = await readBadge(h.b.sw());
      const calls = notificationCalls(h.server);
      const fresh = calls.slice(seen).map((c) => c.title);
      seen = calls.length;
      process.stdout.write(`${((Date.now() - t0) / 1000).toFixed(1).padEnd(7)}${prices.BTC!.padEnd(11)}${prices.ETH!.padEnd(10)}${marginLevelText(want).padEnd(7)}${marginLevelText(rec?.risk?.marginLevel ?? null).padEnd(11)}${(badge.text || '—').padEnd(7)}${fresh.join(' | ')}\n`);
      await new Promise((r) => setTimeout(r, stepMs));
    }
    const levels = notificationCalls(h.server).filter((c) => c.id?.startsWith(`ms|${KEY}|level|`)).map((c) => (1.1 / Number(c.id!.split('|')[3])).toFixed(2));
    for (const l of ['2.00', '1.50', '1.30']) {
      const k = levels.filter((x) => x === l).length;
      if (k !== 1) failures.push(`margin level ${l} was notified ${k} times (expected once)`);
    }
    const shotsDir = join(ARTIFACTS_DIR, 'demo');
    mkdirSync(shotsDir, { recursive: true });
    const shots = [join(shotsDir, 'margin-page.png'), join(shotsDir, 'margin-popup.png')];
    await page.screenshot({ path: shots[0]!, fullPage: true });
    const popup = await openPopup(h.b);
    await popup.locator('[data-kind="spot-margin"]').waitFor({ timeout: 5000 }).catch(() => {});
    await popup.screenshot({ path: shots[1]!, fullPage: true });
    await reportAndWait({
      levelsLine: `Level notifications (margin level): ${levels.join(', ') || 'none'}`,
      shots,
      failures,
      passed: "the extension showed the engine's margin level at every step; 2.0, 1.5 and 1.3 notified once each.",
      visible,
      context: h.b.context,
    });
  } finally {
    await h.close();
  }
  return failures.length ? 1 : 0;
}
