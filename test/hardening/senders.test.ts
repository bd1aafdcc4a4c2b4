/**
 * Sender checks under hostile senders (lib/background/senders.ts), and what the background does
 * with refused messages (counted in `monitorCounters`). The real-Chromium cases (a page on a
 * foreign host, a second extension, our content script on the wrong host) are in
 * test/e2e/hardening.e2e.test.ts; the basic cases in test/background/endpoints.test.ts.
 */
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import WebSocket from 'ws';
import { startBackground } from '@/lib/background';
import type { Monitor } from '@/lib/background/monitor';
import { contentSenderProblem, isExtensionPage, type SenderLike } from '@/lib/background/senders';
import { EXCHANGES, type ExchangeId } from '@/lib/engine/snapshot';
import { PAGE_HOSTS } from '@/lib/exchanges/endpoints';
import { countersItem, endpointOverrideItem } from '@/lib/storage';

const OURS = 'abcdefghijklmnopabcdefghijklmnop';

/** URLs that try to look like an exchange page from somewhere else. */
function lookalikes(host: string): string[] {
  return [
    `https://${host}.evil.example/futures`,
    `https://${host}@evil.example/futures`,
    `https://evil.example/${host}/futures`,
    `https://evil.example/#https://${host}/`,
    `https://evil.example/?u=https://${host}/`,
    `https://x${host}/`,
    `https://${host.replace(/\./g, '-')}.example/`,
    `http://${host}/futures`,
    `ws://${host}/`,
    `blob:https://${host}/0b9e7a4c-1c4e-4b7e-9a77-1d2f0a1b2c3d`,
    `data:text/html,https://${host}/`,
    `file:///${host}/index.html`,
    `chrome-extension://${OURS}/popup.html`,
    `about:blank`,
    `https://${host.toUpperCase()}.evil.example/`,
    `https://${host}./`,
    `not a url ${host}`,
  ];
}

