/**
 * The extension in real Firefox (Debian `firefox-esr`), driven through WebDriver BiDi with
 * puppeteer-core: the Firefox counterpart of browser.ts, against the same loopback exchange
 * server (exchange-server.ts).
 *
 * How Firefox reaches the loopback server under the exchanges' real names: Firefox has no
 * `--host-resolver-rules`, so the profile routes every request through an HTTP proxy on
 * 127.0.0.1 ({@link startLoopbackProxy}). The proxy accepts `CONNECT host:port` only for the
 * server's hosts (the exchange page and stream hosts and the spy's report host) and tunnels
 * those to the server; every other host, and every plain-HTTP request, is refused (and logged in
 * `refused`), the counterpart of Chromium's `MAP * ~NOTFOUND`. Name resolution never happens in
 * Firefox (the proxy is given names, not addresses) and the proxy resolves nothing.
 *
 * Certificates: WebDriver's `acceptInsecureCerts` (Firefox cannot allow-list one SPKI as
 * Chromium does). Only this run's self-signed certificate is ever presented, since only the
 * loopback server is reachable.
 *
 * The build: `.output/firefox-mv3-e2e` (`wxt build -b firefox --mode e2e`), copied per run with
 * the spy (instrument.ts, wrapping both `browser.*` and `chrome.*`: Firefox's polyfill passes
 * the native `browser` through) prepended to the background script, and one empty page
 * `__e2e.html` added: the harness evaluates extension-API calls there ({@link FirefoxExtension.evaluate}),
 * since BiDi exposes no handle on a Firefox background page. The add-on is installed as a
 * temporary add-on (`webExtension.install`), under a fixed internal UUID
 * (`extensions.webextensions.uuids`) so its pages have a known `moz-extension://` origin.
 */
import { randomUUID } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import type { Live } from './alert-steps';
import { startExchangeServer, type ExchangeServer } from './exchange-server';
import { accountAttr } from './product';
import type { StreamHubOptions } from './streams';
import { HARNESS_EVENT_PATH, HARNESS_HOST, spyPreamble } from './instrument';
import { ensureBuilt } from './build';
import { ROOT } from './paths';

export const FIREFOX = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
/** `wxt build -b firefox --mode e2e` output (mode e2e as for Chromium, see paths.ts). */
export const BUILT_FIREFOX_DIR = join(ROOT, '.output', 'firefox-mv3-e2e');
/** The empty extension page the harness evaluates API calls in. */
export const EVAL_PAGE = '__e2e.html';

export interface LoopbackProxy {
  port: number;
  /** `host:port` of every CONNECT (and plain request) refused, in order. */
  refused: string[];
  /** `host:port` of every tunnel opened, in order. */
  tunnels: string[];
  close(): Promise<void>;
}

/**
 * An HTTP CONNECT proxy on 127.0.0.1 that tunnels `hosts` (any port) to `127.0.0.1:targetPort`
 * and refuses everything else with 403.
 */
export async function startLoopbackProxy(hosts: readonly string[], targetPort: number): Promise<LoopbackProxy> {
  const allowed = new Set(hosts.map((h) => h.toLowerCase()));
  const refused: string[] = [];
  const tunnels: string[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => {});
    let head = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) {
        if (head.length > 16_384) client.destroy();
        return;
      }
      client.off('data', onData);
      const [method, target] = head.subarray(0, end).toString('latin1').split('\r\n')[0]!.split(' ');
      const rest = head.subarray(end + 4);
      const m = method === 'CONNECT' ? /^\[?([^\]]+?)\]?:(\d+)$/.exec(target ?? '') : null;
      if (!m || !allowed.has(m[1]!.toLowerCase())) {
        refused.push(method === 'CONNECT' ? (target ?? '') : `${method} ${target}`);
        client.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
        return;
      }
      tunnels.push(target!);
      const upstream = connect(targetPort, '127.0.0.1', () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        if (rest.length) upstream.write(rest);
        client.pipe(upstream).pipe(client);
      });
      sockets.add(upstream);
      upstream.on('close', () => {
        sockets.delete(upstream);
        client.destroy();
      });
      upstream.on('error', () => client.destroy());
      client.on('close', () => upstream.destroy());
    };
    client.on('data', onData);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    refused,
    tunnels,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/**
 * Firefox preferences of every harness profile: all traffic through the loopback proxy (also
 * for localhost), no background traffic (updates, telemetry, captive portal, safe browsing…),
 * notifications without an OS notification daemon, and our add-on under `uuid`.
 */
