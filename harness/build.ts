/**
 * Build the extension once per run when needed, then give each browser a private copy.
 *
 * The copy matters because several engineers share one checkout: a concurrent `wxt build`
 * rewrites `.output/chrome-mv3` and must not swap files under a running Chromium. The copy
 * also carries the harness preamble (see instrument.ts), prepended to the service worker.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUILT_EXT_DIR, EXTENSION_SOURCES, ROOT } from './paths';

/** Newest modification time (ms) of any file under `paths`. */
function newestMtime(paths: string[]): number {
  let newest = 0;
  const walk = (p: string) => {
    if (!existsSync(p)) return;
    const st = statSync(p);
    if (st.isDirectory()) for (const e of readdirSync(p)) walk(join(p, e));
    else newest = Math.max(newest, st.mtimeMs);
  };
  paths.forEach(walk);
  return newest;
}

const checkedDirs = new Set<string>();

/**
 * Run `npx wxt <args>` if `outDir` is missing or older than any extension source. Checked once per
 * process and output dir. Set `E2E_SKIP_BUILD=1` to use whatever is built.
 * @throws Error with the build output when the build fails.
 */
export function ensureBuilt(outDir: string, args: string[]): void {
  if (checkedDirs.has(outDir) || process.env.E2E_SKIP_BUILD === '1') return;
  const manifest = join(outDir, 'manifest.json');
  if (!existsSync(manifest) || statSync(manifest).mtimeMs < newestMtime(EXTENSION_SOURCES)) {
    try {
      execFileSync('npx', ['wxt', ...args], { cwd: ROOT, stdio: 'pipe', encoding: 'utf8' });
    } catch (e) {
      const err = e as { stdout?: string; stderr?: string };
      throw new Error(`wxt ${args.join(' ')} failed:\n${err.stdout ?? ''}\n${err.stderr ?? ''}`);
    }
  }
  checkedDirs.add(outDir);
}

/**
 * Build `.output/chrome-mv3-e2e` when needed (mode e2e keeps the loopback endpoint override the
 * harness relies on; production drops it).
 */
export function ensureExtensionBuilt(): void {
  ensureBuilt(BUILT_EXT_DIR, ['build', '--mode', 'e2e']);
}

/**
 * Copy the built extension (or the unpacked extension at `from`) into a fresh temp dir,
 * prepending `preamble` (JS source) to its service worker script. Returns the copy's path.
 */
export function copyExtension(preamble: string, from = BUILT_EXT_DIR): string {
  const dir = mkdtempSync(join(tmpdir(), 'ms-e2e-ext-'));
  cpSync(from, dir, { recursive: true });
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  const swFile: string | undefined = manifest.background?.service_worker;
  if (!swFile) throw new Error('built manifest has no background.service_worker');
  const swPath = join(dir, swFile);
  const src = readFileSync(swPath, 'utf8');
  if (manifest.background.type === 'module' && /^\s*import[\s{*'"]/m.test(src)) {
    throw new Error('background is an ES module with static imports: the e2e preamble cannot run first by prepending');
  }
  writeFileSync(swPath, `${preamble}\n${src}`);
  return dir;
}

/**
 * A copy of the built extension (`from`, default the e2e build) whose manifest moves `hosts` from
 * `optional_host_permissions` to `host_permissions`, i.e. the state after the user pressed "Allow" on
 * Chromium's permission prompt: `permissions.request` for them then resolves true at once. For the
 * scenarios behind an optional host permission (Binance's account-API hosts, issue 18), because a
 * headless Chromium never shows nor answers that prompt (the request never settles). Test-only: no
 * build, e2e or production, grants these hosts up front. Returns the copy's path (pass as
 * `LaunchOptions.extensionDir`).
 * @throws Error when a host is not an optional host of the built manifest.
 */
export function copyWithHostsGranted(hosts: readonly string[], from = BUILT_EXT_DIR): string {
  if (from === BUILT_EXT_DIR) ensureExtensionBuilt();
  const dir = mkdtempSync(join(tmpdir(), 'ms-e2e-granted-'));
  cpSync(from, dir, { recursive: true });
  const path = join(dir, 'manifest.json');
  const m = JSON.parse(readFileSync(path, 'utf8')) as { host_permissions?: string[]; optional_host_permissions?: string[] };
  const optional = m.optional_host_permissions ?? [];
  for (const h of hosts) if (!optional.includes(h)) throw new Error(`${h} is not an optional host permission of the built manifest`);
  m.optional_host_permissions = optional.filter((h) => !hosts.includes(h));
  m.host_permissions = [...(m.host_permissions ?? []), ...hosts];
  writeFileSync(path, JSON.stringify(m, null, 2));
  return dir;
}
