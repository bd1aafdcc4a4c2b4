/**
 * Exchange page content script: reads positions and balances from the futures page the
 * user has open (Binance USDⓈ-M, Bybit, OKX, Hyperliquid) and sends them to the background.
 * Wiring only; the loop is lib/exchanges/common/watcher.ts, the readers lib/exchanges/<id>/.
 * Imports no decimal library (page numbers stay decimal strings).
 */
import { startPageWatcher } from '../lib/exchanges/common/watcher';
import { CONTENT_MATCHES } from '../lib/exchanges/meta';
import { pageFor } from '../lib/exchanges/pages';

export default defineContentScript({
  matches: [...CONTENT_MATCHES],
  runAt: 'document_idle',
  main(ctx) {
    const watcher = startPageWatcher({
      doc: document,
      url: () => location.href,
      pageFor: (url) => pageFor(url),
      send: (msg) => browser.runtime.sendMessage(msg),
      now: () => Date.now(),
      // Plain timers: the watcher clears its own on stop() (called on invalidation below).
      // `ctx.setTimeout` would add an abort listener per call that is never removed.
      setTimeout: (fn, ms) => setTimeout(fn, ms),
      clearTimeout: (id) => clearTimeout(id as number),
      MutationObserver,
    });
    ctx.addEventListener(document, 'visibilitychange', () => {
      if (document.visibilityState === 'visible') watcher.wake();
    });
    ctx.addEventListener(window, 'wxt:locationchange', ({ newUrl }) => watcher.navigated(String(newUrl)));
    ctx.onInvalidated(() => watcher.stop());
  },
});
