// @vitest-environment node
// lib/view/ holds pure view models (no Preact) that the worker, the overlay and the popup share.
// (That nothing under lib/ imports components/ is checked with the whole import graph in test/layout/imports.test.ts.)
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = process.cwd();

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    return e.isDirectory() ? files(p) : /\.tsx?$/.test(e.name) ? [p] : [];
  });
}

/** Module specifiers a file imports or re-exports (static and dynamic), resolved against the repo root when relative. */
function importsOf(file: string): string[] {
  const src = readFileSync(file, 'utf8');
  const specs = [...src.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?\bfrom\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => (m[1] ?? m[2])!);
  return specs.map((s) => (s.startsWith('.') ? relative(ROOT, resolve(file, '..', s)) : s.replace(/^@\//, '')));
}

describe('layering', () => {
  it('lib/view/ is pure: no Preact, no JSX files', () => {
    const all = files(join(ROOT, 'lib', 'view'));
    expect(all.length).toBeGreaterThan(0);
    expect(all.filter((f) => f.endsWith('.tsx'))).toEqual([]);
    const bad = all.flatMap((f) => importsOf(f).filter((s) => /^preact\b|^@preact\//.test(s)).map((s) => `${relative(ROOT, f)} → ${s}`));
    expect(bad).toEqual([]);
  });

  it('what the worker and the overlay share (view/overlay, view/format, view/reasons, protocol/overlay-feed) imports no storage, settings schema or engine code at run time', () => {
    const shared = ['lib/view/overlay.ts', 'lib/view/format.ts', 'lib/view/reasons.ts', 'lib/protocol/overlay-feed.ts'];
    const bad = shared.flatMap((f) => {
      const src = readFileSync(join(ROOT, f), 'utf8');
      // Value imports only: `import type …` and `type`-only specifiers are erased.
      return [...src.matchAll(/^import (?!type\b)([^;]*?) from '([^']+)';/gm)]
        .filter(([, names]) => !/^\{\s*(?:type \w+(?:,\s*)?)+\}$/.test(names!.trim()))
        .map(([, , spec]) => relative(ROOT, resolve(ROOT, f, '..', spec!)))
        .filter((s) => /^lib\/(storage|settings|engine)\b|decimal\.js|valibot/.test(s))
        .map((s) => `${f} → ${s}`);
    });
    expect(bad).toEqual([]);
  });
});
