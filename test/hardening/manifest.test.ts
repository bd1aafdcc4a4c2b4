/**
 * Permissions and content security of the BUILT extension (.output/chrome-mv3 and
 * .output/firefox-mv3; each is built first when missing or older than the sources):
 *
 * - the manifests ask for nothing beyond storage, notifications, alarms and the exchange REST hosts
 *   listed today; offscreen only as an optional Chrome permission (sound is opt-in); Binance's
 *   account-API hosts only as optional host permissions (the read-only API connection is opt-in); content
 *   scripts only on https trade pages (lib/exchanges/meta.ts); an explicitly empty
 *   externally_connectable on Chrome; no relaxed content_security_policy;
 * - the production build carries no loopback endpoint override (compiled out; the e2e harness
 *   uses `wxt build --mode e2e`);
 * - no built script loads or evaluates remote code: no eval, new Function, string timers,
 *   importScripts, remote <script src>, or dynamic import of a URL; and every URL host a
 *   script mentions is a known exchange endpoint or a documentation source (a new one fails
 *   here until someone decides what it is).
 *
 * Growing a permission or a host must be a deliberate change to this file (README "Privacy").
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const TARGETS = {
  'chrome-mv3': { dir: join(ROOT, '.output', 'chrome-mv3'), args: ['wxt', 'build'] },
  'firefox-mv3': { dir: join(ROOT, '.output', 'firefox-mv3'), args: ['wxt', 'build', '-b', 'firefox'] },
} as const;
type Target = keyof typeof TARGETS;
const SOURCES = ['entrypoints', 'components', 'lib', 'public', 'wxt.config.ts', 'package.json'].map((p) => join(ROOT, p));

function newest(p: string): number {
  if (!existsSync(p)) return 0;
  const st = statSync(p);
  return st.isDirectory() ? Math.max(0, ...readdirSync(p).map((e) => newest(join(p, e)))) : st.mtimeMs;
}

function built(target: Target): string {
  const { dir, args } = TARGETS[target];
  const manifest = join(dir, 'manifest.json');
  if (!existsSync(manifest) || statSync(manifest).mtimeMs < Math.max(...SOURCES.map(newest))) {
    execFileSync('npx', args, { cwd: ROOT, stdio: 'pipe' });
  }
  return dir;
}

function files(dir: string, ext: RegExp): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    return e.isDirectory() ? files(p, ext) : ext.test(e.name) ? [p] : [];
  });
}

/** API permissions we use, on both browsers. */
const API_PERMISSIONS = ['storage', 'notifications', 'alarms'];
/**
 * Account-API hosts of the optional read-only connection (issue 18) not already in {@link HOSTS}:
 * requested from the options page at connect time only (Binance's; Bybit's and OKX's API hosts are listed already).
 */
const OPTIONAL_API_HOSTS = ['https://api.binance.com/*', 'https://fapi.binance.com/*'];
/** Optional permissions, requested when the user opts in: `offscreen` (Chrome only) for the critical-alert sound. */
const OPTIONAL_PERMISSIONS: Record<Target, string[]> = { 'chrome-mv3': ['offscreen'], 'firefox-mv3': [] };
/** Host permissions listed today (public tier tables / Hyperliquid info; wxt.config.ts). */
const HOSTS = ['https://www.binance.com/*', 'https://api.bybit.com/*', 'https://www.okx.com/*', 'https://api.hyperliquid.xyz/*'];
/** Trade pages the content scripts run on (https only, trade paths only; lib/exchanges/meta.ts). */
const PAGE_MATCHES = [
  'https://www.binance.com/*/futures/*',
  'https://www.bybit.com/trade/usdt/*',
  'https://www.bybit.com/*/trade/usdt/*',
  'https://www.okx.com/trade-swap/*',
  'https://www.okx.com/*/trade-swap/*',
  'https://app.hyperliquid.xyz/trade*',
  // Spot margin reader (issue 16): Binance trade pages (read only with ?type=cross|isolated) and the margin wallet.
  'https://www.binance.com/*/trade/*',
  'https://www.binance.com/*/my/wallet/account/margin*',
];
/** Hosts of those pages (web-accessible stylesheets are offered there only). */
const PAGE_HOST_MATCHES = ['https://www.binance.com/*', 'https://www.bybit.com/*', 'https://www.okx.com/*', 'https://app.hyperliquid.xyz/*'];

