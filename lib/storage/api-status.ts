/**
 * Status of each optional read-only API connection (issue 18), written by the worker
 * (lib/background/api-accounts.ts), shown by the options page. No key material here: keys live
 * in IndexedDB only (lib/api/keystore.ts).
 */
import { storage } from 'wxt/utils/storage';
import type { ApiExchange } from '../api/exchanges';

export type ApiConnectionState = 'checking' | 'connected' | 'refused' | 'error';

export interface ApiConnectionStatus {
  exchange: ApiExchange;
  state: ApiConnectionState;
  /** Why refused (permission to switch off) or what failed; null when connected. */
  reason: string | null;
  /** Permission names to switch off (exchange's own words), when refused for permissions. */
  switchOff: string[];
  /** Facts from the gate (IP restriction, days to expiry). */
  notes: string[];
  /** Last time the read-only gate passed (ms epoch), or null. */
  checkedAt: number | null;
  /** Last successful positions/balances read (ms epoch), or null. */
  polledAt: number | null;
  /** Last read failure, or null. */
  pollError: string | null;
  /** What the last read could not include (e.g. unsupported positions). */
  problems: string[];
  /** No request before this time (ms epoch) after a 429/418, or null. */
  backoffUntil: number | null;
  /** Days until the exchange expires the key (Bybit without IP binding), or null. */
  expiresInDays: number | null;
  /**
   * Page and API disagreements at the last read (issue 18 §4), each `<page account>: <what differs>`
   * (lib/engine/cross-check.ts); empty when they agree or no fresh page read exists. Absent in older status.
   */
  crossCheck?: string[];
  /** Private user-data stream problem (not opened, login refused), or null/absent when it runs or none is used. */
  streamProblem?: string | null;
}

export const apiStatusItem = storage.defineItem<Partial<Record<ApiExchange, ApiConnectionStatus>>>('local:apiConnections', { fallback: {}, version: 1 });
