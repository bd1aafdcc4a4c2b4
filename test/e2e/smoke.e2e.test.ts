/**
 * Smoke: the built extension starts in Chromium, asks for no more than it should, the four
 * exchange pages load at their real URLs from loopback (and nothing else resolves), the
 * stream hosts answer in each exchange's format, and the content script runs on each page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentMessages, contentScriptWorlds, loadedManifest, waitFor } from '../../harness/extension';
import { startHarness, type Harness } from '../../harness/start';
import { EXCHANGE_PAGES, PAGE_HOSTS, STREAM_EXCHANGES, STREAM_HOSTS, type StreamExchange } from '../../harness/hosts';
import { itWhen } from '../../harness/vitest';

declare const chrome: any;

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

/** Hosts the manifest may name: the four futures-page hosts, their REST/stream hosts. */
const EXCHANGE_HOST_RE = /^(\*|https?|wss?):\/\/(www\.binance\.com|fapi\.binance\.com|dapi\.binance\.com|fstream\.binance\.com|dstream\.binance\.com|www\.bybit\.com|api\.bybit\.com|stream\.bybit\.com|www\.okx\.com|ws\.okx\.com(:8443)?|app\.hyperliquid\.xyz|api\.hyperliquid\.xyz)\/\*$/;

describe('extension in Chromium', () => {
  it('starts its MV3 service worker', async () => {
    expect(h.b.extensionId).toMatch(/^[a-p]{32}$/);
    expect(h.b.sw().url()).toBe(`chrome-extension://${h.b.extensionId}/background.js`);
    // The harness spy ran first in the worker, so the worker is the instrumented copy.
    await waitFor(() => h.server.spyEvents.some((e) => e.kind === 'worker-start'), { what: 'the worker-start report' });
    expect(await h.b.sw().evaluate(() => typeof (globalThis as any).__e2e?.worker)).toBe('number');
  });

  it('asks for no more than storage, notifications, alarms, optional offscreen and exchange hosts (optional: Binance API hosts)', async () => {
    const m = await loadedManifest(h.b.sw());
    expect(m.manifest_version).toBe(3);
    expect(m.name).toBe('Margin Sentinel');
    for (const p of m.permissions ?? []) expect(['storage', 'notifications', 'alarms']).toContain(p);
    for (const p of m.host_permissions ?? []) expect(p).toMatch(EXCHANGE_HOST_RE);
    for (const p of m.optional_permissions ?? []) expect(['offscreen']).toContain(p);
    // The read-only API connection (opt-in, issue 18): Binance's account-API hosts, requested at connect time only.
    expect(m.optional_host_permissions ?? []).toEqual(['https://api.binance.com/*', 'https://fapi.binance.com/*']);
    for (const cs of m.content_scripts ?? []) {
      // https trade paths on the page hosts only (lib/exchanges/meta.ts), never a whole host.
      for (const match of cs.matches ?? []) {
        expect(Object.values(PAGE_HOSTS).some((host) => match.startsWith(`https://${host}/`) && match !== `https://${host}/*`), match).toBe(true);
      }
      expect(cs.all_frames ?? false).toBe(false);
    }
    expect(m.externally_connectable).toEqual({ ids: [], matches: [] });
    // Web-accessible: only the overlay's own stylesheets, only to the exchange pages.
    for (const war of m.web_accessible_resources ?? []) {
      for (const r of war.resources) expect(r).toMatch(/^content-scripts\/[\w-]+\.css$/);
      for (const match of war.matches ?? []) expect(Object.values(PAGE_HOSTS).map((host) => `https://${host}/*`)).toContain(match);
    }
    // No remote code: the default MV3 extension-page CSP, or one that adds no remote script source.
    const csp: string = m.content_security_policy?.extension_pages ?? "script-src 'self'";
    expect(csp).not.toMatch(/https?:|\*|unsafe-eval/);
  });

  it('keeps every name but the mapped exchange hosts unresolvable', async () => {
    // From a page (fetches, watched through Playwright's requestfailed) and from the worker.
    // (Not page.goto: Chromium's error page for a failed navigation can hang page.close.)
    const page = await h.b.context.newPage();
    try {
      const failed: string[] = [];
      page.on('requestfailed', (r) => failed.push(`${new URL(r.url()).host} ${r.failure()?.errorText}`));
      await page.goto(EXCHANGE_PAGES.binance.url);
      const results = await page.evaluate((urls) => Promise.all(urls.map((u) => fetch(u, { mode: 'no-cors' }).then(() => 'reached', (e) => String(e)))), [
        'https://example.com/',
        'https://fapi.binance.com/fapi/v1/premiumIndex?symbol=BTCUSDT',
      ]);
      expect(results).toEqual(['TypeError: Failed to fetch', 'TypeError: Failed to fetch']);
      expect(failed).toEqual(expect.arrayContaining(['example.com net::ERR_NAME_NOT_RESOLVED', 'fapi.binance.com net::ERR_NAME_NOT_RESOLVED']));
    } finally {
      await page.close();
    }
    const fromWorker = await h.b.sw().evaluate(() => fetch('https://api.bybit.com/v5/market/time').then(() => 'reached', (e) => String(e)));
    expect(fromWorker).toBe('TypeError: Failed to fetch');
    expect(h.server.requests.map((r) => r.host)).not.toContain('example.com');
  });

  describe.each(STREAM_EXCHANGES)('%s', (ex: StreamExchange) => {
    it(`serves the futures page at its real URL from loopback`, async () => {
      const page = await h.b.context.newPage();
      try {
        const resp = await page.goto(EXCHANGE_PAGES[ex].url);
        expect(resp?.status()).toBe(200);
        expect(await resp?.serverAddr()).toMatchObject({ ipAddress: '127.0.0.1', port: h.server.port });
        const { pathname } = new URL(EXCHANGE_PAGES[ex].url);
        expect(h.server.requests).toContainEqual(expect.objectContaining({ host: PAGE_HOSTS[ex], path: pathname, upgrade: false }));
        // The committed fixture is what was served (each fixture names its page in its opening comment).
        expect(await page.content()).toContain(`FIXTURE:`);
      } finally {
        await page.close();
      }
    });

    it(`answers on ${STREAM_HOSTS[ex]} in the exchange's stream format (harness self-check)`, async () => {
      const probe = STREAM_PROBES[ex];
      h.server.streams.setMark(ex, probe.symbol, '12345.6');
      const got = await h.b.sw().evaluate(
        ({ url, subscribe }) =>
          new Promise<string[]>((resolve, reject) => {
            const ws = new WebSocket(url);
            const frames: string[] = [];
            const t = setTimeout(() => reject(new Error(`no mark from ${url}; frames: ${frames.join(' | ')}`)), 5000);
            ws.onopen = () => subscribe && ws.send(subscribe);
            ws.onerror = () => reject(new Error(`websocket error on ${url}`));
            ws.onmessage = (e) => {
              frames.push(String(e.data));
              if (String(e.data).includes('12345.6')) {
                clearTimeout(t);
                ws.close();
                resolve(frames);
              }
            };
          }),
        { url: probe.url, subscribe: probe.subscribe },
      );
      expect(got.map((f) => JSON.parse(f))).toEqual(probe.expect);
    });

    itWhen(['reader'], `runs the page reader there and its read reaches the background`, async () => {
      const page = await h.b.context.newPage();
      try {
        const before = contentMessages(h.server).length;
        await page.goto(EXCHANGE_PAGES[ex].url);
        const msg = await waitFor(
          () => contentMessages(h.server).slice(before).find((m) => m.url.startsWith(`https://${PAGE_HOSTS[ex]}/`)),
          { what: `a message from the content script on ${PAGE_HOSTS[ex]}` },
        );
        expect(msg.message).toMatchObject({ type: 'page-read' });
        expect((await contentScriptWorlds(h.b, page)).length).toBeGreaterThan(0);
      } finally {
        await page.close();
      }
    });

    itWhen(['overlay'], `mounts the overlay there, in a shadow root`, async () => {
      const page = await h.b.context.newPage();
      try {
        await page.goto(EXCHANGE_PAGES[ex].url);
        const host = page.locator('margin-sentinel-overlay');
        await host.waitFor({ state: 'attached', timeout: 10_000 });
        expect(await host.evaluate((el) => el.shadowRoot !== null)).toBe(true);
      } finally {
        await page.close();
      }
    });
  });
});

