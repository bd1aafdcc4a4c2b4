/**
 * The optional read-only API connection in the built extension in real Chromium (issue 18):
 * the trader generates a Bybit RSA key in the options page, the loopback "Bybit" (which verifies
 * every signature with the public key shown on the page) knows it as a Read-Only key, the trader
 * pastes the API key and presses Connect. With NO exchange tab open at all, the worker reads
 * the account from the API, its private stream (RSA login verified by the server) brings a position
 * opened "on the phone" at once, and the public mark stream moves the price: the 80 % notification comes.
 *
 * A second scenario connects OKX by pasted key, secret and passphrase.
 *
 * A third scenario does the same for Binance USDⓈ-M with an Ed25519 key: refused while "Enable Futures"
 * is on, connected with only "Enable Reading", then the 80 % notification with every exchange tab closed.
 *
 * Bybit's and OKX's API hosts (api.bybit.com, www.okx.com) are already host permissions (public tier
 * tables), so `permissions.request` answers without a prompt. Binance's API hosts (api.binance.com,
 * fapi.binance.com) are optional host permissions: Chromium asks the user, and a headless browser never
 * shows nor answers that prompt (tried: the request never settles). The Binance scenario therefore runs
 * on a copy of the built extension whose manifest lists those two hosts as granted
 * (harness/build.ts `copyWithHostsGranted`): the state after the user pressed "Allow"; the product code
 * still calls `permissions.request` in the click and it resolves true. No build (e2e or production)
 * grants them up front; the smoke test keeps checking they are optional in the e2e build.
 *
 * The account API and private streams answer on the loopback endpoint override
 * (`endpointOverride.rest`, `.privateStream`), the mark stream on the real stream host.
 */
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { notificationCalls, waitFor } from '../../harness/extension';
import { screenshot } from '../../harness/start';
import { itWhen, useHarness } from '../../harness/vitest';
import { binanceState, bybitState, okxState, startAccountApiServer, type AccountApiServer } from '../../harness/account-api-server';
import { rmSync } from 'node:fs';
import { copyWithHostsGranted } from '../../harness/build';
import type { LaunchOptions } from '../../harness/browser';

declare const chrome: any;

