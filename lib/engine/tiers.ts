/**
 * Maintenance-margin tier (bracket) tables and lookup.
 *
 * Binance `cum`, Bybit "MM deduction" and Hyperliquid "maintenance deduction" are one
 * "tax bracket" recurrence: `maintAmount_n = floor_n × (MMR_n − MMR_{n−1}) + maintAmount_{n−1}`,
 * which makes `MM = notional × MMR − maintAmount` continuous at every tier edge.
 * Sources: https://www.binance.com/en/support/faq/b3c689c1f50a44cabb3a84e663b81d93,
 * https://www.bybit.com/en/announcement-info/margin-parameters,
 * https://hyperliquid.gitbook.io/hyperliquid-docs/trading/margin-tiers.
 * OKX publishes tiers by contract count with no deduction term.
 */
import type { ExchangeId } from './snapshot';

export interface Tier {
  /** Lower bound (exclusive, Binance `notionalFloor < notional ≤ notionalCap`), in the table's basis. */
  floor: string;
  /** Upper bound (inclusive), or null for the last open-ended tier. */
  cap: string | null;
  /** Maintenance margin rate, fraction. */
  mmr: string;
  /** Maintenance amount, settlement asset (0 where the exchange has none, e.g. OKX). */
  maintAmount: string;
  /** Highest leverage allowed in this tier. */
  maxLeverage: string;
}

export interface TierTable {
  exchange: ExchangeId;
  symbol: string;
  /**
   * What `floor`/`cap` measure: `notional` = position value in the settlement asset at the
   * price being evaluated (Binance, Bybit, Hyperliquid; COIN-M: coin); `contracts` = position
   * size in contracts (OKX), independent of price.
   */
  basis: 'notional' | 'contracts';
  tiers: Tier[];
  /** Where the table came from: an endpoint or page URL, or "bundled: …". */
  source: string;
  /** Date the data was captured (bundled) or ISO time fetched (live). */
  asOf: string;
}

/** Tier tables for one exchange keyed by symbol exactly as the snapshot spells it. */
export type TierTables = Readonly<Record<string, TierTable>>;
