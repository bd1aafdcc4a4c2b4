/**
 * On-page overlay (its own content script, beside the page reader in content.ts): a badge with the
 * account's margin ratio, worst distance to liquidation and data status, in a shadow root so the
 * exchange's CSS cannot break it. Data comes from the background's storage items (watched).
 * Keep this bundle small: no engine, no decimal.js, no valibot.
 */
import { render } from 'preact';
import { OverlayRoot } from '@/components/overlay/OverlayRoot';
// Same pages as the page reader (content.ts): the copy of wxt.config.ts EXCHANGE_PAGE_MATCHES that
// content scripts can import without pulling in the build tooling.
import { CONTENT_MATCHES } from '@/lib/exchanges/content-matches';
import '@/components/overlay/overlay.css';

export default defineContentScript({
  matches: CONTENT_MATCHES,
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
