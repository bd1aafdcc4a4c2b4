/**
 * Exchange page content script: reads positions and balances from the futures page the
 * user has open (Binance USDⓈ-M, Bybit, OKX, Hyperliquid) and sends them to the background.
 * Wiring only; the loop is lib/exchanges/common/watcher.ts, the readers lib/exchanges/<id>/.
 * Imports no decimal library (page numbers stay decimal strings).
 *
 * The page cannot switch it off: WXT would post our extension id to the page
 * (`noScriptStartedPostMessage: true` stops that) and invalidates the context on a
 * "content script started" event the page can also send, so the watcher stops only when the
 * extension runtime is really gone (`guardLifetime`), and our listeners are not tied to WXT's
 * context.
 */
import { guardLifetime, startPageWatcher } from '../lib/exchanges/common/watcher';
import { CONTENT_MATCHES } from '../lib/exchanges/meta';
import { pageFor } from '../lib/exchanges/pages';

export default defineContentScript({
  matches: [...CONTENT_MATCHES],
  runAt: 'document_idle',
  noScriptStartedPostMessage: true,
  main(ctx) {
    const listeners = new AbortController();
    const watcher = startPageWatcher({
      doc: document,
      url: () => location.href,
      pageFor: (url) => pageFor(url),
      send: (msg) => browser.runtime.sendMessage(msg),
      now: () => Date.now(),
      // Plain timers: the watcher clears its own on stop(). `ctx.setTimeout` would add an abort
      // listener per call that is never removed, and stops when the page invalidates the context.
      setTimeout: (fn, ms) => setTimeout(fn, ms),
      clearTimeout: (id) => clearTimeout(id as number),
      MutationObserver,
      onStop: () => listeners.abort(),
    });
    const lifetime = guardLifetime({
      watcher,
      runtimeAlive: () => browser.runtime?.id != null,
      url: () => location.href,
      setInterval: (fn, ms) => setInterval(fn, ms),
      clearInterval: (id) => clearInterval(id as number),
    });
    document.addEventListener(
      'visibilitychange',
      () => {
        if (document.visibilityState === 'visible') watcher.wake();
      },
      { signal: listeners.signal },
    );
    ctx.onInvalidated(() => lifetime.invalidated());
  },
});