export function firefoxLoopbackPrefs(proxyPort: number, addonId: string, uuid: string): Record<string, unknown> {
  return {
    'network.proxy.type': 1,
    'network.proxy.http': '127.0.0.1',
    'network.proxy.http_port': proxyPort,
    'network.proxy.ssl': '127.0.0.1',
    'network.proxy.ssl_port': proxyPort,
    'network.proxy.share_proxy_settings': true,
    'network.proxy.no_proxies_on': '',
    'network.proxy.allow_hijacking_localhost': true,
    'network.proxy.socks_remote_dns': true,
    'network.http.http3.enable': false,
    'network.dns.disablePrefetch': true,
    'network.prefetch-next': false,
    'network.captive-portal-service.enabled': false,
    'network.connectivity-service.enabled': false,
    'app.update.enabled': false,
    'app.update.auto': false,
    'browser.safebrowsing.malware.enabled': false,
    'browser.safebrowsing.phishing.enabled': false,
    'browser.safebrowsing.downloads.enabled': false,
    'datareporting.healthreport.uploadEnabled': false,
    'datareporting.policy.dataSubmissionEnabled': false,
    'toolkit.telemetry.enabled': false,
    'extensions.update.enabled': false,
    'extensions.getAddons.cache.enabled': false,
    'extensions.blocklist.enabled': false,
    'services.settings.server': 'https://remote-settings.invalid/v1',
    'browser.ping-centre.telemetry': false,
    // The welcome page opens on install (first run); the harness keeps it, tests may close it.
    'extensions.webextensions.uuids': JSON.stringify({ [addonId]: uuid }),
    // Headless: no desktop notification daemon; Firefox's own XUL alerts keep notifications.getAll truthful.
    'alerts.useSystemBackend': false,
    'dom.webnotifications.enabled': true,
    // No sound device in CI: Firefox's mock audio backend runs the Web Audio graph without one
    // (the alert tone's oscillators start; nothing is heard). Autoplay prefs stay at their defaults.
    'media.cubeb.force_mock_context': true,
  };
}

export interface FirefoxExtension {
  browser: Browser;
  addonId: string;
  /** Internal UUID: pages are at `moz-extension://<uuid>/`. */
  uuid: string;
  extDir: string;
  proxy: LoopbackProxy;
  /** `moz-extension://<uuid>/<path>`. */
  extensionUrl(path: string): string;
  /** Open an extension page (e.g. `popup.html`) in a new tab. */
  openExtensionPage(path: string): Promise<Page>;
  /** Open a web page in a new tab (through the proxy). */
  openPage(url: string): Promise<Page>;
  /** Evaluate `fn(arg)` in the extension's own empty page (full `chrome.*` / `browser.*` API). */
  evaluate<A, R>(fn: (arg: A) => R | Promise<R>, arg?: A): Promise<R>;
  close(): Promise<void>;
}

/** Build `.output/firefox-mv3-e2e` when missing or older than a source (harness/build.ts). */
export function ensureFirefoxBuilt(): void {
  ensureBuilt(BUILT_FIREFOX_DIR, ['build', '-b', 'firefox', '--mode', 'e2e']);
}

/**
 * Per-run copy of the Firefox build: the spy prepended to the first background script, and the
 * empty evaluation page added. Returns the copy's path and the add-on id from its manifest.
 * @throws Error when the manifest has no `background.scripts` (an MV3 service worker is Chromium's).
 */
export function copyFirefoxExtension(from = BUILT_FIREFOX_DIR): { dir: string; addonId: string } {
  const dir = mkdtempSync(join(tmpdir(), 'ms-e2e-ff-ext-'));
  cpSync(from, dir, { recursive: true });
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  const bg: string | undefined = manifest.background?.scripts?.[0];
  if (!bg) throw new Error('Firefox manifest has no background.scripts');
  const addonId: string | undefined = manifest.browser_specific_settings?.gecko?.id;
  if (!addonId) throw new Error('Firefox manifest has no browser_specific_settings.gecko.id');
  const bgPath = join(dir, bg);
  writeFileSync(bgPath, `${spyPreamble({ namespaces: ['browser', 'chrome'] })}\n${AUDIO_SPY}\n${readFileSync(bgPath, 'utf8')}`);
  writeFileSync(join(dir, EVAL_PAGE), '<!doctype html><meta charset="utf-8"><title>e2e</title>');
  return { dir, addonId };
}

/**
 * Navigate `page` to a `moz-extension://` URL. Firefox loads it (in the extension process), but
 * puppeteer never sees that navigation's load event, so `goto` is not awaited: instead the page's
 * own `location.href` is polled until it is the extension page, loaded (`document.readyState`).
 * @throws Error after `timeoutMs` when the page did not load.
 */
