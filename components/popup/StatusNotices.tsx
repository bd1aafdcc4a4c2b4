/**
 * The states that must never be silent: page not recognised (which labels were missing), partial
 * read, stale data (how old, why), price stream disconnected, stream and page prices that
 * disagree, waiting for the first evaluation.
 */
import { formatAge, formatPrice } from '../../lib/view/format';
import type { AccountView } from '../../lib/view/popup';

export function StatusNotices({ account: a, now }: { account: AccountView; now: number }) {
  const lines = [];
  const h = a.health;
  if (a.status === 'unrecognized') {
    lines.push(
      <div class="notice notice-bad" role="alert" data-state="unrecognized" key="unrec">
        <strong>Page not recognised.</strong>{' '}
        {h && h.missing.length ? <>Missing on the page: {h.missing.join(', ')}. </> : null}
        {h && h.problems.length ? <>{h.problems.join('; ')}. </> : null}
        {h?.lastGoodReadAt ? <>Last good read {formatAge(now - h.lastGoodReadAt)} ago. </> : <>No good read yet. </>}
        Open the futures trading page with the Positions tab visible; if it still fails the exchange changed its layout.
      </div>,
    );
  } else if (h?.status === 'partial') {
    lines.push(
      <div class="notice notice-warn" data-state="partial" key="partial">
        <strong>Page read in part.</strong> {h.missing.length ? <>Missing: {h.missing.join(', ')}. </> : null}
        {h.problems.join('; ')}
      </div>,
    );
  }
  if (a.stale) {
    const at = a.riskAt ?? a.snapshotAt;
    // "just now old" reads badly: a stale state on fresh data (say, a refused stream) shows no age.
    const age = at !== null && now - at >= 2000 ? ` (${formatAge(now - at)} old)` : '';
    lines.push(
      <div class="notice notice-bad" role="alert" data-state="stale" key="stale">
        <strong>Stale data{age}.</strong> {a.stale}. Alerts are paused for this account until data is fresh.
      </div>,
    );
  }
  const held = (a.snapshot?.positions.length ?? 0) > 0;
  if (held && a.stream.state !== 'open') {
    lines.push(
      <div class="notice notice-bad" role="alert" data-state="disconnected" key="stream">
        <strong>Price stream {a.stream.state === 'connecting' ? 'reconnecting' : 'disconnected'}.</strong>{' '}
        {a.lastMarkAt !== null ? <>Last live price {formatAge(now - a.lastMarkAt)} ago. </> : <>No live price yet. </>}
        {a.stream.lastError ? <>Last error: {a.stream.lastError}. </> : null}
        Figures use the last known mark prices.
      </div>,
    );
  }
  if (a.markDisagreements.length) {
    lines.push(
      <div class="notice notice-warn" role="alert" data-state="mark-disagreement" key="marks">
        <strong>Stream and page prices disagree.</strong>{' '}
        {a.markDisagreements.map((d) => `${d.symbol}: stream ${formatPrice(d.stream)}, the exchange page ${formatPrice(d.page)}`).join('; ')}. Figures and alerts use the
        worse of the two until they agree.
      </div>,
    );
  }
  if (a.status === 'waiting') {
    lines.push(
      <div class="notice" data-state="waiting" key="wait">
        Waiting for the first evaluation of this account…
      </div>,
    );
  }
  return lines.length ? <div class="notices">{lines}</div> : null;
}
