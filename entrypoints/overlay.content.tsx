/**
 * On-page overlay (its own content script, beside the page reader in content.ts): a badge with the
 * account's margin ratio, worst distance to liquidation and data status, in a shadow root so the
 * exchange's CSS cannot break it. Data comes from the background's storage items (watched).
 * Keep this bundle small: no engine, no decimal.js, no valibot.
 */
import { render } from 'preact';
import { OverlayRoot } from '@/components/overlay/OverlayRoot';
import '@/components/overlay/overlay.css';

// Same pages as the page reader. Duplicated from wxt.config.ts EXCHANGE_PAGE_MATCHES: importing
// the config would pull the build tooling into this bundle. test/components/overlay.test.tsx checks they agree.
export const OVERLAY_MATCHES = ['*://www.binance.com/*', '*://www.bybit.com/*', '*://www.okx.com/*', '*://app.hyperliquid.xyz/*'];

export default defineContentScript({
  matches: OVERLAY_MATCHES,
  cssInjectionMode: 'ui',
  runAt: 'document_idle',
  async main(ctx) {
    const ui = await createShadowRootUi(ctx, {
      name: 'margin-sentinel-overlay',
      position: 'inline',
      anchor: 'body',
      append: 'last',
      onMount(container) {
        render(<OverlayRoot host={location.hostname} />, container);
        return container;
      },
      onRemove(container) {
        if (container) render(null, container);
      },
    });
    ui.mount();
  },
});