describe('contentSenderProblem: only our content script, in a tab, on the exchange\'s own https host', () => {
  it.each(EXCHANGES.map((e) => [e]))('%s: look-alike URLs are refused', (exchange) => {
    const host = PAGE_HOSTS[exchange as ExchangeId];
    expect(contentSenderProblem({ id: OURS, url: `https://${host}/any/path?q=1`, tab: { id: 1 } }, exchange, OURS)).toBeNull();
    for (const url of lookalikes(host)) {
      expect(contentSenderProblem({ id: OURS, url, tab: { id: 1 } }, exchange, OURS), url).not.toBeNull();
    }
  });

  it('any sender at all: accepted exactly when id, tab, exchange, https and host all match', () => {
    const exchange = fc.oneof(fc.constantFrom<unknown>(...EXCHANGES), fc.constantFrom<unknown>('kraken', '', null, undefined, 42, '__proto__', 'constructor'));
    const host = fc.constantFrom(...new Set(Object.values(PAGE_HOSTS)), 'evil.example', 'www.binance.com.evil.example');
    const url = fc.oneof(
      fc.tuple(fc.constantFrom('https', 'http', 'wss'), host, fc.webPath()).map(([s, h, p]) => `${s}://${h}${p}`),
      host.chain((h) => fc.constantFrom(...lookalikes(h))),
      fc.string(),
      fc.constant(undefined),
    );
    const sender = fc.record(
      {
        id: fc.constantFrom<string | undefined>(OURS, 'ponmlkjihgfedcbaponmlkjihgfedcba', '', undefined),
        url,
        tab: fc.oneof(fc.constant(undefined), fc.record({ id: fc.oneof(fc.nat(), fc.constant(undefined)) })),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(sender, exchange, (s, ex) => {
        const problem = contentSenderProblem(s as SenderLike, ex, OURS);
        let shouldAccept = false;
        if (s.id === OURS && typeof s.tab?.id === 'number' && typeof ex === 'string' && (EXCHANGES as readonly string[]).includes(ex)) {
          try {
            const u = new URL(s.url ?? '');
            shouldAccept = u.protocol === 'https:' && u.hostname === PAGE_HOSTS[ex as ExchangeId];
          } catch {
            shouldAccept = false;
          }
        }
        expect(problem === null, `${JSON.stringify(s)} ${String(ex)} → ${problem}`).toBe(shouldAccept);
      }),
      { seed: 77, numRuns: 3000 },
    );
  });

  it('isExtensionPage: our id from a tab counts only with our own origin (prefix-safe)', () => {
    const origin = `chrome-extension://${OURS}/`;
    expect(isExtensionPage({ id: OURS }, OURS, origin)).toBe(true);
    expect(isExtensionPage({ id: OURS, url: `${origin}popup.html`, tab: { id: 1 } }, OURS, origin)).toBe(true);
    for (const url of [`chrome-extension://${OURS}x/popup.html`, `https://www.binance.com/${origin}`, undefined]) {
      expect(isExtensionPage({ id: OURS, url, tab: { id: 1 } }, OURS, origin), String(url)).toBe(false);
    }
    expect(isExtensionPage({ id: 'other', url: `${origin}popup.html` }, OURS, origin)).toBe(false);
  });
});

describe('background: refused messages are answered with an error and counted', () => {
  let started: { monitor: Monitor; ready: Promise<void> } | null = null;
  beforeEach(async () => {
    fakeBrowser.reset();
    await endpointOverrideItem.setValue({ stream: 'ws://127.0.0.1:9', rest: 'http://127.0.0.1:9' });
    started = startBackground({ WebSocket, backoff: { minMs: 1000, maxMs: 1000, jitterMs: 0 } });
    await started.ready;
  });
  afterEach(async () => {
    await started?.monitor.dispose();
    started = null;
  });
  const send = (msg: unknown, sender: object) =>
    new Promise<any>((resolve, reject) => {
      (fakeBrowser.runtime.onMessage as any).trigger(msg, sender, resolve).catch(reject);
    });

  it('a page-read from each kind of wrong sender: refused, counted one by one, the last reason kept', async () => {
    const read = { type: 'page-read', exchange: 'bybit', snapshot: null, health: null };
    const wrong = [
      { id: 'ponmlkjihgfedcbaponmlkjihgfedcba', url: 'https://www.bybit.com/trade/usdt/BTCUSDT', tab: { id: 1 } },
      { id: fakeBrowser.runtime.id, url: 'https://evil.example/trade/usdt/BTCUSDT', tab: { id: 1 } },
      { id: fakeBrowser.runtime.id, url: 'https://www.bybit.com/trade/usdt/BTCUSDT' },
      { id: fakeBrowser.runtime.id, url: 'http://www.bybit.com/trade/usdt/BTCUSDT', tab: { id: 1 } },
      { id: fakeBrowser.runtime.id, url: 'https://www.okx.com/trade-swap/btc-usdt-swap', tab: { id: 1 } },
    ];
    for (const [i, s] of wrong.entries()) {
      expect(await send(read, s)).toMatchObject({ ok: false, error: expect.stringMatching(/^sender refused: /) });
      expect((await countersItem.getValue()).rejectedSenders).toBe(i + 1);
    }
    expect((await countersItem.getValue()).lastRejectedSender).toBe('host www.okx.com is not www.bybit.com');
  });

  it('extension-page requests (what-if, stress, test-notification) from a content script or another extension are refused', async () => {
    for (const s of [
      { id: fakeBrowser.runtime.id, url: 'https://www.bybit.com/trade/usdt/BTCUSDT', tab: { id: 1 } },
      { id: 'ponmlkjihgfedcbaponmlkjihgfedcba', url: 'chrome-extension://ponmlkjihgfedcbaponmlkjihgfedcba/x.html' },
    ]) {
      for (const type of ['what-if', 'stress', 'test-notification']) expect(await send({ type }, s)).toEqual({ ok: false, error: 'unknown sender' });
    }
    expect(fakeBrowser.notifications.getAllCreateOptions?.() ?? {}).toEqual({});
  });

  // Every refused sender is counted in monitorCounters (lib/background/dispatch.ts), not only page reads.
  it('a refused extension-page request is counted', async () => {
    await send({ type: 'what-if' }, { id: 'ponmlkjihgfedcbaponmlkjihgfedcba', url: 'chrome-extension://ponmlkjihgfedcbaponmlkjihgfedcba/x.html' });
    expect((await countersItem.getValue()).rejectedSenders).toBe(1);
  });
});