/** Hosts built code may connect to: exchange pages, public REST, public mark-price streams. */
const NETWORK_HOSTS = [
  'www.binance.com', 'api.binance.com', 'fapi.binance.com', 'dapi.binance.com', 'fstream.binance.com', 'dstream.binance.com',
  // Public spot stream pricing spot margin accounts (issue 16).
  'stream.binance.com',
  'www.bybit.com', 'api.bybit.com', 'stream.bybit.com',
  'www.okx.com', 'ws.okx.com',
  'app.hyperliquid.xyz', 'api.hyperliquid.xyz',
];
/** Hosts that appear only as text: XML namespaces, cited sources of bundled tier tables, library error messages. */
const TEXT_HOSTS = ['www.w3.org', 'github.com', 'wxt.dev', 'developer.mozilla.org', 'hyperliquid.gitbook.io', 'bybitx.global', 'developers.binance.com', 'www.binance.com', 'bybit-exchange.github.io', 'www.okx.com'];

/** Remote code loading and string evaluation, as they appear in minified output. */
const FORBIDDEN: [string, RegExp][] = [
  ['eval(', /(^|[^\w$.])eval\s*\(/],
  ['new Function(', /new\s+Function\s*\(/],
  ['Function("…") constructor', /(^|[^\w$.])Function\s*\(\s*["'`]/],
  ['setTimeout/setInterval with a string', /set(?:Timeout|Interval)\s*\(\s*["'`]/],
  ['importScripts', /importScripts\s*\(/],
  ['dynamic import of a URL', /import\s*\(\s*["'`](?:https?:)?\/\//],
  ['remote script element', /\.src\s*=\s*["'`](?:https?:)?\/\/[^"'`]*\.m?js/],
  ['a remote .js URL', /["'`](?:https?:)?\/\/[^"'`\s]+\.m?js(?:[?#][^"'`]*)?["'`]/],
];

describe.each(Object.keys(TARGETS) as Target[])('%s build', (target) => {
  const dir = built(target);
  const m = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));

  it('content scripts carry neither decimal.js nor valibot (they run inside busy exchange pages; the background validates)', () => {
    const scripts = files(join(dir, 'content-scripts'), /\.js$/);
    expect(scripts.length).toBeGreaterThanOrEqual(2);
    for (const f of scripts) {
      const src = readFileSync(f, 'utf8');
      expect(src, `${relative(dir, f)}: decimal.js`).not.toMatch(/\[DecimalError\]/);
      expect(src, `${relative(dir, f)}: valibot`).not.toMatch(/vendor\s*:\s*["'`]valibot["'`]/);
    }
    // The signatures are those of the libraries as built here: the background carries both.
    const bg = readFileSync(join(dir, 'background.js'), 'utf8');
    expect(bg).toMatch(/\[DecimalError\]/);
    expect(bg).toMatch(/vendor\s*:\s*["'`]valibot["'`]/);
  });

  it('the popup loads neither decimal.js nor valibot up front (the worker computes and validates; issue 13)', () => {
    const html = readFileSync(join(dir, 'popup.html'), 'utf8');
    const queue = [...html.matchAll(/<script[^>]*\bsrc="([^"]+\.js)"|<link[^>]*rel="modulepreload"[^>]*href="([^"]+\.js)"/g)].map((m) => (m[1] ?? m[2])!.replace(/^\//, ''));
    const seen = new Set<string>();
    while (queue.length) {
      const f = queue.pop()!;
      if (seen.has(f)) continue;
      seen.add(f);
      const src = readFileSync(join(dir, f), 'utf8');
      expect(src, `${f}: decimal.js`).not.toMatch(/\[DecimalError\]/);
      expect(src, `${f}: valibot`).not.toMatch(/vendor\s*:\s*["'`]valibot["'`]/);
      // Static imports only: what-if and stress load on demand.
      for (const m of src.matchAll(/(?:\bfrom|\bimport)\s*["'`]([^"'`]+\.js)["'`]/g)) queue.push(join(dirname(f), m[1]!).replace(/^\//, ''));
    }
    expect(seen.size).toBeGreaterThanOrEqual(2);
  });

  it('the page reader stays light: no stream, tier or REST code, at most 19.5 KB gzip', () => {
    const src = readFileSync(join(dir, 'content-scripts', 'content.js'));
    const text = src.toString('utf8');
    // Strings only the worker-side registries carry: stream frames, tier endpoints, the Hyperliquid account API.
    for (const marker of ['markPriceUpdate', '/v5/market/risk-limit', 'position-tiers', 'clearinghouseState', 'bapi/futures']) {
      expect(text.includes(marker), `content.js carries ${marker}`).toBe(false);
    }
    // 17.5 KB until issue 17: the reader now also reads each position's TP/SL cell and the open-orders
    // table (lib/exchanges/common/reader/stops.ts, orders.ts), ≈ 18.9 KB; the budget keeps ≈ 0.6 KB of room.
    expect(gzipSync(src).length).toBeLessThanOrEqual(19.5 * 1024);
  });

  it('asks for storage, notifications, alarms only; offscreen only as an optional permission on Chrome', () => {
    const apis = (m.permissions ?? []).filter((p: string) => !p.includes('://'));
    expect([...apis].sort()).toEqual([...API_PERMISSIONS].sort());
    expect(m.optional_permissions ?? []).toEqual(OPTIONAL_PERMISSIONS[target]);
  });

  it('names no host beyond the four exchange hosts listed today (plus the Binance account-API hosts, optional)', () => {
    const hosts = m.host_permissions ?? [];
    expect((m.permissions ?? []).filter((p: string) => p.includes('://'))).toEqual([]);
    expect([...hosts].sort()).toEqual([...HOSTS].sort());
    // Both MV3: the optional API hosts are optional_host_permissions on both browsers.
    expect(m.optional_host_permissions ?? []).toEqual(OPTIONAL_API_HOSTS);
    // Every content script runs only on listed trade pages, and together they cover the list
    // (the spot margin script, issue 16, has its own, narrower matches).
    const union = new Set<string>();
    for (const cs of m.content_scripts ?? []) for (const p of cs.matches) union.add(p);
    expect([...union].sort()).toEqual([...PAGE_MATCHES].sort());
    for (const cs of m.content_scripts ?? []) {
      for (const p of cs.matches) expect(PAGE_MATCHES).toContain(p);
      expect(cs.all_frames ?? false).toBe(false);
      expect(cs.match_about_blank ?? false).toBe(false);
      expect(cs.world ?? 'ISOLATED').toBe('ISOLATED');
    }
  });

  it('is reachable by nothing outside: explicitly empty externally_connectable (Chrome), web-accessible stylesheets only, on exchange pages only', () => {
    // Chrome: without the key every other extension may connect; empty lists allow none.
    if (target === 'chrome-mv3') expect(m.externally_connectable).toEqual({ ids: [], matches: [] });
    else expect(m.externally_connectable).toBeUndefined();
    const wars = m.web_accessible_resources ?? [];
    for (const war of wars) {
      const resources: string[] = typeof war === 'string' ? [war] : war.resources;
      for (const r of resources) expect(r).toMatch(/^content-scripts\/[\w-]+\.css$/);
      if (typeof war !== 'string') for (const match of war.matches ?? []) expect(PAGE_HOST_MATCHES).toContain(match);
    }
    expect(m.sandbox).toBeUndefined();
    expect(m.key).toBeUndefined();
    expect(m.update_url).toBeUndefined();
  });

  it('MV3 on both; Firefox: a real add-on id, minimum version for what it uses, no data collection, an event page', () => {
    expect(m.manifest_version).toBe(3);
    if (target === 'chrome-mv3') {
      expect(m.browser_specific_settings).toBeUndefined();
      expect(m.background.service_worker).toBe('background.js');
      return;
    }
    const gecko = m.browser_specific_settings.gecko;
    expect(gecko.id).toMatch(/^[\w.+-]+@[a-z0-9.-]+\.[a-z]{2,}$/);
    expect(gecko.id).not.toMatch(/example|\.invalid$|\.test$/);
    // storage.session (115), data_collection_permissions (140): docs/install.md "Firefox".
    expect(gecko.strict_min_version).toBe('140.0');
    expect(gecko.data_collection_permissions).toEqual({ required: ['none'] });
    expect(m.background).toEqual({ scripts: ['background.js'] });
  });

  it('icons at 16, 24, 32, 48, 96 and 128 px, each a PNG of its size', () => {
    for (const size of [16, 24, 32, 48, 96, 128]) {
      const png = readFileSync(join(dir, m.icons[size]));
      expect([png.readUInt32BE(16), png.readUInt32BE(20)], `icon ${size}`).toEqual([size, size]);
    }
  });

  it('keeps the default content security policy (no relaxed content_security_policy)', () => {
    const csp = m.content_security_policy;
    const policies: string[] = csp === undefined ? [] : typeof csp === 'string' ? [csp] : Object.values(csp as Record<string, string>);
    for (const p of policies) {
      expect(p).not.toMatch(/unsafe-eval|unsafe-inline|https?:|wss?:|(^|\s)\*|data:|blob:|'unsafe-hashes'/);
      expect(p).toMatch(/script-src\s+'self'/);
    }
  });

  it('the production build has no loopback endpoint override (compiled out)', () => {
    const bg = readFileSync(join(dir, 'background.js'), 'utf8');
    // isLoopbackOrigin's host list and the override's URL composition are gone; the real hosts stay.
    expect(bg.includes('[::1]'), 'isLoopbackOrigin host list in background.js').toBe(false);
    expect(/["'`]localhost["'`]/.test(bg), 'isLoopbackOrigin host list in background.js').toBe(false);
    expect(bg.includes('wss://fstream.binance.com'), 'the real stream origin (control)').toBe(true);
  });

  it('no built script loads or evaluates remote code', () => {
    const scripts = files(dir, /\.(m?js)$/);
    expect(scripts.length).toBeGreaterThan(3);
    const hits: string[] = [];
    for (const f of scripts) {
      const text = readFileSync(f, 'utf8');
      for (const [what, re] of FORBIDDEN) {
        const mm = re.exec(text);
        if (mm) hits.push(`${relative(dir, f)}: ${what}: …${text.slice(Math.max(0, mm.index - 40), mm.index + 60)}…`);
      }
    }
    expect(hits).toEqual([]);
  });

  it('HTML pages load only their own scripts (no remote or inline script)', () => {
    for (const f of files(dir, /\.html$/)) {
      const html = readFileSync(f, 'utf8');
      for (const tag of html.match(/<script\b[^>]*>/g) ?? []) {
        const src = /\bsrc="([^"]*)"/.exec(tag)?.[1];
        expect(src, `${relative(dir, f)}: ${tag}`).toBeDefined();
        expect(src!, `${relative(dir, f)}: ${tag}`).toMatch(/^\/?(chunks|assets|content-scripts)?\/?[\w./-]+\.js$/);
      }
      expect(html.replace(/<script\b[^>]*src="[^"]*"[^>]*>\s*<\/script>/g, ''), relative(dir, f)).not.toMatch(/<script\b/);
      expect(html, relative(dir, f)).not.toMatch(/<link[^>]+href="(https?:)?\/\//);
    }
  });

  it('every URL host in built scripts is a known exchange endpoint or a cited source', () => {
    const unknown = new Set<string>();
    for (const f of files(dir, /\.(m?js|html)$/)) {
      const text = readFileSync(f, 'utf8');
      for (const mm of text.matchAll(/\b(?:https?|wss?):\/\/([a-zA-Z0-9.-]+)/g)) {
        const host = mm[1]!.toLowerCase();
        if (!NETWORK_HOSTS.includes(host) && !TEXT_HOSTS.includes(host)) unknown.add(`${host} (${relative(dir, f)})`);
      }
    }
    expect([...unknown]).toEqual([]);
  });
});
