/**
 * One harness run: loopback exchange server + Chromium with the extension. Use in a test file
 * (or `useHarness()` from vitest.ts), in the demo or a benchmark:
 *
 *   let h: Harness;
 *   beforeAll(async () => { h = await startHarness(); });
 *   afterAll(() => h?.close());
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { launchExtension, type ExtensionBrowser, type LaunchOptions } from './browser';
import { startExchangeServer, type ExchangeServer } from './exchange-server';
import { ARTIFACTS_DIR } from './paths';
import type { StreamHubOptions } from './streams';

export interface Harness {
  server: ExchangeServer;
  b: ExtensionBrowser;
  close(): Promise<void>;
}

export async function startHarness(opts: LaunchOptions & StreamHubOptions = {}): Promise<Harness> {
  const server = await startExchangeServer(opts);
  let b: ExtensionBrowser;
  try {
    b = await launchExtension(server, opts);
  } catch (e) {
    await server.close();
    throw e;
  }
  return {
    server,
    b,
    close: async () => {
      await b.close();
      await server.close();
    },
  };
}

/** Save a full-page PNG under test-artifacts/<name>.png (gitignored); returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const path = join(ARTIFACTS_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

