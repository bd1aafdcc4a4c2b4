/**
 * Instrument metadata the engine needs beyond the snapshot: the tick size a price is printed on
 * (and, for callers, the lot size and contract value). Produced by lib/exchanges/<id>/instruments.ts
 * (bundled fallbacks and each exchange's public instruments endpoint); the engine only reads it.
 *
 * Units: `tickSize` in quote currency per base unit (USDT for BTCUSDT, USD for BTCUSD inverse);
 * `lotSize` the exchange's order-quantity step in its own order unit (base units on Binance USDⓈ-M,
 * Bybit linear and Hyperliquid; contracts on OKX, Binance COIN-M and Bybit inverse); `contractValue` base units per contract (OKX `ctVal`, linear) or quote units per
 * contract (inverse), absent where a contract is one base unit.
 */
import { D } from './decimal';

export interface InstrumentSpec {
  /** Price step, decimal string > 0 (with `significantFigures`: the finest step, at low prices). */
  tickSize: string;
  /**
   * Prices carry at most this many significant figures (Hyperliquid: 5), so the step grows with the
   * price: at price p it is max(tickSize, 10^(⌊log10 p⌋ − significantFigures + 1)).
   */
  significantFigures?: number;
  /** Quantity step, decimal string > 0, when known. */
  lotSize?: string;
  /** Contract value (see module docs), when the exchange trades in contracts. */
  contractValue?: string;
  /** Where it came from: an endpoint URL, or "bundled: …". */
  source: string;
  /** Capture date (bundled) or ISO fetch time (live). */
  asOf: string;
}

/** Instrument specs of one exchange keyed by symbol exactly as the snapshot spells it. */
export type InstrumentTable = Readonly<Record<string, InstrumentSpec>>;

/** Options of {@link import('./account').evaluate} beyond the tier tables. */
export interface EvaluateOptions {
  /** Tick sizes per symbol: used to print liquidation prices as the exchange does. */
  instruments?: InstrumentTable;
}

/**
 * The price step of an instrument at `price`: its `tickSize`, or coarser where prices are limited to
 * `significantFigures` (Hyperliquid: "up to 5 significant figures, and no more than 6 − szDecimals
 * decimals", https://hyperliquid.gitbook.io/hyperliquid-docs/for-developers/api/tick-and-lot-size).
 * @param spec the instrument, or undefined when unknown
 * @param price a price > 0 (quote per base)
 * @returns the step (> 0), or null when `spec` is undefined or its tick is not a positive decimal
 * @example tickAt({ tickSize: '0.1', significantFigures: 5, source: '', asOf: '' }, new D('97123.4'))!.toFixed() //=> '1'
 */
export function tickAt(spec: InstrumentSpec | undefined, price: D): D | null {
  if (!spec) return null;
  let tick: D;
  try {
    tick = new D(spec.tickSize);
  } catch {
    return null;
  }
  if (!tick.gt(0)) return null;
  if (spec.significantFigures === undefined || !price.gt(0)) return tick;
  // 10^(exponent of the leading digit − figures + 1)
  const step = new D(10).pow(price.e - spec.significantFigures + 1);
  return D.max(tick, step);
}
