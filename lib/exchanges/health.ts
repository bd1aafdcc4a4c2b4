/**
 * Page-reader health: what a reader found on the page, sent with every snapshot so the
 * popup and overlay can say "page not recognised (missing: Liq. Price)" instead of
 * showing a number that was never read.
 */
import type { ExchangeId } from '../engine/exchanges';
import type { AccountSnapshot } from '../engine/snapshot';

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
  /**
   * Whether the snapshot's positions are every open position the page knows of. False whenever
   * the reader knows of positions it could not read: rows left out (PnL hidden as `******`, PnL
   * and mark disagreeing in a fast market, a shifted row…), a hidden row of a position, the
   * Positions tab count differing from the rows read, a grid not rendered (or hidden) while the
   * tab count is above 0, two grids shown (ambiguous), rows that do not add up to the account's
   * unrealised PnL, an empty grid nothing confirms, and every unrecognised page. The snapshot
   * still carries only the rows that were read; `problems` names why. A read with
   * `positionsComplete: false` must never shrink the account's position list.
   * Page readers always set it ({@link PageReaderHealth}); absent only in records and senders
   * that predate it (read as true).
   */
  positionsComplete?: boolean;
  /** How many positions the page says are open (e.g. its "Positions(2)" tab), or null when not shown. */
  positionsExpected?: number | null;
}

/** The health a page reader returns and the content script sends: completeness always stated. */
export type PageReaderHealth = ReaderHealth & { positionsComplete: boolean; positionsExpected: number | null };

/**
 * Whether an account's exchange page is "not recognised": its reader said so, or it reported
 * health without a usable snapshot (one the background refused included). Address-watched
 * accounts have no reader health and are never "not recognised".
 */
export function pageUnrecognized(r: { health: ReaderHealth | null; snapshot: AccountSnapshot | null }): boolean {
  return r.health?.status === 'unrecognized' || (r.snapshot === null && r.health !== null);
}
