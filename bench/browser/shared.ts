/**
 * Glue shared by the real-Chromium benchmarks (bench/browser/*.ts): order statistics, a row for
 * a measurement that failed, a browser without the extension on the harness's loopback flags,
 * and a CDP session on the extension's service worker.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type CDPSession } from 'playwright-core';
import { CHROMIUM, chromiumLoopbackArgs, type ExtensionBrowser } from '../../harness/browser';
import type { ExchangeServer } from '../../harness/exchange-server';
import { sleep } from '../../harness/extension';
import type { BenchRow } from '../types';

/** Nearest-rank `q` quantile (0–1) of `xs`; NaN when empty. */
export const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))]! : NaN;
};

/** Round to 3 decimals (figures in the table). */
export const r3 = (x: number) => +x.toFixed(3);

/** A row for a measurement that failed: NaN figures, the reason in the note. */
export function failedRow(name: string, unit: BenchRow['unit'], goal: string, e: unknown): BenchRow {
  return { name, unit, median: NaN, p99: NaN, goal, met: false, note: `NOT MEASURED: ${String((e as Error)?.message ?? e).split('\n')[0]!.slice(0, 200)}` };
}

/**
 * Poll (every 10 ms, finer than the harness's `waitFor`) until `fn` is truthy; returns it.
 * @throws Error naming `what` after `timeoutMs`.
 */
export async function until<T>(fn: () => T, timeoutMs: number, what: string): Promise<NonNullable<T>> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v) return v as NonNullable<T>;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

/** Chromium without the extension, with the harness's loopback flags (harness/browser.ts), fresh profile. */
export async function launchPlain(server: ExchangeServer): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'ms-bench-profile-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: process.env.HEADFUL !== '1',
    viewport: { width: 1280, height: 800 },
    args: chromiumLoopbackArgs(server),
  });
  return {
    context,
    close: async () => {
      await context.close().catch(() => {});
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** Send CDP commands to the extension's service worker through the browser session (non-flattened attach). */
export async function workerSession(b: ExtensionBrowser): Promise<{ send(method: string, params?: object): Promise<any>; detach(): Promise<void> }> {
  const browser: CDPSession = await b.browserCdp();
  const { targetInfos } = await browser.send('Target.getTargets');
  const t = targetInfos.find((x) => x.type === 'service_worker' && x.url.startsWith(`chrome-extension://${b.extensionId}/`));
  if (!t) throw new Error('no service-worker target');
  const { sessionId } = await browser.send('Target.attachToTarget', { targetId: t.targetId, flatten: false });
  let nextId = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const onMsg = (e: { sessionId: string; message: string }) => {
    if (e.sessionId !== sessionId) return;
    const m = JSON.parse(e.message);
    const p = m.id !== undefined ? pending.get(m.id) : undefined;
    if (!p) return;
    pending.delete(m.id);
    if (m.error) p.reject(new Error(`${m.error.message}`));
    else p.resolve(m.result);
  };
  browser.on('Target.receivedMessageFromTarget', onMsg);
  return {
    send: (method, params = {}) =>
      new Promise((resolve, reject) => {
        const id = nextId++;
        pending.set(id, { resolve, reject });
        browser.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params }) }).catch(reject);
      }),
    detach: async () => {
      browser.off('Target.receivedMessageFromTarget', onMsg);
      await browser.send('Target.detachFromTarget', { sessionId }).catch(() => {});
    },
  };
}
