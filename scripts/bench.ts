/**
 * `npm run bench`: every benchmark module in bench/, one table, written as JSON to
 * bench/results.json (not committed). A module that cannot run here (e.g. no Chromium)
 * prints why instead of a number.
 *
 *   npm run bench                      every module
 *   npm run bench -- browser engine    only these modules
 *   npm run bench -- browser --quick   a smoke run (modules that support it: browser): checks every
 *                                      stage runs; figures are not measurements, results.json is not written
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import type { BenchRow } from '../bench/types';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const only = args.filter((a) => a !== '--quick');

const modules: [string, () => Promise<BenchRow[]>][] = [
  ['engine', async () => (await import('../bench/engine')).benchEngine()],
  ['spot-margin', async () => (await import('../bench/spot-margin')).benchSpotMargin()],
  ['stops', async () => (await import('../bench/stops')).benchStops()],
  ['readers', async () => (await import('../bench/readers')).benchReaders()],
  ['alerts', async () => (await import('../bench/alerts')).benchAlerts()],
  ['popup', async () => (await import('../bench/popup')).benchPopup()],
  ['browser', async () => (await import('../bench/browser/index')).benchBrowser({ quick })],
];
const results: { module: string; rows: BenchRow[]; error?: string }[] = [];
for (const [name, run] of modules) {
  if (only.length && !only.includes(name)) continue;
  process.stderr.write(`bench: ${name}…\n`);
  try {
    results.push({ module: name, rows: await run() });
  } catch (e) {
    results.push({ module: name, rows: [], error: (e as Error).message.split('\n')[0] });
  }
}

const fmt = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 1 ? x.toFixed(2) : x.toFixed(4));
const lines: string[] = [];
const head = ['benchmark', 'median', 'p99', 'unit', 'goal', 'met'];
const table: string[][] = [];
for (const r of results) {
  if (r.error) table.push([`${r.module}: NOT MEASURED (${r.error})`, '', '', '', '', '']);
  for (const row of r.rows) {
    table.push([row.name, fmt(row.median), fmt(row.p99), row.unit, row.goal ?? '', row.met === undefined ? '' : row.met ? 'yes' : 'NO']);
    if (row.note) table.push([`    ${row.note}`, '', '', '', '', '']);
  }
}
const widths = head.map((h, i) => Math.max(h.length, ...table.map((r) => (r[i]!.length > 70 && i === 0 ? 0 : r[i]!.length))));
const pad = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
lines.push(pad(head), widths.map((w) => '-'.repeat(w)).join('  '), ...table.map(pad));
process.stdout.write(lines.join('\n') + '\n');

if (quick) {
  process.stderr.write('bench: --quick: a smoke run, bench/results.json left as it was\n');
} else {
  mkdirSync('bench', { recursive: true });
  writeFileSync('bench/results.json', JSON.stringify({ measuredAt: new Date().toISOString(), node: process.version, results }, null, 2));
  process.stderr.write('bench: wrote bench/results.json\n');
}
