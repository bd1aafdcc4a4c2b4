/**
 * Account margin ratio in the exchange's own convention (Binance/Bybit/Hyperliquid: lower is
 * safer; OKX: higher is safer), the normalized risk ratio beside it (100 % = liquidation
 * everywhere), and a bar coloured by the user's alert levels.
 */
import type { AccountRisk } from '../../lib/engine/types';
import { Figure } from '../Figure';
import { formatPercent } from '../../lib/view/format';
import { whyMissing } from '../../lib/view/reasons';
import { bandOfRisk } from '../../lib/alerts/bands';

export interface RatioGaugeProps {
  risk: AccountRisk;
  levels: readonly number[];
}

const BAND_TEXT = { ok: 'below your alert levels', warn: 'above an alert level', high: 'high', critical: 'critical', unknown: 'unknown' } as const;

export function RatioGauge({ risk, levels }: RatioGaugeProps) {
  const band = bandOfRisk(risk, levels);
  const higher = risk.marginRatioConvention.direction === 'higher-is-safer';
  // Bar width from the normalized ratio, capped at 100 % (liquidation). A width only; the text is the decimal string.
  const fill = risk.riskRatio === null ? 0 : Math.max(0, Math.min(100, Number(risk.riskRatio) * 100));
  return (
    <div class={`gauge band-${band}`}>
      <div class="gauge-figures">
        <div class="gauge-main">
          <span class="gauge-label" title={risk.marginRatioConvention.definition}>
            Margin ratio
          </span>
          <Figure class="gauge-value" value={risk.marginRatio} format={(s) => formatPercent(s, 2)} {...whyMissing(risk.reasons, 'marginRatio')} />
          <span class="gauge-dir">{higher ? 'higher is safer' : 'lower is safer'}</span>
        </div>
        <div class="gauge-side">
          <span class="gauge-label" title="(maintenance margin + fees) / margin balance; 100 % = liquidation on every exchange">
            Risk
          </span>
          <Figure value={risk.riskRatio} format={(s) => formatPercent(s, 1)} {...whyMissing(risk.reasons, 'riskRatio')} />
        </div>
      </div>
      <div
        class="gauge-bar"
        role="meter"
        aria-label={`Risk ratio, 100 % is liquidation: ${risk.riskRatio === null ? 'unknown' : formatPercent(risk.riskRatio, 1)}, ${BAND_TEXT[band]}`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={risk.riskRatio === null ? undefined : Math.round(fill)}
      >
        <div class="gauge-fill" style={{ width: `${fill}%` }} />
        {levels.filter((l) => l > 0 && l <= 1).map((l) => (
          <div key={l} class="gauge-tick" style={{ left: `${l * 100}%` }} title={`alert level ${Math.round(l * 1000) / 10} %`} />
        ))}
      </div>
      {risk.liquidated === true && (
        <p class="alert-line" role="alert">
          At or past liquidation now.
        </p>
      )}
    </div>
  );
}