export async function gotoExtensionPage(page: Page, url: string, timeoutMs = 10_000): Promise<void> {
  page.goto(url, { timeout: 0 }).catch(() => {});
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const at = await page.evaluate(() => (document.readyState === 'complete' ? location.href : '')).catch(() => '');
    if (at === url) return;
    if (Date.now() > deadline) throw new Error(`extension page ${url} did not load (at ${at || page.url()})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Reports every oscillator the background starts (`audio.tone`: frequency and the context's
 * state, `running` when Firefox let the background page play) to the harness server, through the
 * spy's `__e2e` recorder. Runs after the spy preamble, before the extension's code.
 */
const AUDIO_SPY = `;(() => {
  const g = globalThis;
  if (!g.OscillatorNode || !g.__e2e) return;
  const start = g.OscillatorNode.prototype.start;
  g.OscillatorNode.prototype.start = function (...args) {
    const ev = { kind: 'audio.tone', at: Date.now(), worker: g.__e2e.worker, args: [this.frequency.value, this.context.state] };
    g.__e2e.events.push(ev);
    try { fetch('https://${HARNESS_HOST}${HARNESS_EVENT_PATH}', { method: 'POST', mode: 'no-cors', body: JSON.stringify(ev) }).catch(() => {}); } catch (e) {}
    return start.apply(this, args);
  };
})();`;

export interface FirefoxLaunchOptions {
  /** Default: headless unless HEADFUL=1. */
  headless?: boolean;
}

/**
 * Start Firefox with a fresh profile routed through a loopback proxy to `server`, install the
 * extension copy, and open the evaluation page.
 * @throws Error when Firefox does not start or the add-on does not install.
 */
export async function launchFirefoxExtension(server: Pick<ExchangeServer, 'hosts' | 'port'>, opts: FirefoxLaunchOptions = {}): Promise<FirefoxExtension> {
  ensureFirefoxBuilt();
  const { dir: extDir, addonId } = copyFirefoxExtension();
  const uuid = randomUUID();
  const proxy = await startLoopbackProxy(server.hosts, server.port);
  let browser: Browser;
  try {
    browser = await puppeteer.launch({
      browser: 'firefox',
      executablePath: FIREFOX,
      headless: opts.headless ?? process.env.HEADFUL !== '1',
      acceptInsecureCerts: true,
      // WebDriver BiDi refuses to navigate to moz-extension:// pages without it.
      args: ['--remote-allow-system-access'],
      extraPrefsFirefox: firefoxLoopbackPrefs(proxy.port, addonId, uuid),
      defaultViewport: { width: 1280, height: 800 },
    });
  } catch (e) {
    await proxy.close();
    rmSync(extDir, { recursive: true, force: true });
    throw e;
  }
  const base = `moz-extension://${uuid}/`;
  const close = async () => {
    await browser.close().catch(() => {});
    await proxy.close();
    rmSync(extDir, { recursive: true, force: true });
  };
  let evalPage: Page;
  try {
    const installed = await browser.installExtension(extDir);
    if (installed !== addonId) throw new Error(`installed add-on id ${installed}, expected ${addonId}`);
    evalPage = await browser.newPage();
    await gotoExtensionPage(evalPage, `${base}${EVAL_PAGE}`);
  } catch (e) {
    await close();
    throw e;
  }
  const ff: FirefoxExtension = {
    browser,
    addonId,
    uuid,
    extDir,
    proxy,
    extensionUrl: (path) => `${base}${path.replace(/^\//, '')}`,
    openExtensionPage: async (path) => {
      const page = await browser.newPage();
      await gotoExtensionPage(page, ff.extensionUrl(path));
      return page;
    },
    openPage: async (url) => {
      const page = await browser.newPage();
      await page.goto(url);
      return page;
    },
    evaluate: async (fn, arg) => (await evalPage.evaluate(fn as (a: unknown) => unknown, arg as unknown)) as Awaited<ReturnType<typeof fn>>,
    close,
  };
  return ff;
}

/** One Firefox harness run: loopback exchange server + Firefox with the extension. */
export interface FirefoxHarness {
  server: ExchangeServer;
  ff: FirefoxExtension;
  close(): Promise<void>;
}

/** Start the loopback exchange server and Firefox; one `close()` stops both. */
export async function startFirefoxHarness(opts: FirefoxLaunchOptions & StreamHubOptions = {}): Promise<FirefoxHarness> {
  const server = await startExchangeServer(opts);
  let ff: FirefoxExtension;
  try {
    ff = await launchFirefoxExtension(server, opts);
  } catch (e) {
    await server.close();
    throw e;
  }
  return {
    server,
    ff,
    close: async () => {
      await ff.close();
      await server.close();
    },
  };
}

/**
 * The harness as the browser-neutral steps (alert-steps.ts, product.ts `readAccount`) drive it:
 * `b.context.newPage()` opens a Firefox tab (puppeteer's `goto`/`close` are what the steps call),
 * `b.sw().evaluate` runs in the extension's evaluation page. Structural: those steps use only these.
 */
export function firefoxLive(h: FirefoxHarness): Live {
  const b = {
    context: { newPage: () => h.ff.browser.newPage() },
    sw: () => ({ evaluate: h.ff.evaluate }),
  };
  return { server: h.server, b } as unknown as Live;
}

/** What the popup's gauge shows for account `ref`: its text and exact decimal (title) when known. */
export async function firefoxPopupRatio(popup: Page, ref: string): Promise<{ text: string; exact: string | null } | null> {
  return popup.evaluate((sel) => {
    const el = document.querySelector(sel);
    if (!el) return null;
    const unknown = el.getAttribute('data-unknown') === 'true';
    return { text: (el as HTMLElement).innerText.trim(), exact: unknown ? null : el.getAttribute('title') };
  }, `section${accountAttr(ref)} .gauge-value`);
}
