/**
 * Hostile neighbours, in real Chromium with the built extension:
 * - a web page on a non-exchange host (and an exchange page's own scripts) cannot message the
 *   background at all: no `externally_connectable`, so pages get no `chrome.runtime.sendMessage`;
 * - a second unpacked extension loaded beside ours ("Intruder"), from its service worker and
 *   from its content script on an exchange page, cannot deliver a message or open a port to us;
 * - our own content script on one exchange's host claiming another exchange is refused by the
 *   sender check with Chromium's real MessageSender, and counted;
 * - hostile stream frames (negative, zero, a 5 MB price) from the stream host are refused,
 *   counted, never shown, and the connection stays up.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page, Worker } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentScriptWorlds, waitFor } from '../../harness/extension';
import { startHarness, type Harness } from '../../harness/start';
import { EXCHANGE_PAGES } from '../../harness/hosts';
import { HARNESS_HOST } from '../../harness/instrument';
import { readAccount } from '../../harness/product';

declare const chrome: any;

/** A forged page-read: a snapshot that no fixture page shows (wallet 123456.78). */
const FORGED = {
  type: 'page-read',
  exchange: 'binance-usdm',
  snapshot: {
    exchange: 'binance-usdm',
    positionMode: 'one-way',
    walletBalance: '123456.78',
    positions: [{ symbol: 'BTCUSDT', side: 'long', size: '5', contract: 'linear', entryPrice: '1', markPrice: '1', marginMode: 'cross', leverage: '125' }],
  },
  health: { exchange: 'binance-usdm', status: 'ok', url: 'https://www.binance.com/en/futures/BTCUSDT', readAt: 0, found: [], missing: [], problems: [], lastGoodReadAt: 0 },
};

/** The intruder: an MV3 extension with a worker and a content script on the Binance page that relays page requests. */
function writeIntruder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ms-e2e-intruder-'));
  writeFileSync(
    join(dir, 'manifest.json'),
    JSON.stringify({
      manifest_version: 3,
      name: 'Intruder',
      version: '1.0',
      background: { service_worker: 'intruder-sw.js' },
      content_scripts: [{ matches: ['*://www.binance.com/*'], js: ['intruder-cs.js'], run_at: 'document_start' }],
    }),
  );
  writeFileSync(join(dir, 'intruder-sw.js'), '/* the test drives this worker through Playwright */\nself.intruder = true;\n');
  // Relay: the page posts {intruder: {to, msg}}; the content script sends it to extension `to` and posts back the outcome.
  writeFileSync(
    join(dir, 'intruder-cs.js'),
    `window.addEventListener('message', (e) => {
  const req = e.data && e.data.intruder;
  if (!req) return;
  try {
    chrome.runtime.sendMessage(req.to, req.msg, (r) => {
      const err = chrome.runtime.lastError;
      window.postMessage({ intruderResult: { response: r === undefined ? null : r, error: err ? err.message : null } }, '*');
    });
  } catch (x) {
    window.postMessage({ intruderResult: { response: null, error: 'threw: ' + x.message } }, '*');
  }
});`,
  );
  return dir;
}

let h: Harness;
let intruderDir: string;
let intruder: Worker;
const pages: Page[] = [];

async function newPage(url: string): Promise<Page> {
  const p = await h.b.context.newPage();
  pages.push(p);
  await p.goto(url);
  return p;
}

async function counters(): Promise<{ rejectedSenders: number; lastRejectedSender: string | null; invalidSnapshots: number }> {
  return h.b
    .sw()
    .evaluate(async () => (await chrome.storage.local.get('monitorCounters')).monitorCounters ?? { rejectedSenders: 0, lastRejectedSender: null, invalidSnapshots: 0 });
}

/** Spy events where something carrying the forged wallet reached our background's listeners. */
const forgedArrivals = () => h.server.spyEvents.filter((e) => JSON.stringify(e.args).includes('123456.78'));

