import { describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { evaluate, withMarks } from '@/lib/engine';
import type { AccountSnapshot } from '@/lib/engine/snapshot';
import { defaultTierTables } from '@/lib/exchanges/tiers';
import { PAGE_PRICES_RECONCILE_MS, type PageReadMessage } from '@/lib/protocol/page-read';
import { accountsItem, alertStateItem, countersItem, problemsItem, ratioHistoryItem, settingsItem, streamStatusItem } from '@/lib/storage';
import { DEFAULT_SETTINGS } from '@/lib/settings/schema';
import { HYPERLIQUID_HEALTH, hyperliquidRead, hyperliquidSnapshot, send, tabSender, until, useWorker } from '../support/worker';

const SNAP = hyperliquidSnapshot();
const TABLES = defaultTierTables('hyperliquid');
const ratioAt = (btc: string) => Number(evaluate(withMarks(SNAP, { BTC: btc }), TABLES).riskRatio);

/** Highest whole BTC price at which the risk ratio is at least `r` (BTC long: lower price, higher ratio), by bisection. */
function priceForRatio(r: number): string {
  let lo = 86300; // ratio(lo) ≥ r (below ~86 000 the account is past liquidation and the ratio is null)
  let hi = 94000; // ratio(hi) < r
  if (ratioAt(String(lo)) < r || ratioAt(String(hi)) >= r) throw new Error(`no price for ratio ${r}`);
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (ratioAt(String(mid)) >= r) lo = mid;
    else hi = mid;
  }
  return String(lo);
}

const w = useWorker();
const start = () => w.start();
const killWorker = () => w.kill();

const HEALTH = HYPERLIQUID_HEALTH;
const pageRead = (snapshot: unknown = SNAP): PageReadMessage => hyperliquidRead(snapshot as AccountSnapshot);
const TAB_SENDER = () => tabSender(7);

type Note = { title: string; message: string; requireInteraction?: boolean };
const allNotes = () => fakeBrowser.notifications.getAllCreateOptions() as Record<string, Note>;
/** Level notifications only (position-distance alerts also fire near liquidation). */
const notes = () => Object.fromEntries(Object.entries(allNotes()).filter(([id]) => id.includes('|level|') || id.includes('|test|'))) as Record<string, Note>;