/** One subscription per exchange as its docs show it, and the first frames the real server sends. */
const STREAM_PROBES: Record<StreamExchange, { url: string; subscribe: string | null; symbol: string; expect: unknown[] }> = {
  binance: {
    url: 'wss://fstream.binance.com/market/stream?streams=btcusdt@markPrice@1s',
    subscribe: null,
    symbol: 'BTCUSDT',
    expect: [{ stream: 'btcusdt@markPrice@1s', data: expect.objectContaining({ e: 'markPriceUpdate', s: 'BTCUSDT', p: '12345.6' }) }],
  },
  bybit: {
    url: 'wss://stream.bybit.com/v5/public/linear',
    subscribe: JSON.stringify({ req_id: '1', op: 'subscribe', args: ['tickers.BTCUSDT'] }),
    symbol: 'BTCUSDT',
    expect: [
      expect.objectContaining({ success: true, op: 'subscribe', req_id: '1' }),
      expect.objectContaining({ topic: 'tickers.BTCUSDT', type: 'snapshot', data: expect.objectContaining({ symbol: 'BTCUSDT', markPrice: '12345.6' }) }),
    ],
  },
  okx: {
    url: 'wss://ws.okx.com:8443/ws/v5/public',
    subscribe: JSON.stringify({ id: '1512', op: 'subscribe', args: [{ channel: 'mark-price', instId: 'BTC-USDT-SWAP' }] }),
    symbol: 'BTC-USDT-SWAP',
    expect: [
      expect.objectContaining({ id: '1512', event: 'subscribe', arg: { channel: 'mark-price', instId: 'BTC-USDT-SWAP' } }),
      { arg: { channel: 'mark-price', instId: 'BTC-USDT-SWAP' }, data: [expect.objectContaining({ instId: 'BTC-USDT-SWAP', markPx: '12345.6' })] },
    ],
  },
  hyperliquid: {
    url: 'wss://api.hyperliquid.xyz/ws',
    subscribe: JSON.stringify({ method: 'subscribe', subscription: { type: 'activeAssetCtx', coin: 'BTC' } }),
    symbol: 'BTC',
    expect: [
      { channel: 'subscriptionResponse', data: { method: 'subscribe', subscription: { type: 'activeAssetCtx', coin: 'BTC' } } },
      { channel: 'activeAssetCtx', data: { coin: 'BTC', ctx: expect.objectContaining({ markPx: '12345.6' }) } },
    ],
  },
};
