/**
 * The optional read-only API connection through the REAL worker (startBackground on WXT's fake
 * browser), a real IndexedDB key store (fake-indexeddb), the loopback account-API server that
 * verifies every signature, and the loopback public mark stream:
 *
 * - the gate refuses a trading key (no account appears, the permission to switch off is named);
 * - a read-only key yields an `api:binance` account whose snapshot the engine evaluates, with no
 *   exchange tab at all; a mark move on the public stream then raises the 80 % notification;
 * - back-off after 429, no request while monitoring of the exchange is off, remove forgets all.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { IDBFactory } from 'fake-indexeddb';
import { generateKeyPair, importHmacSecret } from '@/lib/api/keys';
import { API_EXCHANGES } from '@/lib/api/exchanges';
import { apiOrigin } from '@/lib/exchanges/endpoints';
import { KeyStore } from '@/lib/api/keystore';
import { ApiAccounts, GATE_RECHECK_MS } from '@/lib/background/api-accounts';
import type { startBackground } from '@/lib/background';
import { apiStatusItem } from '@/lib/storage/api-status';
import { endpointOverrideItem } from '@/lib/storage';
import { DEFAULT_SETTINGS } from '@/lib/settings/schema';
import { binanceState, startAccountApiServer, type AccountApiServer } from '../../harness/account-api-server';
import { HYPERLIQUID_HEALTH, send, tabSender, until, useWorker } from '../support/worker';

const h = useWorker();
let api: AccountApiServer;
beforeAll(async () => void (api = await startAccountApiServer()));
afterAll(() => api.close());

const optionsSender = () => ({ id: fakeBrowser.runtime.id, url: `chrome-extension://${fakeBrowser.runtime.id}/options.html` });

/** A Binance key generated and stored as the options page does, registered at the loopback "exchange". */
async function storeBinanceKey(store: KeyStore): Promise<void> {
  const g = await generateKeyPair('binance');
  await store.put({ exchange: 'binance', algorithm: g.algorithm, privateKey: g.privateKey, publicKeyPem: g.publicKeyPem, apiKey: 'bn-key', passphrase: null, createdAt: Date.now() });
  Object.assign(api.binance, binanceState(), { apiKey: 'bn-key', publicKeyPem: g.publicKeyPem });
}

