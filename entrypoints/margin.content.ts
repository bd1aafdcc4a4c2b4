/**
 * Spot margin content script (Binance Cross and Isolated Margin, issue 16): reads the margin
 * level and the assets table of a Binance margin trading page or margin wallet overview
 * (lib/exchanges/binance-margin/reader.ts) and sends each read to the background as a
 * `margin-read` message. Wiring only; no decimal library, no valibot (the worker validates).
 *
 * Cadence: a read every second (the page's own figures only serve reconciliation and the
 * "worse of ours and theirs" rule; prices come from the public spot stream), sent when it
 * changed, and at least every 10 s so the background knows the page is still read. A page that
 * is not a margin page (a spot tab, `?type=spot`) is not read.
 */
import { MARGIN_CONTENT_MATCHES } from '../lib/exchanges/meta';
import { isBinanceMarginPage } from '../lib/exchanges/binance-margin/page';
import { readBinanceMargin } from '../lib/exchanges/binance-margin/reader';
import type { MarginReadMessage } from '../lib/protocol/margin-read';

const READ_MS = 1000;
const RESEND_MS = 10_000;

export default defineContentScript({
  matches: [...MARGIN_CONTENT_MATCHES],
  runAt: 'document_idle',
  noScriptStartedPostMessage: true,
  main() {
    let last = '';
    let lastSent = 0;
    const tick = () => {
      if (browser.runtime?.id == null) {
        clearInterval(timer);
        return;
      }
      const url = location.href;
      if (!isBinanceMarginPage(url)) return;
      const now = Date.now();
      const r = readBinanceMargin(document, url, { now });
      const sig = JSON.stringify([r.snapshot && { ...r.snapshot, source: undefined }, r.health.status, r.health.problems]);
      if (sig === last && now - lastSent < RESEND_MS) return;
      last = sig;
      lastSent = now;
      const msg: MarginReadMessage = { type: 'margin-read', exchange: 'binance-margin', snapshot: r.snapshot, health: r.health };
      browser.runtime.sendMessage(msg).catch(() => {
        last = ''; // the worker was asleep or restarting: send again next tick
      });
    };
    const timer = setInterval(tick, READ_MS);
    tick();
  },
});
