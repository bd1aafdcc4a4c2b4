/**
 * Showing risk-ratio levels in the convention the user reads on their exchange.
 *
 * Internally every level is a fraction of the normalized risk ratio r = (MM + fees) / margin
 * balance (1 = liquidation, lower is safer). Display conventions:
 * - `risk-ratio` / lower-is-safer exchanges (Binance "Margin Ratio" = MM / margin balance,
 *   https://www.binance.com/en/support/faq/360033525271; Bybit MM rate; Hyperliquid cross margin ratio):
 *   shown as r × 100 %.
 * - higher-is-safer exchanges (OKX `mgnRatio` = adjEq / (MM + fees), https://www.okx.com/docs-v5/en/#trading-account-rest-api-get-balance)
 *   and the `margin-level` convention (margin level = total assets / used margin, here margin
 *   balance / maintenance margin): shown as (1 / r) × 100 %, so r = 0.5 is 200 % and liquidation is 100 %.
 */
import type { RatioConvention } from '../engine/types';

export type DisplayConvention = 'exchange' | 'risk-ratio' | 'margin-level';

/** Default levels when the user thinks in margin level: 300 %, 200 %, 150 %, 110 % (as risk-ratio fractions). */
export const DEFAULT_MARGIN_LEVEL_PERCENTS = [300, 200, 150, 110];

/** True when values in this convention grow as the account gets safer. */
export function higherIsSafer(display: DisplayConvention, exchange: RatioConvention | undefined): boolean {
  if (display === 'margin-level') return true;
  if (display === 'risk-ratio') return false;
  return exchange?.direction === 'higher-is-safer';
}

/**
 * A normalized risk ratio (fraction) as a percent number in the chosen convention.
 * Returns null for null/non-positive input in a higher-is-safer convention (1 / 0 is not a level).
 */
export function toDisplayPercent(riskRatio: number | null, display: DisplayConvention, exchange?: RatioConvention): number | null {
  if (riskRatio === null || !Number.isFinite(riskRatio)) return null;
  if (higherIsSafer(display, exchange)) return riskRatio > 0 ? 100 / riskRatio : null;
  return riskRatio * 100;
}

/**
 * A percent typed in the chosen convention back to a normalized risk-ratio fraction.
 * @throws {RangeError} for non-finite or non-positive input, or a higher-is-safer level ≤ 100 % (at or past liquidation).
 */
export function fromDisplayPercent(percent: number, display: DisplayConvention, exchange?: RatioConvention): number {
  if (!Number.isFinite(percent) || percent <= 0) throw new RangeError(`level must be a positive percent (got ${percent})`);
  if (higherIsSafer(display, exchange)) {
    if (percent <= 100) throw new RangeError(`level must be above 100 % in a higher-is-safer convention (got ${percent})`);
    return 100 / percent;
  }
  if (percent > 100) throw new RangeError(`level must be at most 100 % (got ${percent})`);
  return percent / 100;
}

/** A percent for people: one decimal below 1000 %, none above, e.g. "82.4 %", "125.0 %". */
export function percentNumberText(p: number | null): string {
  if (p === null) return 'unknown';
  return `${p >= 1000 ? p.toFixed(0) : p.toFixed(1)} %`;
}

/** Label of a level in the chosen convention, e.g. "80.0 %" (Binance) or "125.0 %" (OKX). */
export function levelLabel(level: number, display: DisplayConvention, exchange?: RatioConvention): string {
  return percentNumberText(toDisplayPercent(level, display, exchange));
}
