/**
 * What the monitor (./monitor.ts) is given and gives out: the browser-facing effects it runs
 * through ({@link MonitorPorts}: the service worker's, WXT's fake browser's in tests, the
 * benchmark's) and the evaluation input the popup's what-if and stress requests share with it.
 */
import type { ExchangeId } from '../engine/exchanges';
import type { AccountSnapshot } from '../engine/snapshot';
import type { TierTables } from '../engine/tiers';
import type { NotificationText } from '../alerts/text';
import type { StoredMark } from '../storage';

/** Browser-facing effects. */
export interface MonitorPorts {
  now: () => number;
  /** Show a notification with this id (same id = same notification: redelivery replaces, never duplicates). */
  notify: (id: string, text: NotificationText) => Promise<void>;
  setBadge: (badge: { text: string; color: string; title: string }) => Promise<void>;
  /** Our extension id (sender checks). */
  extensionId: string;
  /** WebSocket constructor for the streams (default: global). */
  WebSocket?: unknown;
  fetch?: typeof fetch;
  /** Play the critical-alert sound (Chrome: offscreen document); absent where unsupported. */
  playSound?: () => Promise<void>;
  /** Connect backoff for streams (tests shorten it). */
  backoff?: { minMs?: number; maxMs?: number; factor?: number; jitterMs?: number };
  /** The account records were written (throttled, about once a second while prices tick): the overlay feed publishes. */
  accountsSaved?: () => void;
}

/** What the monitor evaluates one account with (see `Monitor.evaluationInput`). */
export interface EvaluationInput {
  exchange: ExchangeId;
  /** The page snapshot with the fresh live stream marks applied. */
  snapshot: AccountSnapshot;
  /** Tier tables: live or cached over the bundled ones. */
  tables: TierTables;
  /** The live marks applied, by snapshot symbol (with funding where the stream carries it). */
  marks: Record<string, StoredMark>;
  /** When this input was taken (ms epoch). */
  at: number;
}
