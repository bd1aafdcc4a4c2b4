import { describe, expect, it } from 'vitest';
import { contentSenderProblem, isExtensionPage } from '@/lib/background/senders';
import { sanitizeHealth } from '@/lib/background/monitor';
import { fetchJson } from '@/lib/exchanges/common/rest';
import { ENDPOINT_OVERRIDE_ENABLED, isLoopbackOrigin, REST_HOST_PERMISSIONS, restUrl, streamUrl } from '@/lib/exchanges/endpoints';
import { CONTENT_MATCHES } from '@/lib/exchanges/meta';
import config from '@/wxt.config';
import { startStreamServer } from '../../harness/stream-server';

describe('endpoints', () => {
  it('defaults to the real exchange URLs', () => {
    expect(streamUrl('binance-usdm', 'streams=btcusdt@markPrice@1s')).toBe('wss://fstream.binance.com/market/stream?streams=btcusdt@markPrice@1s');
    expect(streamUrl('binance-coinm')).toBe('wss://dstream.binance.com/stream');
    expect(streamUrl('bybit')).toBe('wss://stream.bybit.com/v5/public/linear');
    expect(streamUrl('okx')).toBe('wss://ws.okx.com:8443/ws/v5/public');
    expect(streamUrl('hyperliquid')).toBe('wss://api.hyperliquid.xyz/ws');
    expect(restUrl('okx', '/api/v5/public/position-tiers', 'instType=SWAP')).toBe('https://www.okx.com/api/v5/public/position-tiers?instType=SWAP');
  });
  it('accepts only loopback overrides, keeping the real path under an exchange prefix', () => {
    expect(streamUrl('bybit', '', { stream: 'ws://127.0.0.1:9000' })).toBe('ws://127.0.0.1:9000/bybit/v5/public/linear');
    expect(restUrl('hyperliquid', '/info', '', { rest: 'http://localhost:9000/' })).toBe('http://localhost:9000/hyperliquid/info');
    expect(streamUrl('bybit', '', { stream: 'wss://evil.example' })).toBe('wss://stream.bybit.com/v5/public/linear');
    expect(isLoopbackOrigin('ws://127.0.0.1.evil.example')).toBe(false);
    expect(isLoopbackOrigin('ws://127.0.0.1:1/path')).toBe(false);
    expect(isLoopbackOrigin('file:///etc')).toBe(false);
  });
  it('honours the override outside production builds only (tests run in mode "test"; production is checked on the built bundle in test/hardening/manifest.test.ts)', () => {
    expect(import.meta.env.MODE).not.toBe('production');
    expect(ENDPOINT_OVERRIDE_ENABLED).toBe(true);
  });
  it('the manifest asks for exactly the REST hosts the background fetches', () => {
    const manifest = typeof config.manifest === 'function' ? (config.manifest as (e: { browser: string }) => { host_permissions?: string[] })({ browser: 'chrome' }) : config.manifest;
    expect([...(manifest as { host_permissions?: string[] }).host_permissions!].sort()).toEqual([...REST_HOST_PERMISSIONS].sort());
    expect(CONTENT_MATCHES.length).toBeGreaterThan(0);
  });
  it('public REST requests (GET and POST, as the Hyperliquid address watch sends) carry no cookies and no referrer', async () => {
    const server = await startStreamServer();
    try {
      server.setRest('hyperliquid', '/info', { ok: 1 });
      const inits: (RequestInit | undefined)[] = [];
      const f = ((url: string, init?: RequestInit) => (inits.push(init), fetch(url, init))) as typeof fetch;
      const url = restUrl('hyperliquid', '/info', '', { rest: server.httpOrigin });
      expect(await fetchJson(f, url, 'hyperliquid clearinghouseState', { type: 'clearinghouseState', user: '0xabc' })).toEqual({ ok: 1 });
      expect(await fetchJson(f, url, 'get')).toEqual({ ok: 1 });
      expect(inits).toEqual([
        expect.objectContaining({ method: 'POST', credentials: 'omit', referrerPolicy: 'no-referrer' }),
        expect.objectContaining({ credentials: 'omit', referrerPolicy: 'no-referrer' }),
      ]);
    } finally {
      await server.close();
    }
  });
});

describe('sender checks', () => {
  const ok = { id: 'me', url: 'https://www.bybit.com/trade/usdt/BTCUSDT', tab: { id: 3 } };
  it('accepts our content script on the exchange host only', () => {
    expect(contentSenderProblem(ok, 'bybit', 'me')).toBeNull();
    expect(contentSenderProblem(ok, 'okx', 'me')).toMatch(/host www.bybit.com is not www.okx.com/);
    expect(contentSenderProblem({ ...ok, id: 'x' }, 'bybit', 'me')).toMatch(/foreign/);
    expect(contentSenderProblem({ ...ok, tab: undefined }, 'bybit', 'me')).toMatch(/not from a tab/);
    expect(contentSenderProblem({ ...ok, url: 'https://www.bybit.com.evil.example/' }, 'bybit', 'me')).toMatch(/host/);
    expect(contentSenderProblem({ ...ok, url: undefined }, 'bybit', 'me')).toMatch(/no sender url/);
    expect(contentSenderProblem(ok, 'kraken', 'me')).toMatch(/unknown exchange/);
  });
  it('recognises extension pages', () => {
    expect(isExtensionPage({ id: 'me', url: 'chrome-extension://me/popup.html' }, 'me', 'chrome-extension://me/')).toBe(true);
    expect(isExtensionPage({ id: 'me', url: 'https://www.bybit.com/', tab: { id: 1 } }, 'me', 'chrome-extension://me/')).toBe(false);
    expect(isExtensionPage({ id: 'other' }, 'me', 'chrome-extension://me/')).toBe(false);
  });
  it('bounds reader health before storing it', () => {
    const h = sanitizeHealth({ exchange: 'bybit', status: 'partial', url: 'u', readAt: 1, found: Array(100).fill('x'.repeat(500)), missing: [1, 'Liq. Price'], problems: [], lastGoodReadAt: null }, 'bybit');
    expect(h!.found).toHaveLength(50);
    expect(h!.found[0]).toHaveLength(200);
    expect(h!.missing).toEqual(['Liq. Price']);
    expect(sanitizeHealth({ exchange: 'okx', status: 'ok', readAt: 1 }, 'bybit')).toBeNull();
  });
});
