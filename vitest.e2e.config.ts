import { defineConfig } from 'vitest/config';

// End-to-end: the built extension (.output/chrome-mv3) in Debian Chromium via playwright-core.
// Run after `wxt build`. One Chromium at a time: the machine has 2 cores.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
