/**
 * Real-Chromium benchmarks (Debian Chromium through playwright-core, the harness's loopback
 * HTTPS+WSS server serving the exchange pages and streams under their real host names), one
 * module each, run in this order in one server and two browsers:
 *
 * - readers.ts: the page readers on 100-position pages, per exchange, in a browser without the extension;
 * - overhead.ts: script time of a churning exchange page with / without the extension;
 * - alert-latency.ts: stream frame written → the worker's `chrome.notifications.create`;
 * - popup.ts: navigation start → first known margin ratio in the popup's DOM;
 * - footprint.ts: gzip per entrypoint, and the worker's JS heap after 4 live streams.
 *
 * Shared glue (quantiles, failed rows, a browser without the extension, a worker CDP session):
 * shared.ts. Run: `npm run bench browser` (`-- browser --quick` for a smoke run), see
 * scripts/bench.ts. Needs /usr/bin/chromium (or CHROMIUM_PATH).
 */
import { existsSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { CHROMIUM, launchExtension } from '../../harness/browser';
import { ensureExtensionBuilt } from '../../harness/build';
import { startExchangeServer } from '../../harness/exchange-server';
import type { BenchRow } from '../types';
import { alertLatency } from './alert-latency';
import { entrypointSizes, heapAfterStreams } from './footprint';
import { overheadRows, pageOverhead, PROFILE_MS } from './overhead';
import { popupFirstRatio } from './popup';
import { readersInChromium } from './readers';
import { failedRow, launchPlain } from './shared';

/**
 * All real-Chromium rows. Throws only when Chromium or the build is unavailable.
 * `quick`: a smoke run of every stage (a few reads, one 1 s overhead round with a 2 s profile,
 * 3 crossings, 2 popup loads, 3 s of streams) that checks the stages run; its figures are not
 * measurements (too few samples) and are marked so in each note.
 */
export async function benchBrowser(opts: { quick?: boolean } = {}): Promise<BenchRow[]> {
  const quick = !!opts.quick;
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM} (set CHROMIUM_PATH)`);
  ensureExtensionBuilt();
  const rows: BenchRow[] = [];
  const step = (s: string) => process.stderr.write(`bench: browser: ${s}\n`);
  const ROUNDS = quick ? 1 : 6;
  const WINDOW_MS = quick ? 1000 : 5000;
  const server = await startExchangeServer();
  try {
    const plain = await launchPlain(server);
    try {
      step('readers');
      rows.push(...(await readersInChromium(plain.context, server, quick ? { maxRuns: 20, maxMs: 200 } : {})));
    } finally {
      await plain.close();
    }
    const b = await launchExtension(server);
    try {
      step('page overhead (with / without the extension, interleaved)');
      try {
        rows.push(...overheadRows(await pageOverhead(b, server, ROUNDS, WINDOW_MS, quick ? 2000 : PROFILE_MS), WINDOW_MS));
      } catch (e) {
        rows.push(failedRow('page overhead: script time with / without extension', 'x', '≤ 1.02', e));
      }
      step('alert latency');
      let demoPage: Page | null = null;
      try {
        const r = await alertLatency(b, server, quick ? 3 : 40);
        demoPage = r.page;
        rows.push(...r.rows);
      } catch (e) {
        rows.push(failedRow('alert latency (Chromium): stream frame sent → notifications.create', 'ms', 'p99 < 10 ms', e));
      }
      step('popup');
      try {
        rows.push(...(await popupFirstRatio(b, quick ? 2 : 20)));
      } catch (e) {
        rows.push(failedRow('popup: navigation start → margin ratio in the DOM', 'ms', '< 150 ms', e));
      }
      step(`service-worker heap (${quick ? 3 : 60} s)`);
      try {
        rows.push(...(await heapAfterStreams(b, server, quick ? 3000 : 60_000, 50)));
      } catch (e) {
        rows.push(failedRow('service worker JS heap after 4 live streams (GC, Runtime.getHeapUsage)', 'MB', '< 10 MB, no growth', e));
      }
      await demoPage?.close().catch(() => {});
    } finally {
      await b.close();
    }
  } finally {
    await server.close();
  }
  rows.push(...entrypointSizes());
  if (quick) {
    for (const row of rows) {
      if (row.unit === 'KB') continue; // sizes are exact in any mode
      row.note = `QUICK SMOKE, not a measurement; ${row.note ?? ''}`;
      delete row.met; // too few samples to judge a goal
    }
  }
  return rows;
}
