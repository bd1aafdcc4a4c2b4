/**
 * Private user-data streams of the read-only API connection against the loopback account-API
 * server (which verifies the Bybit RSA and OKX HMAC logins, and issues Binance listen keys):
 * an account event makes the worker read through REST at once (a position opened "on the phone"
 * appears without waiting for the 30 s poll), a dropped stream reconnects and its reconnect read
 * catches what changed meanwhile (no lost update), the Binance listen key is kept alive.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { IDBFactory } from 'fake-indexeddb';
import WebSocket from 'ws';
import { generateKeyPair, importHmacSecret } from '@/lib/api/keys';
import { KeyStore } from '@/lib/api/keystore';
import { ApiAccounts, STREAM_READ_MIN_GAP_MS } from '@/lib/background/api-accounts';
import type { AccountSnapshot } from '@/lib/engine/snapshot';
import { DEFAULT_SETTINGS } from '@/lib/settings/schema';
import { binanceState, bybitState, okxState, startAccountApiServer, type AccountApiServer } from '../../harness/account-api-server';
import { bybitAuthFrame } from '@/lib/exchanges/bybit/api-stream';
import { okxLoginFrame, okxStreamEvent } from '@/lib/exchanges/okx/api-stream';
import { binanceStreamEvent } from '@/lib/exchanges/binance-usdm/api-stream';
import { bybitStreamEvent } from '@/lib/exchanges/bybit/api-stream';
import { until } from '../support/worker';

let api: AccountApiServer;
beforeAll(async () => void (api = await startAccountApiServer()));
afterAll(() => api.close());

let accounts: ApiAccounts | null = null;
afterEach(() => {
  accounts?.dispose();
  accounts = null;
  api.dropStreams();
});

/** Keys for all three exchanges in a fresh store, registered with the server. */
async function setUp(clock: () => number = Date.now) {
  const store = new KeyStore(new IDBFactory());
  const bn = await generateKeyPair('binance');
  await store.put({ exchange: 'binance', algorithm: bn.algorithm, privateKey: bn.privateKey, publicKeyPem: bn.publicKeyPem, apiKey: 'bn', passphrase: null, createdAt: 0 });
  Object.assign(api.binance, binanceState(), { apiKey: 'bn', publicKeyPem: bn.publicKeyPem });
  const by = await generateKeyPair('bybit');
  await store.put({ exchange: 'bybit', algorithm: 'rsa', privateKey: by.privateKey, publicKeyPem: by.publicKeyPem, apiKey: 'by', passphrase: null, createdAt: 0 });
  Object.assign(api.bybit, bybitState(), { apiKey: 'by', publicKeyPem: by.publicKeyPem });
  api.bybit.queryApi.rsaPublicKey = by.publicKeyPem;
  await store.put({ exchange: 'okx', algorithm: 'hmac', privateKey: await importHmacSecret('ok-secret'), publicKeyPem: null, apiKey: 'ok', passphrase: 'pp', createdAt: 0 });
  Object.assign(api.okx, okxState(), { apiKey: 'ok', secret: 'ok-secret', passphrase: 'pp' });
  const latest: Record<string, AccountSnapshot> = {};
  const reads: Record<string, number> = {};
  accounts = new ApiAccounts({
    keys: store,
    fetch: globalThis.fetch.bind(globalThis),
    WebSocket,
    streamBackoff: { minMs: 50, maxMs: 200 },
    now: clock,
    override: () => ({ rest: api.origin, privateStream: api.wsOrigin }),
    enabled: () => DEFAULT_SETTINGS.enabledExchanges,
    putAccount: async (key, _x, _l, snapshot) => void ((latest[key] = snapshot), (reads[key] = (reads[key] ?? 0) + 1)),
    removeAccount: async () => {},
    loadStatus: async () => ({}),
    saveStatus: async () => {},
  });
  return { accounts, latest, reads };
}

const symbols = (s: AccountSnapshot | undefined) => (s?.positions ?? []).map((p) => `${p.symbol} ${p.side}`);

