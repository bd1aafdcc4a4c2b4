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
}

/** The one message a content script sends to the background. */
export interface PageReadMessage {
  type: 'page-read';
  exchange: ExchangeId;
  /** null when the page was not recognised. */
  snapshot: AccountSnapshot | null;
  health: ReaderHealth;
}
