import { startBackground } from '@/lib/background';

// Thin entrypoint: everything lives in lib/background (tested with WXT's fake browser).
export default defineBackground(() => {
  startBackground();
});
