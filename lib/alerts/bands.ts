/**
 * The one colour-band rule of the normalized risk ratio against the user's alert levels, used by
 * the toolbar badge, the overlay badge and the popup. Tiny and dependency-free: the overlay
 * imports it.
 *
 * Rule: rank = index of the highest level the ratio is at or above (levels sorted ascending).
 * Below every level `ok`; the top level `critical`; the second-highest `high`; any lower level
 * `warn`. An account the engine reports at or past liquidation (`liquidated: true`) is
 * `critical` whatever its ratio (the engine gives no ratio once the margin balance is ≤ 0).
 * An unknown ratio of an account not known to be liquidated is `unknown`, never `ok`.
 */

/** Level band of a normalized risk ratio: below every level, between, second-highest, at or above the top; or unknown. */
export type Band = 'ok' | 'warn' | 'high' | 'critical' | 'unknown';

/** Colours of the bands (toolbar badge; the overlay and popup use CSS classes `band-<band>`). */
export const BAND_COLORS: Readonly<Record<Band, string>> = {
  ok: '#2e7d32',
  warn: '#f9a825',
  high: '#ef6c00',
  critical: '#c62828',
  unknown: '#616161',
};

/**
 * Colour band of a normalized risk ratio (fraction, 1 = liquidation, lower is safer) against the
 * user's levels (fractions of the same ratio, any order).
 * @param riskRatio decimal string (engine output) or number (alert machine), or null when unknown.
 *   A string is converted with `Number` for this comparison only: the figure shown stays the string.
 * @param liquidated the engine's `AccountRisk.liquidated`: `true` makes the band `critical` even with no ratio.
 */
export function bandOf(riskRatio: string | number | null, levels: readonly number[], liquidated?: boolean | null): Band {
  if (liquidated === true) return 'critical';
  if (riskRatio === null) return 'unknown';
  const r = typeof riskRatio === 'number' ? riskRatio : Number(riskRatio);
  if (!Number.isFinite(r)) return 'unknown';
  const sorted = levels.filter((l) => Number.isFinite(l) && l > 0).sort((a, b) => a - b);
  let rank = -1;
  sorted.forEach((l, i) => {
    if (r >= l) rank = i;
  });
  if (rank < 0) return 'ok';
  if (rank === sorted.length - 1) return 'critical';
  if (rank >= sorted.length - 2) return 'high';
  return 'warn';
}

/**
 * Band of an engine result (`AccountRisk`, a stress row, anything with `riskRatio` and `liquidated`):
 * `bandOf(risk.riskRatio, levels, risk.liquidated)`; `unknown` when there is no result.
 */
export function bandOfRisk(risk: { riskRatio: string | null; liquidated?: boolean | null } | null | undefined, levels: readonly number[]): Band {
  if (!risk) return 'unknown';
  return bandOf(risk.riskRatio, levels, risk.liquidated);
}

/** Order of severity for choosing the worst of several bands (unknown ranks with critical: never hidden behind green). */
export const BAND_SEVERITY: Readonly<Record<Band, number>> = { ok: 0, warn: 1, high: 2, unknown: 3, critical: 4 };