describe('read-only API connection through the worker', () => {
  let store: KeyStore;
  beforeEach(async () => {
    const idb = new IDBFactory();
    (globalThis as { indexedDB?: IDBFactory }).indexedDB = idb;
    store = new KeyStore(idb);
    await endpointOverrideItem.setValue({ stream: h.server.origin, rest: api.origin, privateStream: api.wsOrigin });
    return () => {
      delete (globalThis as { indexedDB?: IDBFactory }).indexedDB;
      started?.apiAccounts?.dispose();
      started = null;
      api.dropStreams();
    };
  });
  let started: ReturnType<typeof startBackground> | null = null;
  /** Start the worker (real startBackground through the harness) and keep its API connections for disposal. */
  const start = async () => {
    started = h.launch({ fetch: globalThis.fetch.bind(globalThis) }) as ReturnType<typeof startBackground>;
    await started.ready;
    return started.monitor;
  };

  it('refuses a trading key, then connects a read-only one; the engine evaluates it with no tab, and a price move alerts at 80 %', async () => {
    await storeBinanceKey(store);
    api.binance.apiRestrictions.enableFutures = true;
    const monitor = await start();

    const refused = await send({ type: 'api-connection', action: 'check', exchange: 'binance' }, optionsSender());
    expect(refused).toMatchObject({ ok: true, status: { state: 'refused', switchOff: ['Enable Futures'] } });
    expect(refused.status.reason).toMatch(/switch off "Enable Futures"/);
    expect(monitor.accounts['api:binance']).toBeUndefined();
    expect((await apiStatusItem.getValue()).binance?.state).toBe('refused');

    api.binance.apiRestrictions.enableFutures = false;
    const ok = await send({ type: 'api-connection', action: 'check', exchange: 'binance' }, optionsSender());
    expect(ok).toMatchObject({ ok: true, status: { state: 'connected', pollError: null } });
    const a = monitor.accounts['api:binance']!;
    expect(a.snapshot?.source?.reader).toBe('api');
    expect(a.tabId).toBeNull();
    expect(a.risk).not.toBeNull();
    // No key material in storage.local: only the status.
    const local = JSON.stringify(await fakeBrowser.storage.local.get(null));
    expect(local).not.toContain('bn-key');
    expect(local).not.toContain('PRIVATE');

    // The public mark stream moves the price to near liquidation (wallet 1 000, 0.1 BTC long from 100 000).
    await until(() => h.server.setMark('binance-usdm', 'BTCUSDT', '99000') > 0);
    await until(() => h.server.setMark('binance-usdm', 'BTCUSDT', '90420') > 0 && Object.keys(fakeBrowser.notifications.getAllCreateOptions?.() ?? {}).length > 0);
    const notes = Object.values(fakeBrowser.notifications.getAllCreateOptions() as Record<string, { title: string }>);
    const notes2 = Object.values(fakeBrowser.notifications.getAllCreateOptions() as Record<string, { title: string; message: string }>);
    // Hand check: MM = 0.1 × 90 420 × 0.4 % = 36.168; margin balance = 1 000 − 958 = 42; 36.168 / 42 = 86.1 %.
    expect(notes2).toContainEqual(expect.objectContaining({ title: 'Binance USDⓈ-M futures (API): margin ratio 86.1 %', message: expect.stringMatching(/^Crossed the 80\.0 % alert level/) }));
    expect(notes.length).toBeGreaterThan(0);
    expect(api.requests.every((r) => r.verified !== false)).toBe(true);
  });

  it("the exchange's own ratio from the API counts like a fresh page figure: when worse than ours, it is alerted on", async () => {
    await storeBinanceKey(store);
    // Binance says 900 / 1 000 = 90 % (e.g. positions the API path leaves out); ours is 4 %.
    Object.assign(api.binance.account as Record<string, unknown>, { totalMaintMargin: '900.00000000' });
    const monitor = await start();
    await send({ type: 'api-connection', action: 'check', exchange: 'binance' }, optionsSender());
    await monitor.idle();
    const notes = Object.values(fakeBrowser.notifications.getAllCreateOptions() as Record<string, { title: string; message: string }>);
    expect(notes).toContainEqual(
      expect.objectContaining({ title: expect.stringMatching(/^Binance USDⓈ-M futures \(API\): the exchange shows margin ratio 90\.0 %/), message: expect.stringMatching(/^Crossed the 90\.0 % alert level\. Our estimate is margin ratio 4\.0 %/) }),
    );
  });

  it('only our extension pages may drive the connection: a content script on an exchange page is refused and counted', async () => {
    await storeBinanceKey(store);
    const monitor = await start();
    // The worker's start-up read runs first (the key is stored and registered).
    await until(async () => ((await apiStatusItem.getValue()).binance?.polledAt ?? null) !== null);
    const n = api.requests.length;
    const r = await send({ type: 'api-connection', action: 'remove', exchange: 'binance' }, tabSender(3, 'https://www.binance.com/en/futures/BTCUSDT'));
    expect(r).toEqual({ ok: false, error: 'unknown sender' });
    expect(await store.get('binance')).not.toBeNull();
    expect(monitor.counters.rejectedSenders).toBe(1);
    expect(await send({ type: 'api-connection', action: 'drop-tables', exchange: 'binance' }, optionsSender())).toEqual({ ok: false, error: 'unknown action' });
    expect(await send({ type: 'api-connection', action: 'check', exchange: 'kraken' }, optionsSender())).toEqual({ ok: false, error: 'unknown exchange' });
    expect(api.requests.length).toBe(n);
  });

  it('backs off after 429, sends nothing while monitoring of the exchange is off, re-checks the gate after a day, and remove forgets key and account', async () => {
    await storeBinanceKey(store);
    let clock = Date.now();
    const put: string[] = [];
    const removed: string[] = [];
    const notices: { id: string; title: string; message: string }[] = [];
    let enabled = true;
    const accounts = new ApiAccounts({
      keys: store,
      notify: async (id, t) => void notices.push({ id, ...t }),
      fetch: globalThis.fetch.bind(globalThis),
      now: () => clock,
      override: () => ({ rest: api.origin }),
      enabled: () => (enabled ? DEFAULT_SETTINGS.enabledExchanges : []),
      putAccount: async (key) => void put.push(key),
      removeAccount: async (key) => void removed.push(key),
      loadStatus: async () => ({}),
      saveStatus: async () => {},
    });
    api.now = () => clock;
    await accounts.poll();
    expect(accounts.statuses.binance?.state).toBe('connected');
    expect(put).toEqual(['api:binance']);

    api.limit('binance', 1, 429, 120);
    await accounts.poll();
    expect(accounts.statuses.binance?.backoffUntil).toBe(clock + 120_000);
    const n = api.requests.length;
    clock += 60_000;
    await accounts.poll();
    expect(api.requests.length).toBe(n); // still backing off: no request at all
    clock += 61_000;
    await accounts.poll();
    expect(put).toEqual(['api:binance', 'api:binance']);

    // Another tool on this IP has used most of Binance's request weight: reads pause for a minute.
    api.binanceUsedWeight = 1800;
    await accounts.poll();
    expect(put).toHaveLength(3);
    expect(accounts.statuses.binance).toMatchObject({ backoffUntil: clock + 60_000, pollError: expect.stringMatching(/1800 of 2400 request weight/) });
    api.binanceUsedWeight = 25;
    const w = api.requests.length;
    await accounts.poll();
    expect(api.requests.length).toBe(w);
    clock += 61_000;

    enabled = false;
    const m = api.requests.length;
    await accounts.poll();
    expect(api.requests.length).toBe(m);
    enabled = true;

    // A day later the gate runs again; the key was edited to allow withdrawals → refused, no more reads.
    clock += GATE_RECHECK_MS;
    api.binance.apiRestrictions.enableWithdrawals = true;
    await accounts.poll();
    expect(accounts.statuses.binance).toMatchObject({ state: 'refused', switchOff: ['Enable Withdrawals'] });
    expect(put).toHaveLength(3);
    expect(notices).toEqual([
      expect.objectContaining({ id: 'ms|api:binance|api-key|refused', title: 'Binance USDⓈ-M futures: the API key is no longer read-only', message: expect.stringMatching(/switch off "Enable Withdrawals"/) }),
    ]);
    await accounts.poll(); // refused keys wait for the trader: no request, no second notice
    expect(notices).toHaveLength(1);

    await accounts.remove('binance');
    expect(await store.get('binance')).toBeNull();
    expect(removed).toEqual(['api:binance']);
    expect(accounts.statuses.binance).toBeUndefined();
    api.now = () => Date.now();
  });

  it('three exchanges at once, with a local clock 10 min behind: each syncs with its server time, and every request goes to its own exchange only', async () => {
    await storeBinanceKey(store);
    const bybit = await generateKeyPair('bybit');
    await store.put({ exchange: 'bybit', algorithm: 'rsa', privateKey: bybit.privateKey, publicKeyPem: bybit.publicKeyPem, apiKey: 'by-key', passphrase: null, createdAt: 0 });
    Object.assign(api.bybit, { apiKey: 'by-key', publicKeyPem: bybit.publicKeyPem });
    api.bybit.queryApi.rsaPublicKey = bybit.publicKeyPem;
    await store.put({ exchange: 'okx', algorithm: 'hmac', privateKey: await importHmacSecret('ok-secret'), publicKeyPem: null, apiKey: 'ok-key', passphrase: 'ok-pass', createdAt: 0 });
    Object.assign(api.okx, { apiKey: 'ok-key', secret: 'ok-secret', passphrase: 'ok-pass' });
    api.now = () => Date.now() + 600_000;
    const urls: string[] = [];
    const put: string[] = [];
    const accounts = new ApiAccounts({
      keys: store,
      fetch: (input, init) => (urls.push(String(input)), globalThis.fetch(input, init)),
      now: Date.now,
      override: () => ({ rest: api.origin }),
      enabled: () => DEFAULT_SETTINGS.enabledExchanges,
      putAccount: async (key) => void put.push(key),
      removeAccount: async () => {},
      loadStatus: async () => ({}),
      saveStatus: async () => {},
    });
    await accounts.poll();
    api.now = () => Date.now();
    expect(API_EXCHANGES.map((x) => accounts.statuses[x]?.state)).toEqual(['connected', 'connected', 'connected']);
    expect(put.sort()).toEqual(['api:binance', 'api:bybit', 'api:okx']);
    expect(urls.filter((u) => /\/(fapi\/v1\/time|v5\/market\/time|api\/v5\/public\/time)$/.test(u))).toHaveLength(3);
    const prefixes = { binance: apiOrigin('binance', 'fapi', { rest: api.origin }), bybit: apiOrigin('bybit', 'rest', { rest: api.origin }), okx: apiOrigin('okx', 'rest', { rest: api.origin }) };
    for (const u of urls) expect(Object.values(prefixes).some((p) => u.startsWith(`${p}/`)), u).toBe(true);
    // Without the override, each exchange's requests go to its own hosts only.
    expect([apiOrigin('binance', 'sapi'), apiOrigin('binance', 'fapi'), apiOrigin('bybit', 'rest'), apiOrigin('okx', 'rest')]).toEqual(['https://api.binance.com', 'https://fapi.binance.com', 'https://api.bybit.com', 'https://www.okx.com']);
    expect(apiOrigin('okx', 'rest', { rest: 'https://evil.example' })).toBe('https://www.okx.com');
  });

  it('page and API of the same exchange are cross-checked: a position only the page shows and a wallet that differs are stated, both accounts kept', async () => {
    await storeBinanceKey(store);
    const monitor = await start();
    const url = 'https://www.binance.com/en/futures/BTCUSDT';
    const pageSnapshot = {
      exchange: 'binance-usdm', positionMode: 'one-way', walletBalance: '1100', source: { url, readAt: h.clock, reader: 'binance-usdm/dom@1' },
      positions: [
        { symbol: 'BTCUSDT', side: 'long', size: '0.100', contract: 'linear', entryPrice: '100000', markPrice: '100000', marginMode: 'cross', leverage: '20' },
        { symbol: 'ETHUSDT', side: 'short', size: '1', contract: 'linear', entryPrice: '3000', markPrice: '3000', marginMode: 'cross', leverage: '20' },
      ],
    };
    const r = await send({ type: 'page-read', exchange: 'binance-usdm', snapshot: pageSnapshot, health: { ...HYPERLIQUID_HEALTH, exchange: 'binance-usdm', url } }, tabSender(7, url));
    expect(r.ok).toBe(true);
    const reply = await send({ type: 'api-connection', action: 'check', exchange: 'binance' }, optionsSender());
    expect(reply.status.crossCheck).toEqual([expect.stringMatching(/: ETHUSDT short cross: on the page, not on the API$/), expect.stringMatching(/: wallet balance: page 1100, API 1000\.00000000$/)]);
    const keys = Object.keys(monitor.accounts);
    expect(keys).toContain('api:binance');
    expect(keys.filter((k) => k !== 'api:binance' && monitor.accounts[k]!.exchange === 'binance-usdm')).toHaveLength(1);
  });
});

