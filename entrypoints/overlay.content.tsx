/**
 * On-page overlay (its own content script, beside the page reader in content.ts): a badge with the
 * account's margin ratio, worst distance to liquidation and data status, in a shadow root so the
 * exchange's CSS cannot break it. Data comes from the background over a runtime port, only when a
 * shown text changes (components/overlay/source.ts, lib/background/overlay-feed.ts).
 * Keep this bundle small: no engine, no decimal.js, no valibot.
 */
import { render } from 'preact';
import { browser } from 'wxt/browser';
import { OverlayRoot, type OverlaySubscribe } from '@/components/overlay/OverlayRoot';
import { watchOverlayFeed } from '@/components/overlay/source';
// Same pages as the page reader (content.ts), from the one exchange table.
import { CONTENT_MATCHES } from '@/lib/exchanges/meta';
import '@/components/overlay/overlay.css';

export default defineContentScript({
  matches: [...CONTENT_MATCHES],
  cssInjectionMode: 'ui',
  runAt: 'document_idle',
  async main(ctx) {
    const subscribe: OverlaySubscribe = (on) =>
      watchOverlayFeed(
        {
          connect: (name) => {
            const port = browser.runtime.connect({ name });
            // A port closed by a stopped worker carries lastError: read it (the client reconnects),
            // so that Chrome does not log "Unchecked runtime.lastError" in the exchange's console.
            port.onDisconnect.addListener(() => void browser.runtime.lastError);
            return port;
          },
          now: () => Date.now(),
          // Plain timers: unmounting (WXT removes the UI on invalidation) unsubscribes and clears them.
          setTimeout: (fn, ms) => setTimeout(fn, ms),
          clearTimeout: (id) => clearTimeout(id as number),
        },
        on,
      );
    const ui = await createShadowRootUi(ctx, {
      name: 'margin-sentinel-overlay',
      position: 'inline',
      anchor: 'body',
      append: 'last',
      onMount(container) {
        render(<OverlayRoot subscribe={subscribe} />, container);
        return container;
      },
      onRemove(container) {
        if (container) render(null, container);
      },
    });
    ui.mount();
  },
});
