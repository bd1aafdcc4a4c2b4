/**
 * Steps shared by the alert scenarios and the alert-latency benchmark: serve the demo
 * account's Binance page, open it, drive the BTCUSDT mark along a path of target risk ratios
 * through the loopback stream, and read back what the extension did (level notices, badge).
 * No Vitest here (bench/ uses it); the badge assertion is `expectBadge` in vitest.ts.
 */
import type { Page } from 'playwright-core';
import { BADGE_COLORS } from '../lib/alerts/text';
import { DEFAULT_SETTINGS, SETTINGS_VERSION, type UserSettings } from '../lib/settings/schema';
import type { AccountRecord } from '../lib/storage';
import { binanceAppHtml, binancePageHtml, demoAccount, demoRisk, DEMO_MARKS, priceForRiskRatio, type DemoAccount } from './binance-demo';
import { notificationCalls, waitFor, type Badge } from './extension';
import type { Harness } from './start';

/** What the steps drive: the server and the browser of a running harness. */
export type Live = Pick<Harness, 'b' | 'server'>;
import { EXCHANGE_PAGES } from './hosts';
import { isNoticeOf, readAccount } from './product';

/** The demo account, named by exchange: its stored key is `binance-usdm/tab:<id>` (see product.ts `isAccount`). */
export const KEY = 'binance-usdm';

export interface Driver {
  acct: DemoAccount;
  page: Page | null;
  /** Mark of BTCUSDT now pushed by the stream. */
  btc: string;
}

/** Serve the demo account's page (static, figures at the opening marks), open it, push opening marks; wait for the first evaluation. */
export async function openDemoAccount(h: Live): Promise<Driver> {
  const acct = demoAccount();
  h.server.setPage('www.binance.com', binancePageHtml(binanceAppHtml(acct, DEMO_MARKS)));
  const page = await h.b.context.newPage();
  await page.goto(EXCHANGE_PAGES.binance.url);
  await waitFor(async () => (await readAccount(h.b.sw(), KEY))?.snapshot, { what: 'the demo account read from the page' });
  for (const [sym, price] of Object.entries(DEMO_MARKS)) {
    await waitFor(() => h.server.streams.subscribed('binance').includes(sym), { what: `a subscription to ${sym}` });
    h.server.streams.setMark('binance', sym, price);
  }
  const d: Driver = { acct, page, btc: DEMO_MARKS.BTCUSDT! };
  await waitForEvaluation(h, d);
  return d;
}

/** Wait until the background has evaluated the account at the marks now pushed; returns the record. */
export async function waitForEvaluation(h: Live, d: Driver, timeoutMs = 10_000): Promise<AccountRecord> {
  const expected = demoRisk(d.acct, { ...DEMO_MARKS, BTCUSDT: d.btc }).riskRatio;
  return waitFor(
    async () => {
      const r = await readAccount(h.b.sw(), KEY);
      return r && r.marks.BTCUSDT?.price === d.btc && r.risk?.riskRatio === expected ? r : null;
    },
    { timeoutMs, what: `the account evaluated at BTCUSDT ${d.btc} (risk ratio ${expected})` },
  );
}

/** Push the BTCUSDT mark that puts the account at risk ratio `target` (fraction string), and wait for its evaluation. */
export async function stepTo(h: Live, d: Driver, target: string): Promise<AccountRecord> {
  pushRatio(h, d, target);
  return waitForEvaluation(h, d);
}

/** Push the BTCUSDT mark for `target` without waiting. */
export function pushRatio(h: Live, d: Driver, target: string): void {
  d.btc = priceForRiskRatio(d.acct, 'BTCUSDT', target, DEMO_MARKS);
  h.server.streams.setMark('binance', 'BTCUSDT', d.btc);
}

/** Level notifications for the demo account, oldest first: `{ level, at, worker, title }`. */
export function levelNotices(h: Live): { level: number; at: number; worker: number; title: string }[] {
  return notificationCalls(h.server)
    .filter((n) => isNoticeOf(n.id, KEY, 'level'))
    .map((n) => ({ level: Number(n.id!.split('|')[3]), at: n.at, worker: n.worker, title: n.title }));
}

export function noticesOfKind(h: Live, kind: 'level' | 'position' | 'stale') {
  return notificationCalls(h.server).filter((n) => isNoticeOf(n.id, KEY, kind));
}

/** `#rrggbb` → `[r, g, b, 255]` as chrome.action.getBadgeBackgroundColor returns it. */
export function rgba(hex: string): Badge['color'] {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255, 255];
}

/**
 * The badge for a ratio with the default levels 50/70/80/90 % (lib/alerts/text.ts): the
 * ratio in whole percent, coloured by the highest level reached.
 */
export function expectedBadge(riskRatio: string, highestLevel: number | null): Badge {
  const color =
    highestLevel === null ? BADGE_COLORS.ok : highestLevel >= 0.9 ? BADGE_COLORS.critical : highestLevel >= 0.8 ? BADGE_COLORS.high : BADGE_COLORS.warn;
  return { text: `${Math.round(Number(riskRatio) * 100)}%`, color: rgba(color) };
}

declare const chrome: any;

/**
 * Store user settings (defaults with `alerts` overrides) in one `storage.local.set`, value and
 * WXT version meta together, as a migrated profile holds them. For scenarios about something
 * else (staleness, hysteresis); the options page itself is exercised in options.e2e.test.ts.
 * Resolves once the background reports no settings problem.
 */
export async function setAlertSettings(h: Live, alerts: Partial<UserSettings['alerts']>): Promise<void> {
  const settings: UserSettings = { ...DEFAULT_SETTINGS, alerts: { ...DEFAULT_SETTINGS.alerts, ...alerts } };
  await h.b.sw().evaluate(([value, v]) => chrome.storage.local.set({ settings: value, settings$: { v } }), [settings, SETTINGS_VERSION] as const);
  await waitFor(
    async () => {
      const { monitorProblems } = await h.b.sw().evaluate(() => chrome.storage.local.get('monitorProblems'));
      return monitorProblems && monitorProblems.settings === null;
    },
    { what: 'the background to load the settings without a problem' },
  );
}
