/**
 * Spot margin accounts as the background stores them for the popup (and a restarted worker):
 * one record per margin account (`binance-margin:cross`, `binance-margin:isolated`). Defined in
 * its own file so that readers import no valibot (types only from the engine).
 */
import { storage } from 'wxt/utils/storage';
import type { AlertState } from '../alerts/machine';
import type { SpotMarginSnapshot } from '../engine/snapshot';
import type { SpotMarginRisk } from '../engine/spotMarginTypes';
import type { MarginReaderHealth } from '../exchanges/binance-margin/reader';

export interface MarginAccountRecord {
  key: string;
  /** e.g. "Binance Cross Margin". */
  label: string;
  mode: 'cross' | 'isolated';
  /** The page snapshot (page prices; stream prices are applied at evaluation). */
  snapshot: SpotMarginSnapshot | null;
  health: MarginReaderHealth | null;
  /** When the background received the last page read (ms epoch). */
  snapshotAt: number;
  /** The engine at live prices, or null before any evaluation. */
  risk: SpotMarginRisk | null;
  /** Spot symbols without any price yet. */
  pricesMissing: string[];
  /** Oldest stream price used (ms epoch), null when some symbol has none. */
  oldestPriceAt: number | null;
  /** The liquidation level used to normalize (account's bar, else the user's line). */
  liquidation: number;
  /** The alert machine's state (levels, cooldowns, staleness) and why the account is stale, or null. */
  alert: AlertState;
  stale: string | null;
  tabId: number | null;
  url: string | null;
  evaluatedAt: number;
}

/** Spot margin accounts by key. Written by the background after each evaluation that changed them. */
export const marginAccountsItem = storage.defineItem<Record<string, MarginAccountRecord>>('local:marginAccounts', { fallback: {}, version: 1 });
