/**
 * The store packages `npm run zip` makes (Chrome Web Store zip, AMO zip + sources zip) and the
 * manifest check run on them (scripts/check-manifests.mjs --zips): the manifests inside the zips
 * pass, and the check rejects a placeholder add-on id, a low minimum version, data collection and
 * a missing icon (on doctored copies of the builds).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain .mjs script without types
import { readZip } from '../../scripts/read-zip.mjs';

const ROOT = join(import.meta.dirname, '..', '..');
const OUT = join(ROOT, '.output');
const SOURCES = ['entrypoints', 'components', 'lib', 'public', 'wxt.config.ts', 'package.json'].map((p) => join(ROOT, p));

function newest(p: string): number {
  if (!existsSync(p)) return 0;
  const st = statSync(p);
  return st.isDirectory() ? Math.max(0, ...readdirSync(p).map((e) => newest(join(p, e)))) : st.mtimeMs;
}
function zipOf(suffix: string): string | undefined {
  const f = existsSync(OUT) ? readdirSync(OUT).find((n) => n.endsWith(`-${suffix}.zip`)) : undefined;
  return f && join(OUT, f);
}
function check(env: Record<string, string> = {}, args: string[] = []) {
  return spawnSync('node', ['scripts/check-manifests.mjs', ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env } });
}

describe('store zips', () => {
  beforeAll(() => {
    const src = Math.max(...SOURCES.map(newest));
    for (const [suffix, args] of [['chrome', ['wxt', 'zip']], ['firefox', ['wxt', 'zip', '-b', 'firefox']]] as const) {
      const z = zipOf(suffix);
      if (!z || statSync(z).mtimeMs < src) execFileSync('npx', args, { cwd: ROOT, stdio: 'pipe' });
    }
  }, 120_000);

  it('both zipped manifests pass the check, and the AMO sources zip is there', () => {
    const r = check({}, ['--zips']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/manifests ok \(store zips\).*gecko id margin-sentinel@margin-sentinel\.app min 140\.0/);
    expect(zipOf('sources')).toBeDefined();
  });

  it('the zips hold MV3 manifests: Chrome with a service worker, Firefox with its gecko settings and an event page', () => {
    const chrome = JSON.parse((readZip(readFileSync(zipOf('chrome')!)) as Map<string, Buffer>).get('manifest.json')!.toString('utf8'));
    const ff = JSON.parse((readZip(readFileSync(zipOf('firefox')!)) as Map<string, Buffer>).get('manifest.json')!.toString('utf8'));
    expect([chrome.manifest_version, ff.manifest_version]).toEqual([3, 3]);
    expect(chrome.background.service_worker).toBe('background.js');
    expect(ff.background.scripts).toEqual(['background.js']);
    expect(ff.browser_specific_settings.gecko).toMatchObject({ id: 'margin-sentinel@margin-sentinel.app', strict_min_version: '140.0', data_collection_permissions: { required: ['none'] } });
  });
});

describe('the check rejects', () => {
  const dirs: string[] = [];
  beforeAll(() => {
    for (const [target, args] of [['chrome-mv3', ['wxt', 'build']], ['firefox-mv3', ['wxt', 'build', '-b', 'firefox']]] as const) {
      const m = join(OUT, target, 'manifest.json');
      if (!existsSync(m) || statSync(m).mtimeMs < Math.max(...SOURCES.map(newest))) execFileSync('npx', args, { cwd: ROOT, stdio: 'pipe' });
    }
  }, 120_000);
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  const doctor = (edit: (ff: any) => void) => {
    const dir = mkdtempSync(join(tmpdir(), 'ms-manifest-'));
    dirs.push(dir);
    cpSync(join(OUT, 'chrome-mv3'), join(dir, 'chrome-mv3'), { recursive: true });
    cpSync(join(OUT, 'firefox-mv3'), join(dir, 'firefox-mv3'), { recursive: true });
    const p = join(dir, 'firefox-mv3', 'manifest.json');
    const m = JSON.parse(readFileSync(p, 'utf8'));
    edit(m);
    writeFileSync(p, JSON.stringify(m));
    return check({ MS_OUTPUT_DIR: dir });
  };

  it('the unchanged builds (control)', () => {
    expect(doctor(() => {}).status).toBe(0);
  });
  it('a placeholder add-on id', () => {
    const r = doctor((m) => (m.browser_specific_settings.gecko.id = 'margin-sentinel@example.invalid'));
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/placeholder/);
  });
  it('a minimum version below 140', () => {
    const r = doctor((m) => (m.browser_specific_settings.gecko.strict_min_version = '128.0'));
    expect(r.stderr).toMatch(/strict_min_version 128\.0 < 140\.0/);
  });
  it('data collection other than none', () => {
    const r = doctor((m) => (m.browser_specific_settings.gecko.data_collection_permissions = { required: ['browsingActivity'] }));
    expect(r.stderr).toMatch(/data_collection_permissions/);
  });
  it('a missing icon size', () => {
    const r = doctor((m) => delete m.icons['96']);
    expect(r.stderr).toMatch(/no 96 px icon/);
  });
});
