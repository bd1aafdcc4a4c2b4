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
import { D } from './decimal';
import type { ExchangeId } from './exchanges';

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

/** A tier chosen for a position, with its 1-based index in its table. */
export interface TierChoice {
  mmr: D;
  maintAmount: D;
  /** The same two figures as decimal strings, for output without conversion. */
  text?: { mmr: string; maintAmount: string };
  index?: number;
  source: string;
  /** Set when the basis value lies beyond the table's last cap (the last tier is used). */
  beyondTable?: boolean;
}


interface ParsedTier {
  text: { mmr: string; maintAmount: string };
  floor: D;
  cap: D | null;
  mmr: D;
  maintAmount: D;
  /** float64 mirrors, used only to locate segments fast (never for a result). */
  capF: number;
  mmrF: number;
  maintAmountF: number;
}

const parsedCache = new WeakMap<TierTable, ParsedTier[]>();

function parsed(table: TierTable): ParsedTier[] {
  let p = parsedCache.get(table);
  if (!p) {
    p = table.tiers.map((t) => ({
      text: { mmr: new D(t.mmr).toFixed(), maintAmount: new D(t.maintAmount).toFixed() },
      floor: new D(t.floor),
      cap: t.cap === null ? null : new D(t.cap),
      mmr: new D(t.mmr),
      maintAmount: new D(t.maintAmount),
      capF: t.cap === null ? Infinity : Number(t.cap),
      mmrF: Number(t.mmr),
      maintAmountF: Number(t.maintAmount),
    }));
    parsedCache.set(table, p);
  }
  return p;
}

/**
 * The tier whose range holds `value` (Binance convention `floor < value ≤ cap`; the first
 * tier also holds 0). A value beyond the last cap gets the last tier, flagged `beyondTable`.
 *
 * @param table a tier table (its `basis` says what `value` measures)
 * @param value notional in the settlement asset, or contracts, ≥ 0
 * @param valueF optional float64 of `value`: finds the tier in one step; within 1e-9 (relative) of an edge the
 *   choice is confirmed in decimal, so the result is always the exact tier. `value` may then be a thunk.
 * @throws {Error} if the table has no tiers
 * @example tierAt(btcusdt, new D('264000')).mmr.toString() //=> '0.005' (2024-10 table)
 */
export function tierAt(table: TierTable, value: D | (() => D), valueF: number = Number.NaN): TierChoice {
  const tiers = parsed(table);
  if (tiers.length === 0) throw new Error(`tier table ${table.exchange}/${table.symbol} has no tiers`);
  if (!Number.isNaN(valueF)) {
    // float64 guess of the tier. Away from an edge by far more than float error (1e-9
    // relative) it is the tier; near an edge it is confirmed in decimal.
    let i = 0;
    while (i < tiers.length - 1 && valueF > tiers[i]!.capF) i++;
    const t = tiers[i]!;
    const prev = i > 0 ? tiers[i - 1]! : null;
    const clearOfCap = t.cap === null || valueF < t.capF * (1 - 1e-9);
    const clearOfFloor = prev === null || valueF > prev.capF * (1 + 1e-9);
    if (clearOfCap && clearOfFloor) return { mmr: t.mmr, maintAmount: t.maintAmount, text: t.text, index: i + 1, source: table.source };
    const exact = typeof value === 'function' ? value() : value;
    if ((t.cap === null || exact.lte(t.cap)) && (prev?.cap == null || exact.gt(prev.cap))) {
      return { mmr: t.mmr, maintAmount: t.maintAmount, text: t.text, index: i + 1, source: table.source };
    }
    value = exact;
  }
  if (typeof value === 'function') value = value();
  for (let i = 0; i < tiers.length; i++) {
    const t = tiers[i]!;
    if (t.cap === null || value.lte(t.cap)) {
      return { mmr: t.mmr, maintAmount: t.maintAmount, text: t.text, index: i + 1, source: table.source };
    }
  }
  const last = tiers[tiers.length - 1]!;
  return { mmr: last.mmr, maintAmount: last.maintAmount, text: last.text, index: tiers.length, source: table.source, beyondTable: true };
}

const edgesCache = new WeakMap<TierTable, { exact: D[]; float: number[] }>();

function edgesOf(table: TierTable): { exact: D[]; float: number[] } {
  let e = edgesCache.get(table);
  if (!e) {
    const tiers = parsed(table);
    e = { exact: [], float: [] };
    for (let i = 0; i < tiers.length - 1; i++) {
      const cap = tiers[i]!.cap;
      if (cap !== null && cap.gt(0)) {
        e.exact.push(cap);
        e.float.push(tiers[i]!.capF);
      }
    }
    edgesCache.set(table, e);
  }
  return e;
}

/** Tier edges (the `cap` of every tier but the last), in the table's basis, ascending. Cached per table. */
export function tierEdges(table: TierTable): readonly D[] {
  return edgesOf(table).exact;
}

/** float64 values of {@link tierEdges}, same order. */
export function tierEdgesFloat(table: TierTable): readonly number[] {
  return edgesOf(table).float;
}

/** float64 mirror of {@link tierAt}: `[mmr, maintAmount]` for segment search only. */
export function tierAtFloat(table: TierTable, value: number): [number, number] {
  const tiers = parsed(table);
  for (const t of tiers) if (value <= t.capF) return [t.mmrF, t.maintAmountF];
  const last = tiers[tiers.length - 1]!;
  return [last.mmrF, last.maintAmountF];
}