beforeAll(async () => {
  intruderDir = writeIntruder();
  h = await startHarness({ extraExtensionDirs: [intruderDir] });
  intruder = await waitFor(() => h.b.context.serviceWorkers().find((w) => w.url().endsWith('/intruder-sw.js')), { what: "the intruder's worker" });
});
afterAll(async () => {
  for (const p of pages) await p.close().catch(() => {});
  await h?.close();
  if (intruderDir) rmSync(intruderDir, { recursive: true, force: true });
});

describe('messages to the background from outside', () => {
  it('both extensions are loaded, and ours is the one under test', () => {
    expect(h.b.sw().url()).toBe(`chrome-extension://${h.b.extensionId}/background.js`);
    expect(new URL(intruder.url()).host).not.toBe(h.b.extensionId);
  });

  it('a page on a non-exchange host, and an exchange page\'s own scripts, get no messaging API to us', async () => {
    const foreign = await newPage(`https://${HARNESS_HOST}/`);
    const exchange = await newPage(EXCHANGE_PAGES.binance.url);
    for (const page of [foreign, exchange]) {
      const r = await page.evaluate((id) => {
        const rt = (globalThis as any).chrome?.runtime;
        if (!rt || typeof rt.sendMessage !== 'function') return 'no chrome.runtime.sendMessage';
        try {
          rt.sendMessage(id, { type: 'test-notification' });
          return 'sent';
        } catch (e) {
          return `threw: ${(e as Error).message}`;
        }
      }, h.b.extensionId);
      expect(r, page.url()).not.toBe('sent');
    }
    // And none of our content scripts runs on the non-exchange host.
    expect(await contentScriptWorlds(h.b, foreign)).toEqual([]);
    expect(forgedArrivals()).toEqual([]);
  });

  it('another extension cannot message us or open a port, from its worker or its content script', async () => {
    const before = await counters();
    const fromWorker = await intruder.evaluate(
      ([id, msg]) =>
        new Promise<{ send: string | null; port: string | null }>((resolve) => {
          chrome.runtime.sendMessage(id, msg, () => {
            const send = chrome.runtime.lastError?.message ?? null;
            const port = chrome.runtime.connect(id, { name: 'page-read' });
            port.onDisconnect.addListener(() => resolve({ send, port: chrome.runtime.lastError?.message ?? 'disconnected' }));
            port.postMessage(msg);
          });
        }),
      [h.b.extensionId, FORGED] as const,
    );
    console.info('[hardening] intruder worker → us:', JSON.stringify(fromWorker));
    expect(fromWorker.send).toMatch(/Receiving end does not exist|Could not establish connection/);
    expect(fromWorker.port).toMatch(/Receiving end does not exist|Could not establish connection|disconnected/);

    const page = await newPage(EXCHANGE_PAGES.binance.url);
    const fromContent = await page.evaluate(
      ([id, msg]) =>
        new Promise<{ response: unknown; error: string | null }>((resolve) => {
          window.addEventListener('message', (e) => e.data?.intruderResult && resolve(e.data.intruderResult));
          window.postMessage({ intruder: { to: id, msg } }, '*');
        }),
      [h.b.extensionId, FORGED] as const,
    );
    console.info('[hardening] intruder content script → us:', JSON.stringify(fromContent));
    expect(fromContent.response).toBeNull();
    expect(fromContent.error).toMatch(/Receiving end does not exist|Could not establish connection|threw/);

    // Nothing reached our listeners; the account the page shows is the page's, never the forged one.
    expect(forgedArrivals()).toEqual([]);
    const rec = await waitFor(async () => (await readAccount(h.b.sw(), 'binance-usdm'))?.snapshot, { what: 'the Binance page read by our content script' });
    expect(rec.walletBalance).not.toBe('123456.78');
    // External messages never reach a listener of ours, so there is nothing to count (see the report).
    expect((await counters()).rejectedSenders).toBe(before.rejectedSenders);
  });

  it('our content script on the OKX host claiming to be the Binance page is refused by sender and counted', async () => {
    const page = await newPage(EXCHANGE_PAGES.okx.url);
    const before = await counters();
    const cdp = await h.b.context.newCDPSession(page);
    try {
      let contextId: number | undefined;
      cdp.on('Runtime.executionContextCreated', (e) => {
        const aux = e.context.auxData as { type?: string } | undefined;
        if (aux?.type === 'isolated' && e.context.name === 'Margin Sentinel') contextId ??= e.context.id;
      });
      await cdp.send('Runtime.enable');
      await waitFor(() => contextId, { what: "our content script's isolated world on the OKX page" });
      const send = async (msg: unknown) =>
        (
          await cdp.send('Runtime.evaluate', {
            contextId,
            awaitPromise: true,
            returnByValue: true,
            expression: `chrome.runtime.sendMessage(${JSON.stringify(msg)})`,
          })
        ).result.value as { ok: boolean; error?: string };
      const forged = await send(FORGED);
      expect(forged).toEqual({ ok: false, error: 'sender refused: host www.okx.com is not www.binance.com' });
      const after = await counters();
      expect(after.rejectedSenders).toBe(before.rejectedSenders + 1);
      expect(after.lastRejectedSender).toBe('host www.okx.com is not www.binance.com');
      // Requests meant for our extension pages are refused to a content script too.
      expect(await send({ type: 'test-notification' })).toEqual({ ok: false, error: 'unknown sender' });
    } finally {
      await cdp.detach().catch(() => {});
    }
    expect((await readAccount(h.b.sw(), 'binance-usdm'))?.snapshot?.walletBalance).not.toBe('123456.78');
  });
});

