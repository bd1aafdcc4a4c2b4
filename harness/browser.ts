/**
 * Launch Debian Chromium (playwright-core) with the built extension loaded, a fresh profile,
 * and name resolution locked to loopback: the exchange hosts map to the harness server and
 * every other name fails (`MAP * ~NOTFOUND`), so no request can leave the machine
 * (stack.md §4). Only this run's certificate is trusted (SPKI allow-list), not "any cert".
 */
import { chromium, type BrowserContext, type CDPSession, type Page, type Worker } from 'playwright-core';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { copyExtension, ensureExtensionBuilt } from './build';
import type { ExchangeServer } from './exchange-server';
import { spyPreamble } from './instrument';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface LaunchOptions {
  /** Default: headless unless HEADFUL=1 (headful needs $DISPLAY, e.g. xvfb-run -a). */
  headless?: boolean;
  /** Viewport of new pages. */
  viewport?: { width: number; height: number };
  /** Load this unpacked extension instead of the build (harness self-tests). */
  extensionDir?: string;
  /** Further unpacked extensions to load beside ours, as they are (no spy), e.g. a hostile one. */
  extraExtensionDirs?: string[];
}

export interface ExtensionBrowser {
  context: BrowserContext;
  extensionId: string;
  /** Path of the per-run extension copy Chromium loaded. */
  extDir: string;
  /**
   * The extension's service worker. Playwright keeps one handle across worker restarts (the
   * restarted worker reuses the target), so after a stop this evaluates in the new instance;
   * don't evaluate while it is stopped (that waits until something wakes it).
   */
  sw(): Worker;
  /** A CDP session on the browser target (ServiceWorker/Target domains). */
  browserCdp(): Promise<CDPSession>;
  /** `chrome-extension://<id>/<path>`. */
  extensionUrl(path: string): string;
  /** Open an extension page (e.g. `popup.html`) in a new tab. */
  openExtensionPage(path: string): Promise<Page>;
  close(): Promise<void>;
}

export function hostResolverRules(hosts: readonly string[], port: number): string {
  return [...hosts.map((h) => `MAP ${h} 127.0.0.1:${port}`), 'MAP * ~NOTFOUND', 'EXCLUDE 127.0.0.1'].join(', ');
}

/**
 * Chromium flags every harness browser uses: no background traffic, only the server's hosts
 * resolvable (to loopback), and only this run's certificate trusted.
 */
export function chromiumLoopbackArgs(server: Pick<ExchangeServer, 'hosts' | 'port' | 'spkiHash'>): string[] {
  return [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--no-default-browser-check',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-domain-reliability',
    '--metrics-recording-only',
    `--host-resolver-rules=${hostResolverRules(server.hosts, server.port)}`,
    `--ignore-certificate-errors-spki-list=${server.spkiHash}`,
  ];
}

export async function launchExtension(server: ExchangeServer, opts: LaunchOptions = {}): Promise<ExtensionBrowser> {
  if (!opts.extensionDir) ensureExtensionBuilt();
  const extDir = copyExtension(spyPreamble(), opts.extensionDir);
  const ourWorker = `/${JSON.parse(readFileSync(join(extDir, 'manifest.json'), 'utf8')).background.service_worker}`;
  const loaded = [extDir, ...(opts.extraExtensionDirs ?? [])].join(',');
  const userDataDir = mkdtempSync(join(tmpdir(), 'ms-e2e-profile-'));
  const cleanup = () => {
    rmSync(userDataDir, { recursive: true, force: true });
    rmSync(extDir, { recursive: true, force: true });
  };
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: opts.headless ?? process.env.HEADFUL !== '1',
      viewport: opts.viewport ?? { width: 1280, height: 800 },
      args: [
        `--disable-extensions-except=${loaded}`,
        `--load-extension=${loaded}`,
        ...chromiumLoopbackArgs(server),
      ],
    });
  } catch (e) {
    cleanup();
    throw e;
  }

  let current: Worker | undefined;
  // Ours: an extension worker at our manifest's service_worker path (other extensions may be loaded).
  const isOurs = (w: Worker) => w.url().startsWith('chrome-extension://') && new URL(w.url()).pathname === ourWorker;
  const adopt = (w: Worker) => {
    if (isOurs(w)) current = w;
  };
  context.on('serviceworker', adopt);
  context.serviceWorkers().forEach(adopt);
  if (!current) {
    try {
      adopt(await context.waitForEvent('serviceworker', { predicate: isOurs, timeout: 15_000 }));
    } catch (e) {
      await context.close().catch(() => {});
      cleanup();
      throw new Error(`extension service worker did not start: ${(e as Error).message}`);
    }
  }
  const extensionId = new URL(current!.url()).host;
  let cdp: CDPSession | undefined;

  const b: ExtensionBrowser = {
    context,
    extensionId,
    extDir,
    sw: () => current!,
    browserCdp: async () => {
      if (!cdp) {
        const browser = context.browser();
        if (!browser) throw new Error('persistent context exposes no Browser for a browser CDP session');
        cdp = await browser.newBrowserCDPSession();
      }
      return cdp;
    },
    extensionUrl: (path) => `chrome-extension://${extensionId}/${path.replace(/^\//, '')}`,
    openExtensionPage: async (path) => {
      const page = await context.newPage();
      await page.goto(b.extensionUrl(path));
      return page;
    },
    close: async () => {
      await context.close().catch(() => {});
      cleanup();
    },
  };
  return b;
}
