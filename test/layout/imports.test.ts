/**
 * The import graph of the extension's source (lib/, components/, entrypoints/), from every
 * `import`, `import type`, `export … from` and dynamic `import('…')` (a small scanner below: the
 * project's TypeScript 7 compiler has no JavaScript API to ask):
 *
 * - no import cycle (lib/exchanges has none, with no exception);
 * - lib/ never imports components/ (views sit above the worker, not beside it);
 * - lib/exchanges, lib/engine and lib/view never import lib/background (adapters and models do
 *   not depend on the service worker);
 * - inside lib/exchanges, no adapter (`<id>/…`, `common/…`) imports a registry;
 * - `ExchangeId` and `EXCHANGES` come from lib/engine/exchanges.ts, not through lib/engine/snapshot.ts's
 *   re-export (delete that re-export once the list below is empty).
 *
 * Known edges that other work in flight removes are listed in ALLOWED below, each with its
 * owner; remove an entry when its edge is gone (the test fails on a stale entry too).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..', '..');
const SCOPES = ['lib', 'components', 'entrypoints'];

function sources(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((e) => {
    const p = join(dir, e);
    return statSync(p).isDirectory() ? sources(p) : /\.(ts|tsx)$/.test(e) && !e.endsWith('.d.ts') ? [p] : [];
  });
}

const EXTS = ['', '.ts', '.tsx', '/index.ts', '/index.tsx'];

/**
 * Source text with comments blanked out (strings and template literals kept, so a URL such as
 * `'https://…'` is not mistaken for a comment).
 */
export function stripComments(src: string): string {
  let out = '';
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    const n = src[i + 1];
    if (c === '/' && n === '/') {
      while (i < src.length && src[i] !== '\n') i++;
    } else if (c === '/' && n === '*') {
      const end = src.indexOf('*/', i + 2);
      i = end < 0 ? src.length : end + 2;
      out += ' ';
    } else if (c === "'" || c === '"' || c === '`') {
      let j = i + 1;
      while (j < src.length && src[j] !== c) j += src[j] === '\\' ? 2 : 1;
      out += src.slice(i, j + 1);
      i = j + 1;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

const IMPORT_RES = [
  /(?:^|[;\s])import\s+(?:type\s+)?[\w*{}\s,$]*?\s*from\s*['"]([^'"]+)['"]/g,
  /(?:^|[;\s])export\s+(?:type\s+)?(?:\*(?:\s+as\s+\w+)?|\{[^}]*\})\s*from\s*['"]([^'"]+)['"]/g,
  /(?:^|[;\s])import\s*['"]([^'"]+)['"]/g,
  /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
];

/** Every module specifier a TypeScript source imports or re-exports (static, type-only and dynamic). */
export function importSpecifiers(src: string): string[] {
  const code = stripComments(src);
  return IMPORT_RES.flatMap((re) => [...code.matchAll(re)].map((m) => m[1]!));
}

/** Repository-relative path of an import target inside the repository, or null (packages, assets). */
function resolveImport(from: string, spec: string): string | null {
  let base: string;
  if (spec.startsWith('@/') || spec.startsWith('~/')) base = join(ROOT, spec.slice(2));
  else if (spec.startsWith('.')) base = resolve(dirname(from), spec);
  else return null;
  for (const ext of EXTS) {
    const p = base + ext;
    if (existsSync(p) && statSync(p).isFile()) return /\.(ts|tsx)$/.test(p) ? relative(ROOT, p) : null;
  }
  return null;
}

/** file → files it imports (repository-relative). */
export function importGraph(): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const abs of SCOPES.flatMap((s) => sources(join(ROOT, s)))) {
    const deps = new Set<string>();
    for (const spec of importSpecifiers(readFileSync(abs, 'utf8'))) {
      const r = resolveImport(abs, spec);
      if (r) deps.add(r);
    }
    graph.set(relative(ROOT, abs), deps);
  }
  return graph;
}

/** Strongly connected components with more than one file (or a self-import): the import cycles. */
export function cycles(graph: Map<string, Set<string>>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1 || graph.get(v)?.has(v)) out.push(scc.sort());
    }
  };
  for (const v of [...graph.keys()].sort()) if (!idx.has(v)) visit(v);
  return out;
}

/**
 * Edges known today that other helpers' moves remove (design review §5 changes 1 and 3). Each is
 * `from -> to`; the lead deletes an entry once its edge is gone.
 */
const ALLOWED = new Set<string>([
  // lib/exchanges/common/watcher.ts (page-reader helper's file): import `type ExchangePage` from
  // './page' (lib/exchanges/common/page.ts) instead of the registry '../pages'.
  'lib/exchanges/common/watcher.ts -> lib/exchanges/pages.ts',
]);

