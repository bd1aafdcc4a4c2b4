/**
 * Why an engine figure is missing, for the views: the engine's `Reason`s of a field, and whether
 * they say the figure does not exist ("none": a position whose margin covers a fall to 0 has no
 * liquidation price) rather than that it could not be computed ("unknown"). "None" is read from
 * the engine's `Reason.none` flag, never from the wording of the reason. Pure, tiny: the overlay
 * feed, the overlay and the popup import it.
 */
import type { Reason } from '../engine/types';

/** Whether a reason is about `field`: the same field, or a parent of it (`liquidationMove` for `liquidationMove.down`). */
function about(r: Reason, field: string): boolean {
  return r.field === field || field.startsWith(`${r.field}.`);
}

/**
 * All reasons for a field, joined with "; " (duplicates once), or undefined when there is none.
 * @example reasonFor([{ field: 'liquidationMove', reason: 'no cross positions', none: true }], 'liquidationMove.down') //=> 'no cross positions'
 */
export function reasonFor(reasons: readonly Reason[] | undefined, field: string): string | undefined {
  if (!reasons) return undefined;
  const hits = reasons.filter((r) => about(r, field)).map((r) => r.reason);
  return hits.length ? [...new Set(hits)].join('; ') : undefined;
}

/**
 * Whether the engine says the figure `field` does not exist: it gave at least one reason for it,
 * and every one carries `none: true`. Any other reason beside them (a figure it could not
 * compute) makes the figure unknown, never "none": when in doubt, unknown.
 */
export function noneFor(reasons: readonly Reason[] | undefined, field: string): boolean {
  const hits = (reasons ?? []).filter((r) => about(r, field));
  return hits.length > 0 && hits.every((r) => r.none === true);
}

/** Why a figure is missing: the joined reason text (for the title) and whether it means "none" (see {@link noneFor}). */
export interface MissingWhy {
  reason: string | undefined;
  none: boolean;
}

/**
 * Why a figure is missing, from the first of `fields` that has a reason (a distance to
 * liquidation without its own reason takes its liquidation price's).
 * @example whyMissing(p.reasons, 'distanceToLiquidation', 'liquidationPrice') //=> { reason: 'fully hedged: …', none: true }
 */
export function whyMissing(reasons: readonly Reason[] | undefined, ...fields: string[]): MissingWhy {
  for (const field of fields) {
    const reason = reasonFor(reasons, field);
    if (reason !== undefined) return { reason, none: noneFor(reasons, field) };
  }
  return { reason: undefined, none: false };
}
