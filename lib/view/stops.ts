/**
 * How a position's stop and its volatility figures read, as plain text (pure, no decimal.js):
 * the popup positions table and the overlay rows show these; the worker computed the figures
 * (lib/background/stops.ts → AccountRecord `stops`, `odds`).
 */
import type { AccountOdds, PositionOdds } from '../engine/liquidationOdds';
import type { PositionStop } from '../engine/stops';
import { formatDecimal, formatPercent, formatPrice, UNKNOWN } from './format';

/** The model behind the probability, for every tooltip that shows it. */
export const ODDS_MODEL =
  'Probability that the price touches the liquidation price within 24 h, if the log price moves as a driftless Brownian motion ' +
  'with the realized 1-day σ (from 1-hour log returns over the last 7 days of the exchange\'s public mark-price candles; Hyperliquid: trade-price candles): ' +
  'P = 2·Φ(−|ln(liq / mark)| / σ) (reflection principle). No drift, constant σ, no jumps or gaps, other positions held at mark: an estimate, not a forecast.';

/** `ok`: fires before liquidation; `danger`: never fires or no stop; `unknown`: cannot tell. */
export type StopTone = 'ok' | 'danger' | 'unknown';

export interface StopView {
  /** Short text: "SL 3,100 fires first", "SL 3,300 beyond liq.: never fires", "no stop-loss", "stop unknown". */
  text: string;
  tone: StopTone;
  /** Partial coverage, e.g. "covers 25 %", or null. */
  partial: string | null;
  /** Tooltip: distances, margin left, reasons. */
  title: string;
}

/** The stop view of one position (`stop` undefined: not evaluated). */
export function stopView(stop: PositionStop | undefined): StopView {
  if (!stop) return { text: 'stop unknown', tone: 'unknown', partial: null, title: 'stops not evaluated yet' };
  const reasons = stop.reasons.map((r) => r.reason);
  const partial = stop.partial && stop.coverage !== null ? `covers ${formatPercent(stop.coverage, 0)}` : null;
  const sl = stop.triggerPrice !== null ? `SL ${formatPrice(stop.triggerPrice)}` : 'SL';
  const lines: string[] = [];
  if (stop.distanceFromMark !== null) lines.push(`${formatPercent(stop.distanceFromMark, 2)} from the mark`);
  if (stop.gapToLiquidation !== null) lines.push(`${formatPercent(stop.gapToLiquidation, 2)} of the mark ${stop.status === 'never-fires' ? 'beyond' : 'before'} the liquidation price ${formatPrice(stop.liquidationPrice)}`);
  if (stop.marginLeftAtStop !== null) lines.push(`margin left when it fires: ${formatDecimal(stop.marginLeftAtStop, { dp: 2 })}`);
  const title = [...lines, ...reasons].join('\n');
  switch (stop.status) {
    case 'fires-first':
      return { text: `${sl} fires first`, tone: partial ? 'danger' : 'ok', partial, title };
    case 'never-fires':
      return { text: `${sl} beyond liq.: never fires`, tone: 'danger', partial, title: title || 'the stop is at or beyond the liquidation price' };
    case 'no-stop':
      return { text: 'no stop-loss', tone: 'danger', partial: null, title: 'no reduce-only stop on the losing side among the open orders read' };
    default:
      return { text: stop.triggerPrice !== null ? `${sl}: unknown` : 'stop unknown', tone: 'unknown', partial, title: title || 'unknown' };
  }
}

export interface OddsView {
  /** e.g. "4.2 σ · 0.3 % in 24 h", "σ unknown". */
  text: string;
  /** The model, the window, and the figures' source. */
  title: string;
  /** The probability as a fraction string, or null. */
  touch24h: string | null;
}

/** The volatility view of one position (`o` undefined: not evaluated). */
export function oddsView(o: PositionOdds | undefined): OddsView {
  if (!o) return { text: 'σ unknown', title: `not evaluated yet. ${ODDS_MODEL}`, touch24h: null };
  if (o.touch24h === null) {
    const text = o.reason === 'no liquidation price' ? 'no liq. price' : o.sigma === null ? 'σ unknown' : UNKNOWN;
    return { text, title: `${o.reason ?? 'unknown'}. ${ODDS_MODEL}`, touch24h: null };
  }
  const sig = o.sigmaDistance !== null ? `${formatDecimal(o.sigmaDistance, { dp: 1 })} σ · ` : '';
  const p = formatPercent(o.touch24h, 1);
  return {
    text: `${sig}${p} in 24 h`,
    title: `${o.symbol}: 1-day σ ${formatPercent(o.sigma, 2)} (${o.window ?? 'window unknown'}); liquidation ${o.sigmaDistance ?? '?'} σ away; ${p} chance to touch it within 24 h. ${ODDS_MODEL}`,
    touch24h: o.touch24h,
  };
}

/** The account's worst probability, as a line for the account card, or null when none is known. */
export function accountOddsLine(a: AccountOdds | null | undefined): string | null {
  if (!a || a.touch24h === null) return null;
  return `${formatPercent(a.touch24h, 1)} chance of touching a liquidation price within 24 h${a.unknown ? ` (σ unknown for ${a.unknown} position${a.unknown > 1 ? 's' : ''})` : ''}`;
}

/** Positions whose stop will never fire, or that have none: the warning the popup and overlay raise. */
export function stopWarnings(stops: readonly PositionStop[] | null | undefined): string[] {
  return (stops ?? []).filter((s) => s.status === 'never-fires' || s.status === 'no-stop').map((s) => `${s.symbol} ${s.side}: ${s.status === 'never-fires' ? `stop-loss ${formatPrice(s.triggerPrice)} is beyond the liquidation price ${formatPrice(s.liquidationPrice)}: it will never fire` : 'no stop-loss'}`);
}
