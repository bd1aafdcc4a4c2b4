/**
 * Bundled fallback instrument specs (tick size, lot size, contract value) per exchange, for when the
 * live instruments endpoint (./instrument-sources.ts) has not answered yet. Each exchange folder's
 * `instruments.ts` holds the rows and a header naming the source and capture date. A symbol without a
 * spec prints its liquidation price at 8 dp toward the mark (lib/engine/ticks.ts), never on a guessed tick.
 *
 * Hyperliquid bundles none: its price step depends on the price (5 significant figures) and on each
 * coin's `szDecimals`, which only the live `meta` gives.
 */
import type { ExchangeId } from '../engine/exchanges';
import type { InstrumentTable } from '../engine/instruments';
import { INSTRUMENTS as BINANCE_COINM } from './binance-coinm/instruments';
import { INSTRUMENTS as BINANCE_USDM } from './binance-usdm/instruments';
import { INSTRUMENTS as BYBIT } from './bybit/instruments';
import { INSTRUMENTS as OKX } from './okx/instruments';

const BUNDLED: Readonly<Record<ExchangeId, InstrumentTable>> = {
  'binance-usdm': BINANCE_USDM,
  'binance-coinm': BINANCE_COINM,
  bybit: BYBIT,
  okx: OKX,
  hyperliquid: {},
};

/** Bundled instrument specs of one exchange, keyed by symbol as that exchange spells it (frozen). */
export function bundledInstruments(exchange: ExchangeId): InstrumentTable {
  return BUNDLED[exchange];
}