describe('read-only API connection', () => {
  const h = useHarness();
  let api: AccountApiServer;
  beforeAll(async () => void (api = await startAccountApiServer()));
  afterAll(() => api?.close());

  itWhen(['options'], 'Bybit key made in the options page, refused while Read-Write, connected when Read-Only; no tab open; price move → 80 % notification', async () => {
    await h().b.sw().evaluate(([rest, privateStream]) => chrome.storage.local.set({ endpointOverride: { rest, privateStream } }), [api.origin, api.wsOrigin]);
    const page = await h().b.openExtensionPage('options.html');
    const box = page.getByTestId('api-bybit-box');
    await box.getByRole('button', { name: 'Generate a key' }).click();
    const pem = await box.getByLabel('Public key to paste at the exchange').inputValue({ timeout: 15_000 });
    expect(pem).toMatch(/^-----BEGIN PUBLIC KEY-----\n[A-Za-z0-9+/=\n]+\n-----END PUBLIC KEY-----$/);
    // What the trader does at Bybit: register that public key; first by mistake as Read-Write.
    Object.assign(api.bybit, bybitState(), { apiKey: 'e2e-bybit-key', publicKeyPem: pem });
    api.bybit.queryApi.rsaPublicKey = pem;
    api.bybit.queryApi.readOnly = 0;
    await box.getByLabel('API key from Bybit').fill('e2e-bybit-key');
    await box.getByRole('button', { name: 'Connect' }).click();
    await expect.poll(() => page.getByTestId('api-bybit-status').innerText(), { timeout: 15_000 }).toMatch(/^Refused: the key is "Read-Write"/);

    api.bybit.queryApi.readOnly = 1;
    await box.getByRole('button', { name: 'Check again' }).click();
    await expect.poll(() => page.getByTestId('api-bybit-status').innerText(), { timeout: 15_000 }).toMatch(/^Connected read-only\./);
    await screenshot(page, 'options-api-connected');
    expect(api.requests.filter((r) => r.exchange === 'bybit').length).toBeGreaterThan(3);
    expect(api.requests.every((r) => r.verified !== false)).toBe(true);

    // Key material never in chrome.storage: the private key is a non-extractable CryptoKey in IndexedDB.
    const local = JSON.stringify(await h().b.sw().evaluate(() => chrome.storage.local.get(null)));
    expect(local).not.toContain('e2e-bybit-key');
    expect(local).not.toContain(pem.split('\n')[1]!);
    const extractable = await page.evaluate(
      () =>
        new Promise<boolean | null>((resolve) => {
          const r = indexedDB.open('margin-sentinel-api-keys');
          r.onsuccess = () => {
            const g = r.result.transaction('keys').objectStore('keys').get('bybit');
            g.onsuccess = () => resolve(g.result?.privateKey?.extractable ?? null);
          };
        }),
    );
    expect(extractable).toBe(false);
    await page.close();

    // No exchange tab: the account lives on the API alone.
    const account = await waitFor(async () => (await h().b.sw().evaluate(() => chrome.storage.local.get('accounts'))).accounts?.['api:bybit'], { what: 'the api:bybit account' });
    expect(account.snapshot.source.reader).toBe('api');
    expect(account.tabId).toBeNull();
    const tabs = await h().b.sw().evaluate(() => chrome.tabs.query({}));
    expect(tabs.filter((t: { url?: string }) => /bybit|binance|okx|hyperliquid/.test(t.url ?? ''))).toEqual([]);

    // The private stream logged in with the RSA key (verified by the server); a position opened on the
    // phone is pushed as a `position` event and appears at once, with no tab.
    await waitFor(() => api.streamLogins.bybit >= 1, { what: 'the Bybit private stream login' });
    const base = api.bybit.positions[0] as Record<string, unknown>;
    api.bybit.positions = [base, { ...base, symbol: 'ETHUSDT', side: 'Sell', size: '1', avgPrice: '3000', markPrice: '3000', leverage: '10' }];
    api.push('bybit', { id: 'p1', topic: 'position', creationTime: Date.now(), data: [{ symbol: 'ETHUSDT', side: 'Sell', size: '1', category: 'linear' }] });
    await waitFor(
      async () => (await h().b.sw().evaluate(() => chrome.storage.local.get('accounts'))).accounts?.['api:bybit']?.snapshot?.positions?.some((p: { symbol: string }) => p.symbol === 'ETHUSDT'),
      { timeoutMs: 8000, what: 'the position opened on the phone' },
    );
    api.bybit.positions = [base];
    api.push('bybit', { id: 'p2', topic: 'position', creationTime: Date.now(), data: [{ symbol: 'ETHUSDT', side: '', size: '0', category: 'linear' }] });
    await waitFor(
      async () => !(await h().b.sw().evaluate(() => chrome.storage.local.get('accounts'))).accounts?.['api:bybit']?.snapshot?.positions?.some((p: { symbol: string }) => p.symbol === 'ETHUSDT'),
      { timeoutMs: 8000, what: 'the position closed on the phone' },
    );

    // Wallet 2 000, 0.1 BTC long from 100 000: near 80 520 the margin ratio is ≈ 86 %.
    const n = notificationCalls(h().server).length;
    h().server.streams.setMark('bybit', 'BTCUSDT', '95000');
    await new Promise((r) => setTimeout(r, 1500));
    h().server.streams.setMark('bybit', 'BTCUSDT', '80520');
    const note = await waitFor(() => notificationCalls(h().server).slice(n).find((c) => /margin ratio/.test(c.title)), { timeoutMs: 20_000, what: 'the level notification' });
    expect(note.title).toMatch(/^Bybit \(Unified account\) \(API\): margin ratio 8\d\.\d %/);
    expect(note.message).toMatch(/^Crossed the 80\.0 % alert level/);
  }, 120_000);

  itWhen(['options'], 'OKX: pasted key, secret and passphrase connect (perm read_only); the secret is a non-extractable key, not text; the private stream logs in', async () => {
    await h().b.sw().evaluate(([rest, privateStream]) => chrome.storage.local.set({ endpointOverride: { rest, privateStream } }), [api.origin, api.wsOrigin]);
    Object.assign(api.okx, okxState(), { apiKey: 'e2e-okx-key', secret: 'e2e-okx-secret-not-real', passphrase: 'e2e pass' });
    api.okx.config.perm = 'read_only,trade';
    const page = await h().b.openExtensionPage('options.html');
    const box = page.getByTestId('api-okx-box');
    await box.getByLabel('API key', { exact: true }).fill('e2e-okx-key');
    await box.getByLabel('Secret key').fill('e2e-okx-secret-not-real');
    await box.getByLabel('Passphrase').fill('e2e pass');
    await box.getByRole('button', { name: 'Connect' }).click();
    await expect.poll(() => page.getByTestId('api-okx-status').innerText(), { timeout: 15_000 }).toMatch(/^Refused: the key can do more than read: switch off "Trade"/);
    api.okx.config.perm = 'read_only';
    await box.getByRole('button', { name: 'Check again' }).click();
    await expect.poll(() => page.getByTestId('api-okx-status').innerText(), { timeout: 15_000 }).toMatch(/^Connected read-only\./);
    const stored = await page.evaluate(
      () =>
        new Promise<{ extractable: boolean; type: string; json: string } | null>((resolve) => {
          const r = indexedDB.open('margin-sentinel-api-keys');
          r.onsuccess = () => {
            const g = r.result.transaction('keys').objectStore('keys').get('okx');
            g.onsuccess = () => resolve(g.result ? { extractable: g.result.privateKey.extractable, type: g.result.privateKey.algorithm.name, json: JSON.stringify(g.result) } : null);
          };
        }),
    );
    expect(stored).toMatchObject({ extractable: false, type: 'HMAC' });
    expect(stored!.json).not.toContain('e2e-okx-secret-not-real');
    const local = JSON.stringify(await h().b.sw().evaluate(() => chrome.storage.local.get(null)));
    expect(local).not.toContain('e2e-okx-secret-not-real');
    expect(local).not.toContain('e2e pass');
    await waitFor(() => api.streamLogins.okx >= 1, { what: 'the OKX private stream login' });
    const account = await waitFor(async () => (await h().b.sw().evaluate(() => chrome.storage.local.get('accounts'))).accounts?.['api:okx'], { what: 'the api:okx account' });
    expect(account.snapshot.positions.map((p: { symbol: string; size: string }) => [p.symbol, p.size])).toEqual([['BTC-USDT-SWAP', '0.15']]);
    await page.close();
  }, 120_000);
});