describe('private user-data streams', () => {
  it('Binance: listen key stream; ACCOUNT_UPDATE → a position opened on the phone appears within the 5 s read gap; drop → reconnect read catches the close; keepalive PUT when due', async () => {
    let clock = Date.now();
    const { accounts, latest } = await setUp(() => clock);
    api.okx.apiKey = api.bybit.apiKey = null; // this test: Binance only (the others fail their gate quietly)
    await accounts.poll();
    expect(symbols(latest['api:binance'])).toEqual(['BTCUSDT long']);
    await until(() => api.streamLogins.binance === 1);
    expect(api.listenKeyCalls).toEqual(['POST']);

    // Opened on the phone: the exchange state changes and the stream says so.
    const eth = { ...(api.binance.positionRisk as Record<string, unknown>[])[0], symbol: 'ETHUSDT', positionSide: 'BOTH', positionAmt: '-2', entryPrice: '3000', markPrice: '3000', liquidationPrice: '3500' };
    api.binance.positionRisk = [...(api.binance.positionRisk as unknown[]), eth];
    const t0 = Date.now();
    expect(api.push('binance', { e: 'ACCOUNT_UPDATE', E: clock, T: clock, a: { m: 'ORDER', B: [], P: [{ s: 'ETHUSDT', pa: '-2', ep: '3000', bep: '0', cr: '0', up: '0', mt: 'cross', iw: '0', ps: 'BOTH' }] } })).toBe(1);
    await until(() => symbols(latest['api:binance']).includes('ETHUSDT short'), 10_000);
    // At most one Binance read per 5 s (request weight), far sooner than the 30 s poll.
    expect(Date.now() - t0).toBeLessThan(STREAM_READ_MIN_GAP_MS.binance + 2000);

    // The stream drops; meanwhile the ETH position is closed (no event reaches us). The reconnect reads.
    api.dropStreams();
    api.binance.positionRisk = (api.binance.positionRisk as Record<string, unknown>[]).filter((p) => p.symbol !== 'ETHUSDT');
    await until(() => api.streamLogins.binance === 2);
    await until(() => !symbols(latest['api:binance']).includes('ETHUSDT short'), 10_000);

    // 31 minutes later the watchdog tick keeps the listen key alive.
    clock += 31 * 60_000;
    await accounts.poll();
    expect(api.listenKeyCalls.filter((c) => c === 'PUT')).toHaveLength(1);
  });

  it('Bybit and OKX: signed stream logins, subscriptions, pings; a position event triggers a read', async () => {
    const { accounts, reads } = await setUp();
    api.binance.apiKey = null;
    await accounts.poll();
    await until(() => api.streamLogins.bybit === 1 && api.streamLogins.okx === 1);
    const frames = (x: 'bybit' | 'okx') => api.streamFrames.filter((f) => f.exchange === x).map((f) => f.data);
    await until(() => frames('okx').some((f) => f.includes('"subscribe"')) && frames('bybit').some((f) => f.includes('"subscribe"')));
    expect(JSON.parse(frames('bybit').find((f) => f.includes('subscribe'))!).args).toEqual(['position', 'wallet']);
    expect(JSON.parse(frames('okx').find((f) => f.includes('subscribe'))!).args).toEqual([
      { channel: 'positions', instType: 'ANY', extraParams: '{"updateInterval":"0"}' },
      { channel: 'account', extraParams: '{"updateInterval":"0"}' },
    ]);
    await until(() => (reads['api:bybit'] ?? 0) >= 2 && (reads['api:okx'] ?? 0) >= 2, 8000); // poll read + (re)connect read
    const before = { bybit: reads['api:bybit']!, okx: reads['api:okx']! };
    api.push('bybit', { id: 'x', topic: 'position', creationTime: Date.now(), data: [{ symbol: 'BTCUSDT', side: 'Buy', size: '0.2', category: 'linear' }] });
    api.push('okx', { arg: { channel: 'positions', uid: '1', instType: 'ANY' }, data: [{ instId: 'BTC-USDT-SWAP', pos: '20' }] });
    await until(() => reads['api:bybit']! > before.bybit && reads['api:okx']! > before.okx, 8000);
  });

  it('frames are classified as documented', () => {
    expect(binanceStreamEvent('{"e":"ACCOUNT_UPDATE"}')).toBe('update');
    expect(binanceStreamEvent('{"e":"MARGIN_CALL"}')).toBe('update');
    expect(binanceStreamEvent('{"e":"listenKeyExpired","listenKey":"x"}')).toBe('reconnect');
    expect(binanceStreamEvent('{"e":"TRADE_LITE"}')).toBe('ignore');
    expect(bybitStreamEvent('{"success":true,"ret_msg":"","op":"auth","conn_id":"c"}')).toBe('login-ok');
    expect(bybitStreamEvent('{"success":false,"ret_msg":"Params Error","op":"auth"}')).toBe('auth-failed');
    expect(bybitStreamEvent('{"topic":"wallet","data":[]}')).toBe('update');
    expect(bybitStreamEvent('{"op":"pong"}')).toBe('ignore');
    expect(okxStreamEvent('{"event":"login","code":"0","msg":"","connId":"a4d3ae55"}')).toBe('login-ok');
    expect(okxStreamEvent('{"event":"error","code":"60009","msg":"Login failed.","connId":"a4d3ae55"}')).toBe('auth-failed');
    expect(okxStreamEvent('{"event":"notice","code":"64008","msg":"The connection will soon be closed for a service upgrade. Please reconnect.","connId":"a4d3ae55"}')).toBe('reconnect');
    expect(okxStreamEvent('{"arg":{"channel":"account"},"data":[{}]}')).toBe('update');
    expect(okxStreamEvent('pong')).toBe('ignore');
  });

  it('stream login signatures reproduce the computed vectors (reference account-apis.md §1.3)', async () => {
    const key = await importHmacSecret('TEST-SECRET-not-real');
    expect(JSON.parse(await okxLoginFrame({ key: { algorithm: 'hmac', key, apiKey: 'K', passphrase: 'P' } }, 1538054050)).args[0]).toEqual({
      apiKey: 'K', passphrase: 'P', timestamp: '1538054050', sign: 'vyGJ4IqZMrsXFIfiSPflpVsgs9JCJ76DVjKpqyL1fiY=',
    });
    expect(JSON.parse(await bybitAuthFrame({ key: { algorithm: 'hmac', key, apiKey: 'K' } }, 1662350400000)).args).toEqual(['K', 1662350400000, '43d0b38fe1b11f5ec33fc17aaa304158305617295c6225fd739b572b30a0ba19']);
  });
});
