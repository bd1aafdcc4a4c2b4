/**
 * Benchmark: the page readers (lib/exchanges/pages.ts, bundled for the page with esbuild) on
 * 100-position pages, per exchange, in a page of a Chromium without the extension (pages served
 * by the harness's loopback server under their real host names).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { PANEL_RESCAN_MS } from '../../lib/exchanges/common/table';
import type { ExchangeServer } from '../../harness/exchange-server';
import { PAGE_HOSTS } from '../../harness/hosts';
import { ROOT } from '../../harness/paths';
import type { BenchRow } from '../types';
import { failedRow, quantile, r3 } from './shared';

/** Same pages and row selectors as bench/readers.ts (happy-dom), so the two rows compare. */
const READER_PAGES = [
  { id: 'binance-usdm', host: PAGE_HOSTS.binance, file: 'binance-usdm.html', url: 'https://www.binance.com/en/futures/BTCUSDT', rows: '#POSITIONS > :nth-child(2) > *' },
  { id: 'bybit', host: PAGE_HOSTS.bybit, file: 'bybit-linear.html', url: 'https://www.bybit.com/trade/usdt/BTCUSDT', rows: 'table tbody > tr' },
  { id: 'okx', host: PAGE_HOSTS.okx, file: 'okx-swap.html', url: 'https://www.okx.com/trade-swap/btc-usdt-swap', rows: 'table tbody > tr:not([aria-hidden])' },
  { id: 'hyperliquid', host: PAGE_HOSTS.hyperliquid, file: 'hyperliquid.html', url: 'https://app.hyperliquid.xyz/trade', rows: 'table tbody > tr' },
] as const;

/** The readers as one IIFE for a page: `globalThis.__msReaders` = EXCHANGE_PAGES. */
function readersBundle(): string {
  return execFileSync(
    join(ROOT, 'node_modules', '.bin', 'esbuild'),
    ['--bundle', '--format=iife', '--platform=browser', '--target=chrome120', '--loader=ts', '--log-level=error', '--sourcefile=bench-readers-entry.ts'],
    { cwd: ROOT, input: "import { EXCHANGE_PAGES } from './lib/exchanges/pages';\n(globalThis as any).__msReaders = EXCHANGE_PAGES;\n", encoding: 'utf8', maxBuffer: 32 << 20 },
  );
}

/**
 * In-page: clone the fixture's rows to `n` positions with fresh symbols, blank the account's
 * unrealized PnL, fix the tab count (the logic of bench/readers.ts `hundredRows`), then time
 * reads. Plain JS string: functions serialised from tsx-compiled code can carry helper calls.
 */
const IN_PAGE_READ = `async ({ id, url, rowsSelector, n, maxRuns, maxMs, bookRows }) => {
  const doc = document;
  const rows = Array.from(doc.querySelectorAll(rowsSelector));
  const parent = rows[0].parentElement;
  rows.forEach((r) => r.remove());
  for (let i = 0; i < n; i++) {
    const row = rows[i % rows.length].cloneNode(true);
    const walker = doc.createTreeWalker(row, 4);
    for (let t = walker.nextNode(); t; t = walker.nextNode()) {
      t.nodeValue = t.nodeValue.replace(/^(BTC|ETH)(?=USDT| |$)/, 'C' + i + 'X$1').replace(/ (BTC|ETH)$/, ' C' + i + 'X$1');
    }
    parent.appendChild(row);
  }
  for (const el of Array.from(doc.querySelectorAll('span, div'))) {
    if (el.childElementCount === 0 && /^Unrealized (PNL|PnL|P&L)$/.test(el.textContent.trim()) && el.nextElementSibling) el.nextElementSibling.textContent = '--';
  }
  for (const tab of Array.from(doc.querySelectorAll('[role="tab"]'))) {
    const walker = doc.createTreeWalker(tab, 4);
    for (let t = walker.nextNode(); t; t = walker.nextNode()) {
      if (/^(Open )?positions\\s*\\(\\d+\\)/i.test(t.nodeValue.trim())) t.nodeValue = t.nodeValue.replace(/\\(\\d+\\)/, '(' + n + ')');
    }
  }
  if (bookRows) {
    // A busy trading page: an order book / trades list of bookRows rows (4 elements each).
    const book = doc.createElement('div');
    let h = '';
    for (let i = 0; i < bookRows; i++) h += '<div class="ob-row"><span class="ob-price">' + (76000 + i / 10).toFixed(1) + '</span><span class="ob-qty">' + ((i % 97) / 1000).toFixed(3) + '</span><span class="ob-total">' + (i * 13.7).toFixed(2) + '</span></div>';
    book.innerHTML = h;
    doc.body.appendChild(book);
  }
  const reader = globalThis.__msReaders.find((e) => e.id === id);
  const check = reader.read(doc, url);
  for (let i = 0; i < 30; i++) reader.read(doc, url);
  const time = (opts) => {
    const xs = [];
    const end = performance.now() + maxMs;
    let i = 0;
    while (xs.length < maxRuns && performance.now() < end) {
      const o = opts(i++);
      const t0 = performance.now();
      reader.read(doc, url, o);
      xs.push(performance.now() - t0);
    }
    return xs;
  };
  // Steady reads (the account labels found by the last page walk are reused), then reads that
  // each walk the whole page for the account labels (the clock moved past PANEL_RESCAN_MS per read).
  const xs = time(() => undefined);
  const walk = bookRows ? time((i) => ({ now: Date.now() + (i + 1) * ${PANEL_RESCAN_MS + 10_000} })) : [];
  return { xs, walk, positions: check.snapshot ? check.snapshot.positions.length : 0, status: check.health.status, problems: check.health.problems.slice(0, 2) };
}`;

