import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';

// Unit and integration tests (no real browser). End-to-end tests in real Chromium have
// their own config: vitest.e2e.config.ts (Firefox: vitest.e2e-firefox.config.ts).
export default defineConfig({
  plugins: [WxtVitest()],
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    exclude: ['test/e2e/**', 'test/e2e-firefox/**'],
    environment: 'node',
    setupFiles: ['test/support/setup.ts'],
    mockReset: true,
    restoreMocks: true,
    testTimeout: 30_000,
  },
});
