/** Paths the harness uses (e2e tests, demo, bench), all under the repository root (found from this file). */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/**
 * Where `wxt build --mode e2e` puts the Chrome MV3 extension the harness loads: the production
 * build (`.output/chrome-mv3`) compiles the loopback endpoint override out (lib/exchanges/endpoints.ts).
 */
export const BUILT_EXT_DIR = join(ROOT, '.output', 'chrome-mv3-e2e');
/** Shared with the unit tests: one copy of each exchange page fixture. */
export const E2E_FIXTURES_DIR = join(ROOT, 'test', 'fixtures');
/** Screenshots and other artifacts of e2e runs and the demo (gitignored). */
export const ARTIFACTS_DIR = join(ROOT, 'test-artifacts');
/** Sources whose change makes the built extension stale. */
export const EXTENSION_SOURCES = ['entrypoints', 'components', 'lib', 'public', 'wxt.config.ts', 'package.json', 'tsconfig.json'].map((p) => join(ROOT, p));
