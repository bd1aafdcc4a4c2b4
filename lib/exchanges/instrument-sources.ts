/**
 * Worker-side registry of live instrument sources (tick size, lot size, contract value): every
 * supported exchange has a public, keyless instruments endpoint. URLs come from ./endpoints.ts.
 */
import type { ExchangeId } from '../engine/exchanges';
import { binanceCoinmInstrumentSource } from './binance-coinm/instrument-source';
import { binanceUsdmInstrumentSource } from './binance-usdm/instrument-source';
import { bybitInstrumentSource } from './bybit/instrument-source';
import type { InstrumentSource } from './common/instrument-source';
import { hyperliquidInstrumentSource } from './hyperliquid/instrument-source';
import { okxInstrumentSource } from './okx/instrument-source';

/** The live instrument source of each exchange. */
export const INSTRUMENT_SOURCES: Readonly<Record<ExchangeId, InstrumentSource>> = {
  'binance-usdm': binanceUsdmInstrumentSource,
  'binance-coinm': binanceCoinmInstrumentSource,
  bybit: bybitInstrumentSource,
  okx: okxInstrumentSource,
  hyperliquid: hyperliquidInstrumentSource,
};
