/** Colour bands of the risk ratio against the user's alert levels. Tiny and dependency-free: the overlay imports it. */

/** Level band of a normalized risk ratio: below every level, between, second-highest, at or above the top. */
export type Band = 'ok' | 'warn' | 'high' | 'critical' | 'unknown';

/** Colour band of a risk ratio against the user's levels (same rule as the toolbar badge). */
export function bandOf(riskRatio: string | null, levels: readonly number[]): Band {
  if (riskRatio === null) return 'unknown';
  // A colour choice only: the figure shown is the decimal string itself.
  const r = Number(riskRatio);
  if (!Number.isFinite(r)) return 'unknown';
  const sorted = [...levels].sort((a, b) => a - b);
  let rank = -1;
  sorted.forEach((l, i) => {
    if (r >= l) rank = i;
  });
  if (rank < 0) return 'ok';
  if (rank === sorted.length - 1) return 'critical';
  if (rank >= sorted.length - 2) return 'high';
  return 'warn';
}
