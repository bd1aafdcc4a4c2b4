/** One spot margin account (Binance Cross/Isolated Margin): the level as Binance shows it, normalized risk, liquidation prices. */
import type { MarginCardView } from '../../lib/view/margin';

export function MarginCard({ view }: { view: MarginCardView }) {
  return (
    <section class={`card band-${view.band}`} data-account={view.key} data-kind="spot-margin" aria-label={view.label}>
      <header class="card-head">
        <h2>{view.label}</h2>
      </header>
      {view.warnings.map((w) => (
        <p class="notice notice-bad" role="alert" key={w}>
          {w}
        </p>
      ))}
      <p class="margin-level">
        <span class="label">Margin level</span> <strong data-field="marginLevel">{view.levelText}</strong>{' '}
        <span class="muted" data-field="risk">
          risk {view.riskText}
        </span>
        {view.levelSource === 'exchange' && <span class="muted"> (the exchange's figure; ours {view.oursText})</span>}
      </p>
      <p class="muted" data-field="thresholds">
        {view.thresholdsText}
        {view.moveText ? ` · ${view.moveText}` : ''}
      </p>
      {view.rows.length > 0 && (
        <table class="positions" data-field="liquidationPrices">
          <thead>
            <tr>
              <th>Coin</th>
              <th>Price</th>
              <th>Liquidation</th>
              <th>Away</th>
            </tr>
          </thead>
          <tbody>
            {view.rows.map((r) => (
              <tr key={r.name} data-asset={r.name}>
                <td>{r.name}</td>
                <td>{r.price ?? '—'}</td>
                <td title={r.note ?? undefined}>{r.liquidationPrice ? `${r.direction} ${r.liquidationPrice}` : '—'}</td>
                <td>{r.distance ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {view.definition && <p class="muted small">{view.definition}</p>}
    </section>
  );
}
