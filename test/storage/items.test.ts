/**
 * Storage layout rules (issue 13.6): every item is defined once, under lib/storage/, with a
 * version; the overlay's placement item stays light (no valibot for the content script) and
 * hand-checks what it reads.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { DEFAULT_PLACEMENT } from '@/lib/view/overlay';
import { overlayPlacementItem, overlayPlacementOf, placementProblem, PLACEMENT_MAX_PX } from '@/lib/storage/overlay';

const ROOT = process.cwd();
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? sources(p) : /\.(ts|tsx)$/.test(name) ? [p] : [];
  });
}
/** Each `storage.defineItem(…)` call in the extension's code: file, key, and the text of its options up to the closing `);`. */
const definitions = ['lib', 'components', 'entrypoints'].flatMap((d) => sources(join(ROOT, d))).flatMap((f) => {
  const src = readFileSync(f, 'utf8');
  return [...src.matchAll(/storage\.defineItem<[\s\S]*?>\(\s*'([^']+)'([\s\S]*?)\);/g)].map((m) => ({ file: relative(ROOT, f), key: m[1]!, options: m[2]! }));
});

describe('every item defined once, in lib/storage, with a version', () => {
  it('finds the items (the scan works)', () => {
    expect(definitions.map((d) => d.key)).toEqual(expect.arrayContaining(['local:accounts', 'local:settings', 'local:overlayPlacement', 'local:quarantine']));
  });

  it.each(definitions)('$key ($file)', ({ file, key, options }) => {
    expect(file.startsWith('lib/storage/'), `${key} is defined in ${file}`).toBe(true);
    expect(options, `${key}: no version`).toMatch(/version:\s*(1\b|SETTINGS_VERSION)/);
    const defs = definitions.filter((d) => d.key === key);
    // One exception: settings have a read-only twin for the popup (no migrations: WXT runs none).
    const writers = defs.filter((d) => key !== 'local:settings' || /migrations:/.test(d.options));
    expect(writers, `${key} defined twice`).toHaveLength(1);
    expect(defs.length, `${key}: at most the one read-only twin`).toBeLessThanOrEqual(key === 'local:settings' ? 2 : 1);
  });

  it('the read-only settings twin reads what the settings item stored, and migrates nothing', async () => {
    const { settingsItem } = await import('@/lib/storage/settings');
    const { settingsReadItem } = await import('@/lib/storage/items');
    const { DEFAULT_SETTINGS } = await import('@/lib/settings/schema');
    await settingsItem.setValue({ ...DEFAULT_SETTINGS, sound: true });
    expect((await settingsReadItem.getValue()).sound).toBe(true);
    expect(definitions.find((d) => d.file === 'lib/storage/items.ts' && d.key === 'local:settings')!.options).not.toMatch(/migrations/);
  });

  it('the overlay item file imports no validation library (it goes into the overlay content script)', () => {
    const src = readFileSync(join(ROOT, 'lib/storage/overlay.ts'), 'utf8');
    const imports = [...src.matchAll(/^import .* from '([^']+)';$/gm)].map((m) => m[1]);
    expect(imports).toEqual(['wxt/utils/storage', '../protocol/overlay-feed', '../view/overlay']);
  });
});

describe('overlay placement: hand check', () => {
  beforeEach(() => fakeBrowser.reset());

  it.each([
    [{ left: 16, bottom: 16, collapsed: true }, null],
    [{ left: 0, bottom: PLACEMENT_MAX_PX, collapsed: false }, null],
    [null, /not an object \(null\)/],
    [[1, 2], /not an object \(array\)/],
    [{ left: '16', bottom: 16, collapsed: true }, /^left: must be a number/],
    [{ left: 16, bottom: -1, collapsed: true }, /^bottom: /],
    [{ left: 16, bottom: PLACEMENT_MAX_PX + 1, collapsed: true }, /^bottom: /],
    [{ left: Infinity, bottom: 1, collapsed: true }, /^left: /],
    [{ left: 16, bottom: 16 }, /^collapsed: must be true or false \(got undefined\)/],
    [{ left: 16, bottom: 16, collapsed: 'no' }, /^collapsed: /],
  ] as const)('%j → %s', (value, problem) => {
    const p = placementProblem(value);
    if (problem === null) expect(p).toBeNull();
    else expect(p).toMatch(problem);
  });

  it('a damaged stored placement reads as the default (a fresh copy); a valid one as its three fields', async () => {
    await fakeBrowser.storage.local.set({ overlayPlacement: { left: 'x', bottom: 16, collapsed: true } });
    const d = overlayPlacementOf(await overlayPlacementItem.getValue());
    expect(d).toEqual(DEFAULT_PLACEMENT);
    expect(d).not.toBe(DEFAULT_PLACEMENT);
    await fakeBrowser.storage.local.set({ overlayPlacement: { left: 40, bottom: 80, collapsed: false, extra: 'x' } });
    expect(overlayPlacementOf(await overlayPlacementItem.getValue())).toEqual({ left: 40, bottom: 80, collapsed: false });
  });
});