/**
 * Rows: per exchange, a read of the 100-position page (goal: median < 5 ms), then the same on a
 * page with a 3,000-row order book (no goal: what page size adds). `maxRuns` reads or `maxMs`
 * per page, whichever ends first (defaults 400 and 2000 ms). Serves the pages on `server` and
 * puts back the fixtures after.
 */
export async function readersInChromium(
  context: BrowserContext,
  server: ExchangeServer,
  opts: { maxRuns?: number; maxMs?: number } = {},
): Promise<BenchRow[]> {
  const maxRuns = opts.maxRuns ?? 400;
  const maxMs = opts.maxMs ?? 2000;
  const bundle = readersBundle();
  const out: BenchRow[] = [];
  const BOOK_ROWS = 3000;
  for (const bookRows of [0, BOOK_ROWS]) {
    for (const p of READER_PAGES) {
      const name = bookRows
        ? `read ${p.id}, 100 positions, page with a ${BOOK_ROWS.toLocaleString('en')}-row order book (Chromium)`
        : `read ${p.id} page, 100 positions (Chromium)`;
      const page = await context.newPage();
      try {
        const html = readFileSync(join(ROOT, 'test', 'fixtures', 'pages', p.file), 'utf8');
        server.setPage(p.host, `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>bench</title></head><body>\n${html}\n</body></html>`);
        await page.goto(p.url);
        await page.addScriptTag({ content: bundle });
        const r = (await page.evaluate(`(${IN_PAGE_READ})(${JSON.stringify({ id: p.id, url: p.url, rowsSelector: p.rows, n: 100, maxRuns, maxMs, bookRows })})`)) as {
          xs: number[];
          walk: number[];
          positions: number;
          status: string;
          problems: string[];
        };
        const median = quantile(r.xs, 0.5);
        const ok = r.positions === 100;
        const status = `status ${r.status}${r.problems.length ? ` (${r.problems[0]})` : ''}`;
        out.push({
          name,
          unit: 'ms',
          median: r3(median),
          p99: r3(quantile(r.xs, 0.99)),
          // The goal is for the positions table; the busy-page rows show what page size adds.
          ...(bookRows ? {} : { goal: '< 5 ms', met: median < 5 && ok }),
          note: !ok
            ? `read ${r.positions}/100 positions (${r.status}): ${r.problems.join('; ')}`
            : bookRows
              ? `${r.xs.length} steady reads; a read that also walks the page for the account labels (every ${PANEL_RESCAN_MS / 1000} s, or every read while a label the engine needs is missing): median ${r3(quantile(r.walk, 0.5))} ms, p99 ${r3(quantile(r.walk, 0.99))} ms; ${status}`
              : `${r.xs.length} reads after 30 warm-up, esbuild bundle of lib/exchanges/pages.ts in the page; ${status}; performance.now() is coarsened to 0.1 ms here`,
        });
      } catch (e) {
        out.push(failedRow(name, 'ms', bookRows ? '' : '< 5 ms', e));
      } finally {
        await page.close().catch(() => {});
      }
    }
  }
  server.resetPage('binance');
  server.resetPage('bybit');
  server.resetPage('okx');
  server.resetPage('hyperliquid');
  return out;
}