describe('background wiring (fake browser + loopback streams)', () => {
  it('snapshot in → risk stored → stream subscribed → notification and badge out', async () => {
    const monitor = await start();
    // No stream mark yet: the page is the live price source, its prices are wanted every 0.5 s.
    expect(await send(pageRead(), TAB_SENDER())).toEqual({ ok: true, priceRefreshMs: 500 });
    await monitor.flush();
    const acc = (await accountsItem.getValue())['hyperliquid/tab:7']!;
    expect(acc.risk?.riskRatio).toBe(evaluate(SNAP, TABLES).riskRatio);
    expect(acc.tierSources.BTC).toMatchObject({ kind: 'bundled' });
    await until(() => w.server.subscriptions('hyperliquid').join() === 'BTC,ETH');

    const price = priceForRatio(0.72);
    w.server.setMark('hyperliquid', 'BTC', price);
    await until(() => Object.keys(notes()).length === 1);
    const [n] = Object.values(notes());
    expect(n!.title).toContain('Hyperliquid');
    expect(n!.title).toContain('margin ratio');
    expect(n!.message).toContain('70.0 %');
    const risk = evaluate(withMarks(SNAP, { BTC: price }), TABLES);
    expect(n!.message).toContain(`liquidates at ${risk.positions[risk.firstToLiquidate!]!.liquidationPrice}`);
    expect(n!.requireInteraction).toBe(false);
    expect(await fakeBrowser.action.getBadgeText({})).toBe(`${Math.round(Number(risk.riskRatio) * 100)}%`);
    await monitor.flush();
    expect((await accountsItem.getValue())['hyperliquid/tab:7']!.marks.BTC?.price).toBe(price);
    expect((await ratioHistoryItem.getValue())['hyperliquid/tab:7']!.length).toBeGreaterThanOrEqual(1);
    const stream = (await streamStatusItem.getValue()).hyperliquid!;
    expect(stream).toMatchObject({ state: 'open', symbols: ['BTC', 'ETH'] });
    expect(stream.lastMarkAt).not.toBeNull();
    // BTC is streamed, ETH not yet: the page stays ETH's live price source.
    expect(await send(pageRead(), TAB_SENDER())).toEqual({ ok: true, priceRefreshMs: 500 });
    // Both streamed: the page's prices only serve reconciliation, once a minute is enough…
    w.server.setMark('hyperliquid', 'ETH', '3300');
    await until(() => monitor.accounts['hyperliquid/tab:7']?.marks.ETH?.price === '3300');
    expect(await send(pageRead(), TAB_SENDER())).toEqual({ ok: true, priceRefreshMs: PAGE_PRICES_RECONCILE_MS });
    // …but at most a third of the page staleness limit, so a ticking page is never "not read".
    await settingsItem.setValue({ ...DEFAULT_SETTINGS, alerts: { ...DEFAULT_SETTINGS.alerts, snapshotMaxAgeMs: 30_000 } });
    await monitor.loadSettings({ migrate: false });
    expect(await send(pageRead(), TAB_SENDER())).toEqual({ ok: true, priceRefreshMs: 10_000 });
    // The account's own limit when it has one.
    await settingsItem.setValue({ ...DEFAULT_SETTINGS, perAccount: { 'hyperliquid/tab:7': { snapshotMaxAgeMs: 45_000 } } });
    await monitor.loadSettings({ migrate: false });
    expect(await send(pageRead(), TAB_SENDER())).toEqual({ ok: true, priceRefreshMs: 15_000 });
  });

  it("reconciles the page's figures at the page's own marks, not at the latest stream tick", async () => {
    const monitor = await start();
    const pageLiq = evaluate(SNAP, TABLES).positions[0]!.liquidationPrice!;
    const shown = (liq: string): AccountSnapshot => ({ ...SNAP, positions: SNAP.positions.map((p, i) => (i === 0 ? { ...p, displayed: { liquidationPrice: liq } } : p)) });
    await send(pageRead(shown(pageLiq)), TAB_SENDER());
    await until(() => w.server.subscriptions('hyperliquid').join() === 'BTC,ETH');
    // ETH (short, cross) rallies 4 % on the stream after the page was read: BTC's cross
    // liquidation price moves with it.
    w.server.setMark('hyperliquid', 'BTC', '94000');
    w.server.setMark('hyperliquid', 'ETH', '3276');
    await until(() => monitor.accounts['hyperliquid/tab:7']?.marks.ETH?.price === '3276');
    const live = evaluate(withMarks(SNAP, { BTC: '94000', ETH: '3276' }), TABLES).positions[0]!.liquidationPrice!;
    expect(Math.abs(Number(live) / Number(pageLiq) - 1)).toBeGreaterThan(0.001); // beyond the 0.1 % price tolerance
    const risk = monitor.accounts['hyperliquid/tab:7']!.risk!;
    expect(risk.positions[0]!.liquidationPrice).toBe(live); // what we show is live
    expect(risk.positions[0]!.reconciliation.find((x) => x.field === 'liquidationPrice')).toMatchObject({ ours: pageLiq, theirs: pageLiq, mismatch: false });
    // A page figure that really differs from ours at its own marks is still flagged.
    const wrong = (Number(pageLiq) * 1.01).toFixed(1);
    await send(pageRead(shown(wrong)), TAB_SENDER());
    expect(monitor.accounts['hyperliquid/tab:7']!.risk!.positions[0]!.reconciliation.find((x) => x.field === 'liquidationPrice')).toMatchObject({ ours: pageLiq, theirs: wrong, mismatch: true });
  });

  it('notifies once while the ratio oscillates inside the hysteresis band, escalates at the top level', async () => {
    await start();
    await send(pageRead(), TAB_SENDER());
    await until(() => w.server.subscriptions('hyperliquid').includes('BTC'));
    const around = [0.801, 0.79, 0.805, 0.785, 0.81].map(priceForRatio);
    for (const p of around) {
      w.server.setMark('hyperliquid', 'BTC', p);
      await new Promise((r) => setTimeout(r, 30));
    }
    await until(() => Object.keys(notes()).length >= 1);
    await new Promise((r) => setTimeout(r, 100));
    expect(Object.values(notes()).map((n) => n.message.match(/the ([\d.]+ %) alert/)?.[1])).toEqual(['80.0 %']);
    w.server.setMark('hyperliquid', 'BTC', priceForRatio(0.92));
    await until(() => Object.keys(notes()).length === 2);
    expect(Object.values(notes()).filter((n) => n.requireInteraction)).toHaveLength(1);
    expect(await fakeBrowser.action.getBadgeBackgroundColor({})).toEqual([198, 40, 40, 255]);
  });

  it('plays the alert sound with the top level only when sound is on', async () => {
    await fakeBrowser.storage.local.set({ settings: { ...DEFAULT_SETTINGS, sound: true }, settings$: { v: 3 } });
    let played = 0;
    await w.start({ playSound: async () => void played++ });
    await send(pageRead(), TAB_SENDER());
    await until(() => w.server.subscriptions('hyperliquid').includes('BTC'));
    w.server.setMark('hyperliquid', 'BTC', priceForRatio(0.72));
    await until(() => Object.keys(notes()).length === 1);
    expect(played).toBe(0);
    w.server.setMark('hyperliquid', 'BTC', priceForRatio(0.92));
    await until(() => Object.keys(notes()).length === 2);
    await until(() => played === 1);
  });

  it('ignores pages of an exchange turned off in options', async () => {
    await fakeBrowser.storage.local.set({ settings: { ...DEFAULT_SETTINGS, enabledExchanges: ['binance-usdm'] }, settings$: { v: 3 } });
    await start();
    const r = (await send(pageRead(), TAB_SENDER())) as { ok: boolean; error?: string };
    expect(r.ok).toBe(false);
    expect(r.error).toMatch(/off in options/);
    expect((await accountsItem.getValue())['hyperliquid/tab:7']).toBeUndefined();
  });

  it('refuses and counts messages from the wrong host, a foreign extension, or no tab; refuses invalid snapshots naming the field', async () => {
    const monitor = await start();
    const bad = [
      { ...TAB_SENDER(), url: 'https://app.hyperliquid.xyz.evil.example/trade' },
      { ...TAB_SENDER(), id: 'someone-else' },
      { id: fakeBrowser.runtime.id, url: 'https://app.hyperliquid.xyz/trade' },
      { ...TAB_SENDER(), url: 'http://app.hyperliquid.xyz/trade' },
    ];
    for (const s of bad) expect(await send(pageRead(), s)).toMatchObject({ ok: false, error: expect.stringContaining('sender refused') });
    expect((await countersItem.getValue()).rejectedSenders).toBe(4);
    const r = await send(pageRead({ ...SNAP, positions: [{ ...SNAP.positions[0], size: '-1' }] }), TAB_SENDER());
    expect(r).toMatchObject({ ok: false, error: expect.stringContaining('positions[0].size') });
    expect((await countersItem.getValue()).invalidSnapshots).toBe(1);
    // Nothing of it is stored; the account's page shows as not recognised, naming the field.
    await monitor.flush();
    const rec = (await accountsItem.getValue())['hyperliquid/tab:7']!;
    expect(rec.snapshot).toBeNull();
    expect(rec.risk).toBeNull();
    expect(rec.health).toMatchObject({ status: 'unrecognized', problems: [expect.stringMatching(/^snapshot rejected: positions\[0\]\.size: /)] });
  });

  it('survives a worker restart: a notified crossing is not repeated, a new one is not missed', async () => {
    await start();
    await send(pageRead(), TAB_SENDER());
    await until(() => w.server.subscriptions('hyperliquid').includes('BTC'));
    w.server.setMark('hyperliquid', 'BTC', priceForRatio(0.72));
    await until(() => Object.keys(notes()).length === 1);
    await killWorker();

    const create = vi.spyOn(fakeBrowser.notifications, 'create');
    const levelCalls = () => create.mock.calls.filter((c) => String(c[0]).includes('|level|'));
    await start(); // same storage, fresh memory
    expect(create).not.toHaveBeenCalled();
    await until(() => w.server.subscriptions('hyperliquid').includes('BTC'));
    w.server.setMark('hyperliquid', 'BTC', priceForRatio(0.72), Date.now() + 10);
    await new Promise((r) => setTimeout(r, 100));
    expect(levelCalls()).toHaveLength(0);

    // A crossing that happened while the worker was dead (stored marks moved on) is caught at start.
    await killWorker();
    const marks = JSON.parse(JSON.stringify((await fakeBrowser.storage.session.get('marks')).marks));
    marks.hyperliquid.BTC = { price: priceForRatio(0.81), time: Date.now() + 20 };
    await fakeBrowser.storage.session.set({ marks });
    await start();
    expect(levelCalls()).toHaveLength(1);
    expect(levelCalls()[0]![1]).toMatchObject({ message: expect.stringContaining('80.0 %') });
  });

  it('delivers a notice left in the outbox by a worker that died before showing it', async () => {
    await alertStateItem.setValue({
      accounts: {},
      outbox: [{ id: 'ms|hyperliquid|level|0.9|123', accountKey: 'hyperliquid', notice: { kind: 'level', level: 0.9, top: true, riskRatio: 0.93, at: 123 } }],
    });
    await start();
    expect(Object.keys(notes())).toEqual(['ms|hyperliquid|level|0.9|123']);
    expect((await alertStateItem.getValue()).outbox).toEqual([]);
  });

  it('says STALE once when prices stop, via the watchdog alarm', async () => {
    const monitor = await start();
    await send(pageRead(), TAB_SENDER());
    await until(() => w.server.subscriptions('hyperliquid').includes('BTC'));
    w.server.setMark('hyperliquid', 'BTC', '94000');
    w.server.setMark('hyperliquid', 'ETH', '3150');
    await until(() => Object.keys(monitor.marks.hyperliquid ?? {}).length === 2);
    w.clock += 61_000;
    await fakeBrowser.alarms.onAlarm.trigger({ name: 'monitor-watchdog', scheduledTime: w.clock, periodInMinutes: 0.5, persistAcrossSessions: false } as never);
    await until(async () => (await fakeBrowser.action.getBadgeText({})) === 'STALE');
    await until(() => Object.values(allNotes()).some((n) => n.title.includes('monitoring stopped')));
    const stale = Object.values(allNotes()).filter((n) => n.title.includes('monitoring stopped'));
    expect(stale).toHaveLength(1);
    expect(stale[0]!.message).toContain('mark prices stopped');
    w.clock += 30_000;
    await monitor.watchdog();
    expect(Object.values(allNotes()).filter((n) => n.title.includes('monitoring stopped'))).toHaveLength(1);
    expect(await fakeBrowser.alarms.get('monitor-watchdog')).toMatchObject({ periodInMinutes: 0.5 });
  });

  it('says STALE when the stream never delivers, even while the page keeps sending fresh reads', async () => {
    const monitor = await start();
    await send(pageRead(), TAB_SENDER());
    await until(() => w.server.subscriptions('hyperliquid').includes('BTC')); // subscribed, but no mark is ever pushed
    for (let i = 0; i < 4; i++) {
      w.clock += 20_000;
      await send(pageRead(), TAB_SENDER()); // page reads carry the page's own (possibly frozen) marks
    }
    await monitor.watchdog();
    expect(await fakeBrowser.action.getBadgeText({})).toBe('STALE');
    const stale = Object.values(allNotes()).filter((n) => n.title.includes('monitoring stopped'));
    expect(stale).toHaveLength(1);
    expect(stale[0]!.message).toContain('no mark price received for 80 s');
  });

  it('answers test-notification from extension pages only; unknown types are refused', async () => {
    await start();
    const page = { id: fakeBrowser.runtime.id, url: fakeBrowser.runtime.getURL('/popup.html') };
    const t = await send({ type: 'test-notification' }, page);
    expect(notes()[t.id]).toBeDefined();
    expect(await send({ type: 'test-notification' }, TAB_SENDER())).toEqual({ ok: false, error: 'unknown sender' });
    expect(await send({ type: 'test-notification' }, { id: 'other', url: 'chrome-extension://other/popup.html' })).toEqual({ ok: false, error: 'unknown sender' });
    expect(await send({ type: 'get-state' }, page)).toEqual({ ok: false, error: 'unknown message type get-state' });
    expect(await send({ type: 'get-state' }, TAB_SENDER())).toEqual({ ok: false, error: 'unknown sender' });
  });

  it('clicking a notification focuses the exchange tab', async () => {
    const tab = await fakeBrowser.tabs.create({ url: 'https://app.hyperliquid.xyz/trade', active: false });
    await fakeBrowser.tabs.create({ url: 'about:blank', active: true });
    await start();
    await send(pageRead(), { ...TAB_SENDER(), tab: { id: tab.id, windowId: tab.windowId } });
    await until(() => w.server.subscriptions('hyperliquid').includes('BTC'));
    w.server.setMark('hyperliquid', 'BTC', priceForRatio(0.55));
    await until(() => Object.keys(notes()).length === 1);
    const id = Object.keys(notes())[0]!;
    await fakeBrowser.notifications.onClicked.trigger(id);
    await until(async () => (await fakeBrowser.tabs.get(tab.id!)).active === true);
  });

  it('falls back to bundled tiers and records the refresh error when the tier endpoint fails', async () => {
    const monitor = await start();
    await send(pageRead(), TAB_SENDER());
    await monitor.refreshTiers();
    expect(monitor.tierSummary().hyperliquid?.error).toContain('HTTP 404');
    expect(Object.values(monitor.accounts)[0]!.tierSources.BTC).toMatchObject({ kind: 'bundled' });
  });

  it('reports a failed settings migration and keeps the stored value', async () => {
    await fakeBrowser.storage.local.set({ settings: { levelsPercent: [150], cooldownMinutes: 5 }, settings$: { v: 1 } });
    const monitor = await start();
    expect((await problemsItem.getValue()).settings).toContain('migration failed');
    expect((await fakeBrowser.storage.local.get('settings')).settings).toEqual({ levelsPercent: [150], cooldownMinutes: 5 });
    expect(monitor.settings.alerts.levels).toEqual([0.5, 0.7, 0.8, 0.9]);
  });

  it('migrates v1 settings through v2 to v3', async () => {
    await fakeBrowser.storage.local.set({ settings: { levelsPercent: [85, 60], cooldownMinutes: 5 }, settings$: { v: 1 } });
    const monitor = await start();
    expect(monitor.settings.alerts.levels).toEqual([0.6, 0.85]);
    expect(monitor.settings.alerts.cooldownMs).toBe(300_000);
    expect((await problemsItem.getValue()).settings).toBeNull();
    expect(monitor.settings.sound).toBe(false);
    expect(monitor.settings.enabledExchanges).toContain('bybit');
    expect((await fakeBrowser.storage.local.get('settings$'))['settings$']).toEqual({ v: 3 });
  });
});
