/**
 * Which product parts have landed, read from the built manifest and the checkout (no Vitest
 * here: scripts/demo.ts uses it too). vitest.ts turns this into `itWhen`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureExtensionBuilt } from './build';
import { BUILT_EXT_DIR, ROOT } from './paths';

export interface Parts {
  /** The page reader content script (entrypoints/content.ts → content-scripts/content.js). */
  reader: boolean;
  /** The on-page overlay content script (entrypoints/overlay.content.tsx). */
  overlay: boolean;
  popup: boolean;
  options: boolean;
  riskCli: boolean;
}

let cached: Parts | undefined;

/** Builds the extension if stale (once), then inspects it. */
export function landedParts(): Parts {
  if (cached) return cached;
  ensureExtensionBuilt();
  const m = JSON.parse(readFileSync(join(BUILT_EXT_DIR, 'manifest.json'), 'utf8'));
  const scripts: string[] = (m.content_scripts ?? []).flatMap((c: { js?: string[] }) => c.js ?? []);
  cached = {
    reader: scripts.includes('content-scripts/content.js'),
    overlay: scripts.includes('content-scripts/overlay.js'),
    popup: typeof m.action?.default_popup === 'string',
    options: typeof (m.options_ui?.page ?? m.options_page) === 'string',
    riskCli: existsSync(join(ROOT, 'scripts', 'risk.ts')),
  };
  return cached;
}

