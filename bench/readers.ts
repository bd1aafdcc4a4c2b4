/**
 * Page-reader benchmark: time to read a 100-row positions table (plus the account panel)
 * per exchange, in happy-dom, as a reference for the same pages in Chromium (bench/browser/readers.ts),
 * where the goal (median under 5 ms) is checked: happy-dom's DOM is 2–3× slower. The pages are the shared fixtures
 * with their rows cloned to 100 positions (fresh symbols), so every read does the real work:
 * find the table by its labels, read each needed cell, cross-check, validate the snapshot.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Window } from 'happy-dom';
import { Bench } from 'tinybench';
import { EXCHANGE_PAGES } from '../lib/exchanges/pages';
import type { BenchRow } from './types';

const PAGES = [
  { id: 'binance-usdm', file: 'binance-usdm.html', url: 'https://www.binance.com/en/futures/BTCUSDT', rows: '#POSITIONS > :nth-child(2) > *' },
  { id: 'bybit', file: 'bybit-linear.html', url: 'https://www.bybit.com/trade/usdt/BTCUSDT', rows: 'table tbody > tr' },
  { id: 'okx', file: 'okx-swap.html', url: 'https://www.okx.com/trade-swap/btc-usdt-swap', rows: 'table tbody > tr:not([aria-hidden])' },
  { id: 'hyperliquid', file: 'hyperliquid.html', url: 'https://app.hyperliquid.xyz/trade', rows: 'table tbody > tr' },
] as const;

/** Clone the fixture's rows to `n` positions with unique symbols (`C<i>XBTC…`). */
function hundredRows(doc: Document, rowsSelector: string, n: number): void {
  const rows = Array.from(doc.querySelectorAll(rowsSelector));
  const parent = rows[0]!.parentElement!;
  rows.forEach((r) => r.remove());
  for (let i = 0; i < n; i++) {
    const row = rows[i % rows.length]!.cloneNode(true) as Element;
    const walker = doc.createTreeWalker(row, 4);
    for (let t = walker.nextNode(); t; t = walker.nextNode()) {
      t.nodeValue = t.nodeValue!.replace(/^(BTC|ETH)(?=USDT| |$)/, `C${i}X$1`).replace(/ (BTC|ETH)$/, ` C${i}X$1`);
    }
    parent.appendChild(row);
  }
  // The account's unrealized PnL no longer matches 100 rows: blank it (shown as "--") so the
  // read takes the normal, status-ok path instead of reporting missing positions.
  for (const el of Array.from(doc.querySelectorAll('span, div'))) {
    if (el.childElementCount === 0 && /^Unrealized (PNL|PnL|P&L)$/.test(el.textContent!.trim()) && el.nextElementSibling) el.nextElementSibling.textContent = '--';
  }
  for (const tab of Array.from(doc.querySelectorAll('[role="tab"]'))) {
    const walker = doc.createTreeWalker(tab, 4);
    for (let t = walker.nextNode(); t; t = walker.nextNode()) {
      if (/^(Open )?positions\s*\(\d+\)/i.test(t.nodeValue!.trim())) t.nodeValue = t.nodeValue!.replace(/\(\d+\)/, `(${n})`);
    }
  }
}

/** Median and p99 read time of a 100-position page per exchange (ms). */
export async function benchReaders(): Promise<BenchRow[]> {
  const window = new Window({ settings: { disableJavaScriptEvaluation: true, disableJavaScriptFileLoading: true, disableCSSFileLoading: true } });
  const out: BenchRow[] = [];
  try {
    for (const p of PAGES) {
      const html = readFileSync(join(import.meta.dirname ?? __dirname, '..', 'test', 'fixtures', 'pages', p.file), 'utf8');
      const doc = new window.DOMParser().parseFromString(html, 'text/html') as unknown as Document;
      hundredRows(doc, p.rows, 100);
      const reader = EXCHANGE_PAGES.find((e) => e.id === p.id)!;
      const check = reader.read(doc, p.url);
      const positions = check.snapshot?.positions.length ?? 0;
      const bench = new Bench({ time: 1000, warmupTime: 200 });
      bench.add(p.id, () => {
        reader.read(doc, p.url);
      });
      await bench.run();
      const r = bench.tasks[0]!.result;
      const lat = r.state === 'completed' ? r.latency : null;
      const median = lat ? Number(lat.p50.toFixed(3)) : NaN;
      out.push({
        name: `read ${p.id} page, 100 positions (happy-dom)`,
        unit: 'ms',
        median,
        p99: lat ? Number(lat.p99.toFixed(3)) : NaN,
        // Reference only: happy-dom (the tests' DOM, in Node) is 2–3× slower than a browser's
        // DOM; the < 5 ms goal is checked on the same pages in Chromium (browser module).
        note:
          positions === 100
            ? `reference for the Chromium rows (goal checked there); status ${check.health.status}${check.health.problems.length ? ` (${check.health.problems[0]})` : ''}`
            : `read ${positions}/100 positions (${check.health.status}): ${check.health.problems.slice(0, 2).join('; ')}`,
      });
    }
  } finally {
    await window.happyDOM.close();
  }
  return out;
}