describe('key expiry', () => {
  it('a Bybit key with 10 days left raises a reminder at its (daily) check, not on every read', async () => {
    const store = new KeyStore(new IDBFactory());
    const by = await generateKeyPair('bybit');
    await store.put({ exchange: 'bybit', algorithm: 'rsa', privateKey: by.privateKey, publicKeyPem: by.publicKeyPem, apiKey: 'by-exp', passphrase: null, createdAt: 0 });
    Object.assign(api.bybit, { apiKey: 'by-exp', publicKeyPem: by.publicKeyPem });
    api.bybit.queryApi.rsaPublicKey = by.publicKeyPem;
    api.bybit.queryApi.deadlineDay = 10;
    const notices: string[] = [];
    const accounts = new ApiAccounts({
      keys: store, fetch: globalThis.fetch.bind(globalThis), now: Date.now, override: () => ({ rest: api.origin }), enabled: () => DEFAULT_SETTINGS.enabledExchanges,
      notify: async (_id, t) => void notices.push(t.title),
      putAccount: async () => {}, removeAccount: async () => {}, loadStatus: async () => ({}), saveStatus: async () => {},
    });
    await accounts.poll();
    await accounts.poll();
    expect(notices).toEqual(['Bybit (Unified account): the API key expires in 10 days']);
    api.bybit.queryApi.deadlineDay = 83;
  });
});

describe('API snapshots pass the intake schema', () => {
  it('a snapshot the engine schema refuses (hedge legs duplicated) is not fed in; the status names the field', async () => {
    const store = new KeyStore(new IDBFactory());
    await storeBinanceKey(store);
    const st = binanceState();
    const leg = (st.positionRisk as Record<string, unknown>[])[0]!;
    // One-way account with two BOTH rows of one symbol: the schema's one-position-per-symbol rule refuses it.
    st.positionRisk = [leg, { ...leg }];
    Object.assign(api.binance, st);
    const put: string[] = [];
    const accounts = new ApiAccounts({
      keys: store, fetch: globalThis.fetch.bind(globalThis), now: Date.now, override: () => ({ rest: api.origin }), enabled: () => DEFAULT_SETTINGS.enabledExchanges,
      putAccount: async (key) => void put.push(key), removeAccount: async () => {}, loadStatus: async () => ({}), saveStatus: async () => {},
    });
    await accounts.poll();
    expect(put).toEqual([]);
    expect(accounts.statuses.binance?.pollError).toMatch(/^snapshot refused: positions\[1\]\.symbol: duplicates positions\[0\]/);
  });
});
