/**
 * "Never silent" in the worker (fake browser + loopback mark streams): several accounts per
 * exchange, incomplete page reads, a silent page, and alert delivery when storage fails.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import WebSocket from 'ws';
import { evaluate } from '@/lib/engine';
import type { AccountSnapshot } from '@/lib/engine/snapshot';
import { defaultTierTables } from '@/lib/exchanges/tiers';
import { HYPERLIQUID_HEALTH as HEALTH, hyperliquidRead as read, hyperliquidSnapshot, send, tabSender as sender, until, useWorker } from '../support/worker';

const SNAP = hyperliquidSnapshot();
const TABLES = defaultTierTables('hyperliquid');
const richer = (snap: AccountSnapshot, add: number): AccountSnapshot => ({ ...snap, walletBalance: String(Number(snap.walletBalance) + add) });
const pct = (s: AccountSnapshot) => `${Math.round(Number(evaluate(s, TABLES).riskRatio) * 100)}%`;

const w = useWorker();
const start = () => w.start();
afterEach(() => vi.restoreAllMocks());

describe('never silent: the worker', () => {
  it('keys page accounts by tab: a second tab of the same exchange is a second account, and the badge shows the worse', async () => {
    const monitor = await start();
    const safer = richer(SNAP, 50_000);
    await send(read(SNAP), sender(7));
    await send(read(safer), sender(8));
    expect(Object.keys(monitor.accounts).sort()).toEqual(['hyperliquid/tab:7', 'hyperliquid/tab:8']);
    expect(Number(evaluate(SNAP, TABLES).riskRatio)).toBeGreaterThan(Number(evaluate(safer, TABLES).riskRatio));
    await until(async () => (await fakeBrowser.action.getBadgeText({})) === pct(SNAP));
    // The safer tab reads again (last): the badge still shows the account in danger.
    await send(read(safer), sender(8));
    await monitor.idle();
    expect(await fakeBrowser.action.getBadgeText({})).toBe(pct(SNAP));
  });

  it('keys page accounts by the identity the page shows, across tabs', async () => {
    const monitor = await start();
    await send(read(SNAP, { identity: 'uid:12345678' }), sender(7));
    await send(read(SNAP, { identity: 'uid:12345678' }), sender(9));
    await send(read(richer(SNAP, 1000), { identity: 'uid:87654321' }), sender(9));
    expect(Object.keys(monitor.accounts).sort()).toEqual(['hyperliquid/uid:12345678', 'hyperliquid/uid:87654321']);
    expect(monitor.accounts['hyperliquid/uid:12345678']!.label).toBe('Hyperliquid UID 12345678');
    // A malformed identity is ignored (keyed by tab instead).
    await send(read(SNAP, { identity: 'uid:<script>' } as never), sender(11));
    expect(monitor.accounts['hyperliquid/tab:11']).toBeDefined();
  });

  it('an incomplete read never shrinks the positions: the last known stay, streamed, and the account says why', async () => {
    const monitor = await start();
    await send(read(SNAP), sender(7));
    await until(() => w.server.subscriptions('hyperliquid').join() === 'BTC,ETH');
    // PnL cells turn to ******: the reader leaves every row out and says so.
    const hidden = read({ ...SNAP, positions: [] }, { health: { status: 'partial', positionsComplete: false, positionsExpected: 2, problems: ['BTC: PnL not readable (******)'] } });
    expect(await send(hidden, sender(7))).toMatchObject({ ok: true });
    await monitor.idle();
    const a = monitor.accounts['hyperliquid/tab:7']!;
    expect(a.snapshot!.positions.map((p) => p.symbol)).toEqual(['BTC', 'ETH']);
    expect(a.unreadable).toContain('the page shows 2 open positions, 0 could be read');
    expect(a.stale).toContain('positions could not be read');
    expect(await fakeBrowser.action.getBadgeText({})).not.toBe('');
    await new Promise((r) => setTimeout(r, 100));
    expect(w.server.subscriptions('hyperliquid').join()).toBe('BTC,ETH');
    // A complete read clears it.
    await send(read(SNAP), sender(7));
    expect(monitor.accounts['hyperliquid/tab:7']!.unreadable).toBeNull();
  });

  it('an incomplete read that still holds every known position (plus new ones) is used', async () => {
    const monitor = await start();
    const one = { ...SNAP, positions: SNAP.positions.slice(0, 1) };
    await send(read(one), sender(7));
    await send(read(SNAP, { health: { status: 'partial', positionsComplete: false, positionsExpected: 3 } }), sender(7));
    expect(monitor.accounts['hyperliquid/tab:7']!.snapshot!.positions).toHaveLength(2);
    expect(monitor.accounts['hyperliquid/tab:7']!.unreadable).toContain('the page shows 3 open positions, 2 could be read');
  });

  it('a tab that stays open but sends nothing for 90 s while positions are open makes its account stale; a closed tab does not', async () => {
    const monitor = await start();
    await send(read(SNAP), sender(7));
    await send(read(richer(SNAP, 10)), sender(8));
    await until(() => w.server.subscriptions('hyperliquid').join() === 'BTC,ETH');
    w.clock += 91_000;
    // Prices keep streaming: the only problem left is the silent page.
    w.server.setMark('hyperliquid', 'BTC', '94000');
    w.server.setMark('hyperliquid', 'ETH', '3150');
    await until(() => monitor.marks.hyperliquid?.ETH?.receivedAt === w.clock && monitor.marks.hyperliquid?.BTC?.receivedAt === w.clock);
    await fakeBrowser.tabs.onRemoved.trigger(8, { windowId: 1, isWindowClosing: false });
    await monitor.watchdog();
    expect(monitor.accounts['hyperliquid/tab:7']!.stale).toMatch(/has sent nothing for 91 s/);
    expect(monitor.accounts['hyperliquid/tab:8']!.stale ?? '').not.toMatch(/sent nothing/);
  });

  it('delivers a notification even when the alert state cannot be written', async () => {
    const monitor = await start();
    const set = fakeBrowser.storage.local.set.bind(fakeBrowser.storage.local);
    vi.spyOn(fakeBrowser.storage.local, 'set').mockImplementation(async (items: Record<string, unknown>) => {
      if ('alertState' in items) throw new Error('QUOTA_BYTES quota exceeded');
      return set(items);
    });
    await send(read(SNAP), sender(7));
    await until(() => w.server.subscriptions('hyperliquid').includes('BTC'));
    // Far below the fixture's marks: every level is crossed at once.
    w.server.setMark('hyperliquid', 'BTC', '87000');
    await until(() => Object.keys(fakeBrowser.notifications.getAllCreateOptions() as object).some((id) => id.includes('|level|')));
    expect(monitor.accounts['hyperliquid/tab:7']!.level).not.toBeNull();
  });

  it('a new tab of the same exchange (no identity) takes over the account of a closed tab, keeping its cooldowns', async () => {
    const monitor = await start();
    await send(read(SNAP), sender(7));
    await until(() => w.server.subscriptions('hyperliquid').includes('BTC'));
    w.server.setMark('hyperliquid', 'BTC', '87000');
    await until(() => Object.keys(fakeBrowser.notifications.getAllCreateOptions() as object).some((id) => id.includes('|level|')));
    const notified = Object.keys(fakeBrowser.notifications.getAllCreateOptions() as object).length;
    await fakeBrowser.tabs.onRemoved.trigger(7, { windowId: 1, isWindowClosing: false });
    await send(read(SNAP), sender(12));
    await monitor.idle();
    expect(Object.keys(monitor.accounts)).toEqual(['hyperliquid/tab:12']);
    expect(monitor.accounts['hyperliquid/tab:12']!.level).not.toBeNull();
    expect(Object.keys(fakeBrowser.notifications.getAllCreateOptions() as object)).toHaveLength(notified);
  });

  it('an account stored under the exchange-only key of older versions is taken over by the first page read', async () => {
    const old = { key: 'hyperliquid', exchange: 'hyperliquid', label: 'Hyperliquid', snapshot: SNAP, snapshotAt: w.clock, health: HEALTH, tabId: 3, windowId: 1, url: null, risk: null, riskAt: null, marks: {}, tierSources: {}, stale: null, level: null };
    await fakeBrowser.storage.local.set({ accounts: { hyperliquid: old } });
    const monitor = await start();
    await send(read(SNAP), sender(7));
    expect(Object.keys(monitor.accounts)).toEqual(['hyperliquid/tab:7']);
  });

  it('if the worker cannot start, the badge says ERR and one notification says monitoring is off', async () => {
    vi.spyOn(fakeBrowser.alarms, 'get').mockRejectedValue(new Error('alarms unavailable'));
    const started = w.launch();
    await expect(started.ready).rejects.toThrow('alarms unavailable');
    await until(async () => (await fakeBrowser.action.getBadgeText({})) === 'ERR');
    expect(await fakeBrowser.action.getTitle({})).toContain('could not start: alarms unavailable');
    const notes = fakeBrowser.notifications.getAllCreateOptions() as Record<string, { title: string }>;
    expect(Object.values(notes).map((n) => n.title)).toEqual(['Margin Sentinel is not monitoring']);
  });

  it('a damaged stored account is set aside and reported; the good one beside it is monitored', async () => {
    const good = { key: 'hyperliquid/tab:3', exchange: 'hyperliquid', label: 'Hyperliquid', snapshot: SNAP, snapshotAt: w.clock, health: HEALTH, tabId: 3, windowId: 1, url: null, risk: null, riskAt: null, marks: {}, tierSources: {}, stale: null, level: null };
    const bad = { ...good, key: 'hyperliquid/tab:4', snapshot: { ...SNAP, walletBalance: 'lots' } };
    await fakeBrowser.storage.local.set({ accounts: { 'hyperliquid/tab:3': good, 'hyperliquid/tab:4': bad }, alertState: { accounts: 'garbage', outbox: [] } });
    const monitor = await start();
    expect(Object.keys(monitor.accounts)).toEqual(['hyperliquid/tab:3']);
    expect(monitor.accounts['hyperliquid/tab:3']!.risk?.riskRatio).toBe(evaluate(SNAP, TABLES).riskRatio);
    expect(monitor.startProblems.join('\n')).toMatch(/hyperliquid\/tab:4/);
    expect(await fakeBrowser.action.getBadgeText({})).toBe(pct(SNAP));
    const stored = (await fakeBrowser.storage.local.get('monitorProblems')).monitorProblems as { storage?: { lines: string[] } };
    expect(stored.storage!.lines.join('\n')).toMatch(/walletBalance/);
  });
});
