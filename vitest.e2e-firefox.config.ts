import { defineConfig } from 'vitest/config';

// End-to-end in Firefox: the built extension (.output/firefox-mv3-e2e) in Debian Firefox ESR via
// puppeteer-core (WebDriver BiDi), harness/firefox.ts. Run after `wxt build -b firefox --mode e2e`
// (the harness builds it when stale). One browser at a time: the machine has 2 cores.
export default defineConfig({
  test: {
    include: ['test/e2e-firefox/**/*.e2e.test.ts'],
    testTimeout: 150_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
