/**
 * Positions of one account: size, entry, mark, unrealized PnL, our liquidation price beside the
 * exchange's (with a mismatch mark past tolerance), distance to liquidation, and which position
 * liquidates first.
 */
import type { AccountRisk, PositionRisk, Reconciliation } from '../../lib/engine/types';
import { Figure } from '../Figure';
import { exchangeFigureOld, exchangeFigureSource, formatDecimal, formatPercent, formatPrice, signOf } from '../../lib/view/format';
import { reasonFor, whyMissing } from '../../lib/view/reasons';
import type { PositionStop } from '../../lib/engine/stops';
import type { AccountOdds } from '../../lib/engine/liquidationOdds';
import { oddsView, stopView } from '../../lib/view/stops';

function liqReconciliation(p: PositionRisk): Reconciliation | undefined {
  return p.reconciliation.find((r) => r.field === 'liquidationPrice');
}

function pnlClass(s: string | null): string {
  const sign = signOf(s);
  return sign === 1 ? 'pos' : sign === -1 ? 'neg' : '';
}

/** When the exchange's figures were read from its page, and when ours were evaluated (ms epoch). */
export interface FigureTimes {
  readAt: number | null;
  evaluatedAt: number | null;
}

export function TheirLiq({ p, times }: { p: PositionRisk; times?: FigureTimes }) {
  const rec = liqReconciliation(p);
  if (!rec) return <span class="muted" title="the exchange page shows no liquidation price for this position">exch.: not shown</span>;
  const old = times ? exchangeFigureOld(times.readAt, times.evaluatedAt) : false;
  return (
    <span
      class={`${rec.mismatch ? 'mismatch' : 'match'}${old ? ' exch-old' : ''}`}
      data-mismatch={rec.mismatch ? 'true' : 'false'}
      title={times ? exchangeFigureSource(times.readAt, null) : undefined}
    >
      exch. {formatPrice(rec.theirs)}
      {rec.mismatch ? (
        <span
          class="mismatch-mark"
          role="img"
          aria-label={`mismatch: ours differs from the exchange's by more than ${formatPrice(rec.tolerance)}`}
          title={`Our figure differs from the exchange's by ${rec.diff === null ? 'an unknown amount (ours unknown)' : formatPrice(rec.diff)} (tolerance ${formatPrice(rec.tolerance)}). Check tier table and balances.`}
        >
          {' '}⚠
        </span>
      ) : (
        <span class="sr-only"> (matches ours)</span>
      )}
      {rec.mismatch && (
        <div class="mismatch-word" aria-hidden="true">
          mismatch
        </div>
      )}
    </span>
  );
}
/** The stop of a position (fires first / never fires / none) and its liquidation in σ with the 24 h probability. */
function StopCell({ stop, odds }: { stop: PositionStop | undefined; odds: AccountOdds['positions'][number] | undefined }) {
  const sv = stopView(stop);
  const ov = oddsView(odds);
  return (
    <>
      <span class={`stop stop-${sv.tone}`} title={sv.title} data-stop={stop?.status ?? 'unknown'}>
        {sv.tone === 'danger' ? '⚠ ' : ''}
        {sv.text}
      </span>
      {sv.partial && <div class="sub stop-partial">{sv.partial}</div>}
      <div class="sub odds" title={ov.title} data-odds={ov.touch24h ?? 'unknown'}>
        {ov.text}
      </div>
    </>
  );
}

export function PositionsTable({ risk, times, stops, odds }: { risk: AccountRisk; times?: FigureTimes; stops?: readonly PositionStop[] | null; odds?: AccountOdds | null }) {
  if (risk.positions.length === 0) return <p class="muted">No open positions.</p>;
  return (
    <table class="positions">
      <caption class="sr-only">Open positions</caption>
      <thead>
        <tr>
          <th scope="col">Position</th>
          <th scope="col">Entry/mark</th>
          <th scope="col">uPnL</th>
          <th scope="col">Liq. price</th>
          <th scope="col">Distance</th>
          <th scope="col" title="the stop-loss that would close the position, and the chance of touching the liquidation price within 24 h">Stop · 24 h</th>
        </tr>
      </thead>
      <tbody>
        {risk.positions.map((p, i) => {
          const first = risk.firstToLiquidate === i;
          return (
            <tr key={`${p.symbol}|${p.side}|${p.marginMode}`} class={first ? 'first-liq' : ''} data-symbol={p.symbol}>
              <th scope="row">
                <span class="sym">{p.symbol}</span>{' '}
                <span class={`side side-${p.side}`}>{p.side}</span>
                <div class="sub">
                  {formatDecimal(p.size)} · {p.marginMode}
                </div>
                {first && (
                  <div class="first-badge" title="nearest to its liquidation price">
                    liquidates first
                  </div>
                )}
              </th>
              <td>
                <span title={p.entryPrice}>{formatPrice(p.entryPrice)}</span>
                <div class="sub">
                  <Figure value={p.markPrice} format={formatPrice} reason={reasonFor(p.reasons, 'markPrice') ?? 'mark price unknown'} />
                </div>
              </td>
              <td>
                <Figure class={pnlClass(p.unrealizedPnl)} value={p.unrealizedPnl} format={(s) => formatDecimal(s, { dp: 2, plus: true })} {...whyMissing(p.reasons, 'unrealizedPnl')} />
              </td>
              <td>
                <Figure value={p.liquidationPriceDisplayed ?? p.liquidationPrice} format={formatPrice} {...whyMissing(p.reasons, 'liquidationPrice')} />
                <div class="sub">
                  <TheirLiq p={p} times={times} />
                </div>
              </td>
              <td>
                <Figure value={p.distanceToLiquidation} format={(s) => formatPercent(s, 1)} {...whyMissing(p.reasons, 'distanceToLiquidation', 'liquidationPrice')} />
              </td>
              <td class="stop-cell">
                <StopCell stop={stops?.find((x) => x.position === i)} odds={odds?.positions.find((x) => x.position === i)} />
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
