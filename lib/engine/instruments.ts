/**
 * Instrument metadata the engine needs beyond the snapshot: the tick size a price is printed on
 * (and, for callers, the lot size and contract value). Produced by lib/exchanges/<id>/instruments.ts
 * (bundled fallbacks and each exchange's public instruments endpoint); the engine only reads it.
 *
 * Units: `tickSize` in quote currency per base unit (USDT for BTCUSDT, USD for BTCUSD inverse);
 * `lotSize` in the unit the snapshot's `size` uses for that exchange (base units, or contracts for
 * inverse and OKX); `contractValue` base units per contract (OKX `ctVal`, linear) or quote units per
 * contract (inverse), absent where a contract is one base unit.
 */

export interface InstrumentSpec {
  /** Price step, decimal string > 0. */
  tickSize: string;
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
