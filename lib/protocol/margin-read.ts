/**
 * The `margin-read` message: what the spot margin content script (entrypoints/margin.content.ts)
 * sends with every read of a Binance Cross or Isolated Margin page. Light (no valibot): the
 * worker validates the snapshot with the engine's schema (lib/engine/snapshot.ts).
 */
import type { SpotMarginSnapshot } from '../engine/snapshot';
import type { MarginReaderHealth } from '../exchanges/binance-margin/reader';

export interface MarginReadMessage {
  type: 'margin-read';
  exchange: 'binance-margin';
  /** null when the page was not recognised. */
  snapshot: SpotMarginSnapshot | null;
  health: MarginReaderHealth;
}

export type MarginReadReply = { ok: true } | { ok: false; error: string };
