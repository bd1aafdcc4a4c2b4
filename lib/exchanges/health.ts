/**
 * Page-reader health: what a reader found on the page, sent with every snapshot so the
 * popup and overlay can say "page not recognised (missing: Liq. Price)" instead of
 * showing a number that was never read.
 */
import type { AccountSnapshot, ExchangeId } from '../engine/snapshot';

export interface ReaderHealth {
  exchange: ExchangeId;
  /** `ok`: every label the engine needs was found; `partial`: some figures unknown; `unrecognized`: not a layout we know, nothing usable. */
  status: 'ok' | 'partial' | 'unrecognized';
  url: string;
  /** ms epoch of this read. */
  readAt: number;
  /** Labels (column headers, panel labels) found on the page. */
  found: string[];
  /** Labels we looked for and did not find. */
  missing: string[];
  /** Human-readable problems, e.g. `ETHUSDT: direction unknown (no sign, no colour class)`. */
  problems: string[];
  /** ms epoch of the last read with status `ok`, or null if none yet. */
  lastGoodReadAt: number | null;
  /** False when the page shows open positions the reader could not read (absent: true). */
  positionsComplete?: boolean;
  /** How many positions the page says are open (e.g. its "Positions(2)" tab), or null when not shown. */
  positionsExpected?: number | null;
}

/**
 * Whether an account's exchange page is "not recognised": its reader said so, or it reported
 * health without a usable snapshot (one the background refused included). Address-watched
 * accounts have no reader health and are never "not recognised".
 */
export function pageUnrecognized(r: { health: ReaderHealth | null; snapshot: AccountSnapshot | null }): boolean {
  return r.health?.status === 'unrecognized' || (r.snapshot === null && r.health !== null);
}
