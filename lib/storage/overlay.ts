/**
 * The on-page overlay's badge placement. Its own light file: the overlay content script imports
 * it, and must not bundle valibot or the settings schema (lib/storage/items.ts pulls both in;
 * the build test in test/hardening/manifest.test.ts checks the content scripts). Hence the hand
 * check {@link overlayPlacementOf} instead of a valibot shape.
 *
 * The overlay registers no `storage.onChanged` listener: that would deliver every write of the
 * account records (about once a second) into the page. It only writes its placement.
 */
import { storage } from 'wxt/utils/storage';
import type { OverlayPlacement } from '../protocol/overlay-feed';
import { DEFAULT_PLACEMENT } from '../view/overlay';

/** Where the user put the badge (per browser profile, all exchanges). Version 1: `{ left, bottom, collapsed }`. */
export const overlayPlacementItem = storage.defineItem<OverlayPlacement>('local:overlayPlacement', { fallback: DEFAULT_PLACEMENT, version: 1 });

/** Largest offset accepted (px): beyond any screen; a larger stored value is damage, not a placement. */
export const PLACEMENT_MAX_PX = 100_000;

/**
 * Check a stored placement by hand: `left` and `bottom` finite numbers of px in
 * [0, {@link PLACEMENT_MAX_PX}], `collapsed` a boolean.
 * @returns the reason it is refused (naming the field), or null when it is a valid placement
 */
export function placementProblem(x: unknown): string | null {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return `not an object (${x === null ? 'null' : Array.isArray(x) ? 'array' : typeof x})`;
  const p = x as Record<string, unknown>;
  for (const k of ['left', 'bottom'] as const) {
    const n = p[k];
    if (typeof n !== 'number' || !Number.isFinite(n) || n < 0 || n > PLACEMENT_MAX_PX) return `${k}: must be a number of px in [0, ${PLACEMENT_MAX_PX}] (got ${JSON.stringify(n) ?? 'undefined'})`;
  }
  if (typeof p.collapsed !== 'boolean') return `collapsed: must be true or false (got ${JSON.stringify(p.collapsed) ?? 'undefined'})`;
  return null;
}

/**
 * A stored placement as the overlay can use it: the value itself (only its three fields) when
 * {@link placementProblem} accepts it, else {@link DEFAULT_PLACEMENT} (a fresh copy). A damaged
 * placement must not reach the overlay feed: the overlay drops feed messages whose placement
 * fails its shape check, and would then show itself unwatched for good.
 */
export function overlayPlacementOf(x: unknown): OverlayPlacement {
  if (placementProblem(x) !== null) return { ...DEFAULT_PLACEMENT };
  const p = x as OverlayPlacement;
  return { left: p.left, bottom: p.bottom, collapsed: p.collapsed };
}