describe('hostile frames from the stream host', () => {
  it('negative, zero and a 5 MB price are refused and counted, never shown; the connection stays up', async () => {
    await newPage(EXCHANGE_PAGES.binance.url);
    await waitFor(() => h.server.streams.subscribed('binance').includes('BTCUSDT'), { what: 'a BTCUSDT subscription' });
    const streamStatus = async () => (await h.b.sw().evaluate(() => chrome.storage.session.get('streamStatus'))).streamStatus?.['binance-usdm'];
    const markShown = async () => (await readAccount(h.b.sw(), 'binance-usdm'))?.marks.BTCUSDT?.price;
    h.server.streams.setMark('binance', 'BTCUSDT', '77900.1');
    await waitFor(async () => (await markShown()) === '77900.1', { what: 'the good mark in the account' });
    const rejectedBefore = (await streamStatus()).rejected;
    const connections = h.server.streams.connectionLog.filter((c) => c.exchange === 'binance' && c.accepted).length;

    const t0 = Date.now();
    const lap = (what: string) => console.info(`[hardening] ${what}: ${Date.now() - t0} ms`);
    for (const bad of ['-77900.1', '0', '0.00000000', '7'.repeat(5 * 1024 * 1024)]) {
      h.server.streams.setMark('binance', 'BTCUSDT', bad);
      await new Promise((r) => setTimeout(r, 300));
    }
    await waitFor(
      async () => {
        const r = (await streamStatus()).rejected;
        return r['non-positive'] >= rejectedBefore['non-positive'] + 3 && r.malformed >= rejectedBefore.malformed + 1 ? r : null;
      },
      { what: 'the hostile frames counted' },
    );
    lap('hostile frames counted');
    expect(await markShown()).toBe('77900.1');
    h.server.streams.setMark('binance', 'BTCUSDT', '77901.2');
    await waitFor(async () => (await markShown()) === '77901.2', { what: 'the next good mark shown' });
    lap('next good mark shown');
    expect(h.server.streams.connectionLog.filter((c) => c.exchange === 'binance' && c.accepted).length).toBe(connections);
    expect((await streamStatus()).state).toBe('open');
  });
});
