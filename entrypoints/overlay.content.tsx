/**
 * On-page overlay (its own content script, beside the page reader in content.ts): a badge with the
 * account's margin ratio, worst distance to liquidation and data status, in a CLOSED shadow root so
 * the exchange's CSS cannot break it and its scripts cannot read or edit it. Data comes from the
 * background over a runtime port, only when a shown text changes (components/overlay/source.ts,
 * lib/background/overlay-feed.ts).
 *
 * The page cannot switch it off: no extension id posted to the page
 * (`noScriptStartedPostMessage`), and a removed overlay (by the page, or by WXT on a context
 * invalidation the page forged) is mounted again while the extension runtime is there
 * (components/overlay/mount.ts).
 * Keep this bundle small: no engine, no decimal.js, no valibot.
 */
import { render } from 'preact';
import { browser } from 'wxt/browser';
import { keepMounted } from '@/components/overlay/mount';
import { OverlayRoot, type OverlaySubscribe } from '@/components/overlay/OverlayRoot';
import { watchOverlayFeed } from '@/components/overlay/source';
// Same pages as the page reader (content.ts), from the one exchange table.
import { CONTENT_MATCHES, MARGIN_CONTENT_MATCHES } from '@/lib/exchanges/meta';
import { isBinanceMarginPage } from '@/lib/exchanges/binance-margin/page';
import '@/components/overlay/overlay.css';

/**
 * Shadow root mode: closed, so the exchange page's scripts cannot reach into the badge. Only the
 * e2e build (`wxt build --mode e2e`, the harness's: Playwright locators pierce open shadow roots
 * only) opens it; production builds are always closed (checked by test/hardening/manifest.test.ts).
 */
const SHADOW_MODE: ShadowRootMode = import.meta.env.MODE === 'e2e' ? 'open' : 'closed';

export default defineContentScript({
  // Futures pages, and Binance spot margin pages (issue 16; a spot page under the same match is skipped below).
  matches: [...CONTENT_MATCHES, ...MARGIN_CONTENT_MATCHES],
  cssInjectionMode: 'ui',
  runAt: 'document_idle',
  noScriptStartedPostMessage: true,
  async main(ctx) {
    // The margin matches also cover Binance spot pages: no badge there (only futures and margin pages).
    if (location.hostname === 'www.binance.com' && !/\/futures\//.test(location.pathname) && !isBinanceMarginPage(location.href)) return;
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
          // Plain timers: unmounting unsubscribes and clears them.
          setTimeout: (fn, ms) => setTimeout(fn, ms),
          clearTimeout: (id) => clearTimeout(id as number),
        },
        on,
      );
    const ui = await createShadowRootUi(ctx, {
      name: 'margin-sentinel-overlay',
      mode: SHADOW_MODE,
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
    const keeper = keepMounted({
      isMounted: () => ui.shadowHost.isConnected,
      mount: () => ui.mount(),
      remove: () => ui.remove(),
      alive: () => browser.runtime?.id != null,
      setInterval: (fn, ms) => setInterval(fn, ms),
      clearInterval: (id) => clearInterval(id as number),
    });
    ctx.onInvalidated(() => keeper.invalidated());
  },
});
