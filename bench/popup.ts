/**
 * Bundle sizes of the popup and the on-page overlay, gzip, from the built Chrome extension
 * (.output/chrome-mv3; built first with `wxt build` when missing or older than the sources).
 *
 * - popup, first render: the scripts popup.html loads (entry + modulepreload chunks): what the
 *   browser parses before the first ratio is on screen.
 * - popup, all: plus every chunk reachable by dynamic import (the what-if and stress views, loaded
 *   when the user opens those panels; the background computes them, so no engine or decimal.js).
 * - overlay: content-scripts/overlay.js, which runs inside the exchange pages.
 * Sizes in KB (1 KB = 1000 bytes), gzip level 9. `p99` = `median` (one measurement).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { BenchRow } from './types';

const ROOT = resolve(dirname(new URL(import.meta.url).pathname), '..');
const OUT = join(ROOT, '.output', 'chrome-mv3');

function newestMtime(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return t;
}

function ensureBuilt(): void {
  const marker = join(OUT, 'popup.html');
  const sources = Math.max(...['components', 'entrypoints', 'lib'].map((d) => newestMtime(join(ROOT, d))));
  if (existsSync(marker) && existsSync(join(OUT, 'content-scripts', 'overlay.js')) && statSync(marker).mtimeMs >= sources) return;
  execFileSync('npx', ['wxt', 'build'], { cwd: ROOT, stdio: 'ignore' });
}

const gz = (file: string) => gzipSync(readFileSync(file), { level: 9 }).length;

/** Scripts an HTML page loads up front: module entry and modulepreload links. */
export function eagerScripts(html: string): string[] {
  const out = new Set<string>();
  for (const m of html.matchAll(/<script[^>]*\bsrc="([^"]+\.js)"/g)) out.add(m[1]!);
  for (const m of html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+\.js)"/g)) out.add(m[1]!);
  return [...out].map((s) => s.replace(/^\//, ''));
}

/**
 * Chunks reachable from `start` (paths relative to OUT) through static imports, and through
 * dynamic `import()` too unless `dynamic` is false (what loads up front vs on demand).
 */
export function reachable(start: string[], dynamic = true): string[] {
  const importRe = dynamic ? /(?:import\(|\bfrom|\bimport)\s*["'`]([^"'`]+\.js)["'`]/g : /(?:\bfrom|\bimport)\s*["'`]([^"'`]+\.js)["'`]/g;
  const seen = new Set<string>();
  const queue = [...start];
  while (queue.length) {
    const f = queue.pop()!;
    if (seen.has(f) || !existsSync(join(OUT, f))) continue;
    seen.add(f);
    const text = readFileSync(join(OUT, f), 'utf8');
    for (const m of text.matchAll(importRe)) queue.push(join(dirname(f), m[1]!).replace(/^\//, ''));
  }
  return [...seen];
}

const kb = (bytes: number) => Math.round(bytes / 10) / 100;

export async function benchPopup(): Promise<BenchRow[]> {
  ensureBuilt();
  const html = readFileSync(join(OUT, 'popup.html'), 'utf8');
  const eager = eagerScripts(html);
  const eagerAll = reachable(eager, false);
  const all = reachable(eager);
  const eagerBytes = eagerAll.reduce((s, f) => s + gz(join(OUT, f)), 0);
  const allBytes = all.reduce((s, f) => s + gz(join(OUT, f)), 0);
  const overlayFile = join(OUT, 'content-scripts', 'overlay.js');
  const overlayBytes = gz(overlayFile);
  const overlayHasDecimal = readFileSync(overlayFile, 'utf8').includes('DecimalError');
  const hasDecimal = (files: string[]) => files.some((f) => readFileSync(join(OUT, f), 'utf8').includes('DecimalError'));
  return [
    {
      name: 'popup JS gzip, first render (entry + preloaded chunks)',
      unit: 'KB',
      median: kb(eagerBytes),
      p99: kb(eagerBytes),
      goal: '≤ 23 KB (issue 13), no decimal.js',
      met: eagerBytes <= 23_000 && !hasDecimal(eagerAll),
      note: `${eagerAll.length} chunks: ${eagerAll.join(', ')}${hasDecimal(eagerAll) ? ' (includes decimal.js)' : ' (no decimal.js)'}`,
    },
    {
      name: 'popup JS gzip, all chunks (with what-if/stress loaded on demand)',
      unit: 'KB',
      median: kb(allBytes),
      p99: kb(allBytes),
      goal: '< 30 KB',
      met: allBytes < 30_000,
      note: `${all.length} chunks${hasDecimal(all) ? ' (includes decimal.js)' : ' (no decimal.js: what-if and stress are computed by the background)'}`,
    },
    {
      name: 'overlay content script gzip (content-scripts/overlay.js)',
      unit: 'KB',
      median: kb(overlayBytes),
      p99: kb(overlayBytes),
      goal: '< 20 KB, no decimal.js',
      met: overlayBytes < 20_000 && !overlayHasDecimal,
      note: overlayHasDecimal ? 'decimal.js IS bundled in the overlay' : 'no decimal.js in the overlay',
    },
  ];
}
