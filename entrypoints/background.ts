import { browser } from 'wxt/browser';
import { startBackground } from '@/lib/background';
import { registerFirstRun } from '@/lib/background/first-run';

// Thin entrypoint: everything lives in lib/background (tested with WXT's fake browser).
export default defineBackground(() => {
  registerFirstRun(browser as never);
  startBackground();
});
