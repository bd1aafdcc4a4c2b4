/**
 * Benchmark: footprint. gzip size of every entrypoint's JavaScript (.output/chrome-mv3), and the
 * service worker's JS heap after a compressed run of 4 live streams.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { STREAM_ADAPTERS } from '../../lib/exchanges/streams';
import type { AccountRecord } from '../../lib/storage';
import type { ExtensionBrowser } from '../../harness/browser';
import type { ExchangeServer } from '../../harness/exchange-server';
import { sleep, waitFor, workerStarts } from '../../harness/extension';
import { EXCHANGE_PAGES as E2E_PAGES, STREAM_EXCHANGES, type StreamExchange } from '../../harness/hosts';
import { BUILT_EXT_DIR } from '../../harness/paths';
import { accountOf, readAccounts } from '../../harness/product';
import { eagerScripts, reachable } from '../popup';
import type { BenchRow } from '../types';
import { workerSession } from './shared';

const gz = (file: string) => gzipSync(readFileSync(file), { level: 9 }).length;
const kb = (bytes: number) => Math.round(bytes / 10) / 100;

/** gzip (level 9) of each entrypoint's JS: the script itself plus statically imported chunks. */
export function entrypointSizes(): BenchRow[] {
  const m = JSON.parse(readFileSync(join(BUILT_EXT_DIR, 'manifest.json'), 'utf8'));
  const entries: { name: string; files: string[]; goalKb?: number }[] = [];
  entries.push({ name: `background (${m.background.service_worker})`, files: [m.background.service_worker] });
  for (const cs of m.content_scripts ?? []) for (const js of cs.js ?? []) entries.push({ name: `content script ${js}`, files: [js], goalKb: 20 });
  for (const html of ['popup.html', 'options.html', 'offscreen.html']) {
    if (!existsSync(join(BUILT_EXT_DIR, html))) continue;
    const eager = eagerScripts(readFileSync(join(BUILT_EXT_DIR, html), 'utf8'));
    // Static closure only (dynamic imports load on demand): module entry + chunks it imports statically.
    const stat = reachable(eager, false);
    entries.push({ name: `${html.replace('.html', '')} page (entry + static chunks, ${stat.length} files)`, files: stat });
  }
  return entries.map((e) => {
    const bytes = e.files.reduce((s, f) => s + gz(join(BUILT_EXT_DIR, f)), 0);
    return {
      name: `gzip JS: ${e.name}`,
      unit: 'KB' as const,
      median: kb(bytes),
      p99: kb(bytes),
      ...(e.goalKb ? { goal: `< ${e.goalKb} KB`, met: bytes < e.goalKb * 1000 } : {}),
    };
  });
}

/**
 * The service worker's JS heap (CDP `HeapProfiler.collectGarbage` + `Runtime.getHeapUsage` on the
 * worker target) before and after `runMs` of 4 live streams (one page per exchange; Binance: the
 * demo page already open) each pushing every `pushEveryMs`. Goal < 10 MB, no growth, no restart.
 */
export async function heapAfterStreams(b: ExtensionBrowser, server: ExchangeServer, runMs: number, pushEveryMs: number): Promise<BenchRow[]> {
  // One open page per exchange (Binance: the demo page already open): four live streams.
  const pages: Page[] = [];
  for (const ex of ['bybit', 'okx', 'hyperliquid'] as StreamExchange[]) {
    const p = await b.context.newPage();
    await p.goto(E2E_PAGES[ex].url);
    pages.push(p);
  }
  try {
    const KEYS: Record<StreamExchange, string> = { binance: 'binance-usdm', bybit: 'bybit', okx: 'okx', hyperliquid: 'hyperliquid' };
    const accounts = await waitFor(
      async () => {
        const a = await readAccounts(b.sw());
        return STREAM_EXCHANGES.every((ex) => accountOf(a, KEYS[ex])?.snapshot) ? a : null;
      },
      { timeoutMs: 20_000, what: 'the four accounts read' },
    );
    // Prices to walk around: each stream symbol's page mark.
    const walk: { ex: StreamExchange; sym: string; base: number; dp: number }[] = [];
    for (const ex of STREAM_EXCHANGES) {
      const rec = accountOf(accounts, KEYS[ex]) as AccountRecord;
      for (const p of rec.snapshot!.positions) {
        const sym = STREAM_ADAPTERS[rec.exchange].streamSymbol(p.symbol);
        const mark = p.markPrice ?? p.entryPrice;
        if (!sym || walk.some((w) => w.ex === ex && w.sym === sym)) continue;
        walk.push({ ex, sym, base: Number(mark), dp: (mark.split('.')[1] ?? '').length });
      }
    }
    for (const w of walk) await waitFor(() => server.streams.subscribed(w.ex).includes(w.sym), { timeoutMs: 15_000, what: `${w.ex} subscription to ${w.sym}` });
    const startsBefore = workerStarts(server).length;
    const ws = await workerSession(b);
    try {
      const heap = async () => {
        await ws.send('HeapProfiler.collectGarbage');
        const u = await ws.send('Runtime.getHeapUsage');
        return u.usedSize as number;
      };
      const before = await heap();
      let frames = 0;
      const timer = setInterval(() => {
        for (const w of walk) {
          const v = w.base * (1 + (Math.random() - 0.5) * 0.002);
          server.streams.setMark(w.ex, w.sym, v.toFixed(w.dp));
          frames++;
        }
      }, pushEveryMs);
      await sleep(runMs);
      clearInterval(timer);
      await sleep(1500); // the throttled storage writes land
      const after = await heap();
      const restarted = workerStarts(server).length !== startsBefore;
      const mb = (x: number) => Math.round((x / 1e6) * 100) / 100;
      const cadence = 1000 / pushEveryMs;
      return [
        {
          name: 'service worker JS heap after 4 live streams (GC, Runtime.getHeapUsage)',
          unit: 'MB',
          median: mb(after),
          p99: mb(after),
          goal: '< 10 MB, no growth',
          met: after < 10e6 && after - before < 1e6 && !restarted,
          note: `${runMs / 1000} s of 4 streams (${walk.length} symbols) each pushing every ${pushEveryMs} ms = ${cadence}× the 1 s cadence: ${frames} frames ≈ ${((runMs / 1000) * cadence / 60).toFixed(0)} min of normal traffic; before ${mb(before)} MB → after ${mb(after)} MB (${after >= before ? '+' : ''}${mb(after - before)} MB)${restarted ? '; WORKER RESTARTED during the run' : ''}`,
        },
      ];
    } finally {
      await ws.detach();
    }
  } finally {
    for (const p of pages) await p.close().catch(() => {});
  }
}