/**
 * Files that still import `ExchangeId`/`EXCHANGES` through lib/engine/snapshot.ts; each owner
 * (lead: background, protocol, storage; page-reader helper: exchanges/health.ts, common/reader.ts;
 * view helper: components/) switches the import to lib/engine/exchanges.ts and deletes the line.
 */
const EXCHANGE_ID_VIA_SNAPSHOT = new Set<string>([
]);

/** The registries of lib/exchanges/: they import adapters, never the other way round. */
const REGISTRIES = ['pages.ts', 'streams.ts', 'tier-sources.ts', 'tiers.ts', 'registry.ts'].map((f) => `lib/exchanges/${f}`);

const edges = (g: Map<string, Set<string>>) => [...g].flatMap(([from, deps]) => [...deps].map((to) => `${from} -> ${to}`));

describe('import graph of lib/, components/, entrypoints/', () => {
  const graph = importGraph();
  const all = edges(graph);

  it('the scanner finds every import form and none in comments or strings (control)', () => {
    const src = [
      "import { a } from './a';",
      "import type { B } from '../b';",
      "import * as c from '@/lib/c';",
      "import './d.css';",
      "export { e } from './e';",
      "export * from './f';",
      "export type { G } from './g';",
      "const h = await import('./h');",
      "import {\n  i,\n  type I,\n} from './i';",
      "// import { x } from './commented';",
      "/* import { y } from './block'; */",
      "const url = 'https://example.invalid/import/from';",
    ].join('\n');
    expect(importSpecifiers(src).sort()).toEqual(['./a', '../b', '@/lib/c', './d.css', './e', './f', './g', './h', './i'].sort());
  });

  it('reads a real graph (control)', () => {
    expect(graph.size).toBeGreaterThan(50);
    expect(graph.get('lib/exchanges/streams.ts')).toContain('lib/exchanges/bybit/stream.ts');
    expect(graph.get('entrypoints/content.ts')).toContain('lib/exchanges/pages.ts');
  });

  it('has no import cycle (once the allow-listed edges, each named above, are gone)', () => {
    const pruned = new Map([...graph].map(([f, deps]) => [f, new Set([...deps].filter((d) => !ALLOWED.has(`${f} -> ${d}`)))]));
    expect(cycles(pruned)).toEqual([]);
  });

  it('lib/exchanges has no cycle, even ignoring the rest of the graph', () => {
    const sub = new Map([...graph].filter(([f]) => f.startsWith('lib/exchanges/')));
    expect(cycles(sub)).toEqual([]);
  });

  it('lib/ never imports components/', () => {
    const bad = all.filter((e) => /^lib\/\S+ -> components\//.test(e) && !ALLOWED.has(e));
    expect(bad).toEqual([]);
  });

  it('lib/exchanges, lib/engine and lib/view never import lib/background', () => {
    const bad = all.filter((e) => /^lib\/(exchanges|engine|view)\/\S+ -> lib\/background\//.test(e) && !ALLOWED.has(e));
    expect(bad).toEqual([]);
  });

  it('exchange adapters and shared helpers (lib/exchanges/<folder>/…) import no registry', () => {
    const bad = all.filter((e) => {
      const m = /^lib\/exchanges\/[^/]+\/\S+ -> (\S+)$/.exec(e);
      return m !== null && REGISTRIES.includes(m[1]!) && !ALLOWED.has(e);
    });
    expect(bad).toEqual([]);
  });

  it('ExchangeId and EXCHANGES are imported from lib/engine/exchanges.ts, not through snapshot.ts', () => {
    const via = [...graph.keys()].filter((f) => {
      const code = stripComments(readFileSync(join(ROOT, f), 'utf8'));
      return [...code.matchAll(/import\s+(?:type\s+)?\{([^}]*)\}\s*from\s*['"]([^'"]+)['"]/g)].some(
        (m) => /\b(ExchangeId|EXCHANGES)\b/.test(m[1]!) && resolveImport(join(ROOT, f), m[2]!) === 'lib/engine/snapshot.ts',
      );
    });
    expect(via.filter((f) => f !== 'lib/engine/snapshot.ts' && !EXCHANGE_ID_VIA_SNAPSHOT.has(f))).toEqual([]);
    expect([...EXCHANGE_ID_VIA_SNAPSHOT].filter((f) => !via.includes(f)), 'stale entries: remove them').toEqual([]);
  });

  it('every allow-listed edge still exists (remove the entry once the move lands)', () => {
    expect([...ALLOWED].filter((e) => !all.includes(e))).toEqual([]);
  });
});