describe('read-only API connection: Binance (API hosts granted as after "Allow")', () => {
  const BINANCE_API_HOSTS = ['https://api.binance.com/*', 'https://fapi.binance.com/*'];
  const opts: LaunchOptions = {};
  beforeAll(() => void (opts.extensionDir = copyWithHostsGranted(BINANCE_API_HOSTS)));
  afterAll(() => opts.extensionDir && rmSync(opts.extensionDir, { recursive: true, force: true }));
  const h = useHarness(opts);
  let api: AccountApiServer;
  beforeAll(async () => void (api = await startAccountApiServer()));
  afterAll(() => api?.close());

  itWhen(['options'], 'Binance Ed25519 key made in the options page, refused with "Enable Futures", connected with only "Enable Reading"; no tab open; price move → 80 % notification', async () => {
    await h().b.sw().evaluate(([rest, privateStream]) => chrome.storage.local.set({ endpointOverride: { rest, privateStream } }), [api.origin, api.wsOrigin]);
    const page = await h().b.openExtensionPage('options.html');
    const box = page.getByTestId('api-binance-box');
    await box.getByRole('button', { name: 'Generate a key' }).click();
    const pem = await box.getByLabel('Public key to paste at the exchange').inputValue({ timeout: 15_000 });
    // Ed25519 SubjectPublicKeyInfo: 44 bytes, one base64 line (an RSA fallback would be several lines).
    expect(pem).toMatch(/^-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA[A-Za-z0-9+/]{43}=\n-----END PUBLIC KEY-----$/);
    // What the trader does at Binance: register that public key ("Self-generated"); first by mistake with Enable Futures on.
    Object.assign(api.binance, binanceState(), { apiKey: 'e2e-binance-key', publicKeyPem: pem });
    api.binance.apiRestrictions.enableFutures = true;
    await box.getByLabel('API key from Binance').fill('e2e-binance-key');
    await box.getByRole('button', { name: 'Connect' }).click();
    await expect.poll(() => page.getByTestId('api-binance-status').innerText(), { timeout: 15_000 }).toMatch(/^Refused: the key can do more than read: switch off "Enable Futures"/);
    // Refused at the gate: no account read was made with that key.
    expect(api.requests.filter((r) => r.exchange === 'binance').map((r) => r.path)).toEqual(['/sapi/v1/account/apiRestrictions']);
    expect(await h().b.sw().evaluate((origins) => chrome.permissions.contains({ origins }), BINANCE_API_HOSTS)).toBe(true);

    api.binance.apiRestrictions.enableFutures = false;
    await box.getByRole('button', { name: 'Check again' }).click();
    await expect.poll(() => page.getByTestId('api-binance-status').innerText(), { timeout: 15_000 }).toMatch(/^Connected read-only\./);
    await screenshot(page, 'options-api-binance-connected');
    const paths = new Set(api.requests.filter((r) => r.exchange === 'binance').map((r) => r.path));
    expect(paths).toContain('/fapi/v3/account');
    expect(paths).toContain('/fapi/v3/positionRisk');
    expect(api.requests.every((r) => r.verified === true)).toBe(true);

    const local = JSON.stringify(await h().b.sw().evaluate(() => chrome.storage.local.get(null)));
    expect(local).not.toContain('e2e-binance-key');
    expect(local).not.toContain(pem.split('\n')[1]!);
    const stored = await page.evaluate(
      () =>
        new Promise<{ extractable: boolean; type: string } | null>((resolve) => {
          const r = indexedDB.open('margin-sentinel-api-keys');
          r.onsuccess = () => {
            const g = r.result.transaction('keys').objectStore('keys').get('binance');
            g.onsuccess = () => resolve(g.result ? { extractable: g.result.privateKey.extractable, type: g.result.privateKey.algorithm.name } : null);
          };
        }),
    );
    expect(stored).toEqual({ extractable: false, type: 'Ed25519' });
    await page.close();

    // Every exchange tab closed (none was ever opened): the account lives on the API alone.
    const tabs = await h().b.sw().evaluate(() => chrome.tabs.query({}));
    expect(tabs.filter((t: { url?: string }) => /bybit|binance|okx|hyperliquid/.test(t.url ?? ''))).toEqual([]);
    const account = await waitFor(async () => (await h().b.sw().evaluate(() => chrome.storage.local.get('accounts'))).accounts?.['api:binance'], { what: 'the api:binance account' });
    expect(account.snapshot.source.reader).toBe('api');
    expect(account.tabId).toBeNull();
    expect(account.snapshot.positions.map((p: { symbol: string; size: string }) => [p.symbol, p.size])).toEqual([['BTCUSDT', '0.1']]);
    // The user-data stream: listen key created with the API key, then the private socket opened on it.
    await waitFor(() => api.streamLogins.binance >= 1, { what: 'the Binance user-data stream' });
    expect(api.listenKeyCalls[0]).toBe('POST');

    // Wallet 1 000, 0.1 BTC long from 100 000: near 90 420 the margin ratio is ≈ 86 %.
    const n = notificationCalls(h().server).length;
    h().server.streams.setMark('binance', 'BTCUSDT', '95000');
    await new Promise((r) => setTimeout(r, 1500));
    h().server.streams.setMark('binance', 'BTCUSDT', '90420');
    const note = await waitFor(() => notificationCalls(h().server).slice(n).find((c) => /margin ratio/.test(c.title)), { timeoutMs: 20_000, what: 'the level notification' });
    expect(note.title).toMatch(/^Binance USDⓈ-M futures \(API\): margin ratio 8\d\.\d %/);
    expect(note.message).toMatch(/^Crossed the 80\.0 % alert level/);
    await new Promise((r) => setTimeout(r, 1500));
    expect(notificationCalls(h().server).slice(n).filter((c) => /margin ratio/.test(c.title))).toHaveLength(1);
  }, 120_000);
});
