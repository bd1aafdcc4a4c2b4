/**
 * Worker-side registry of public candle sources (realized volatility). Binance COIN-M has none
 * here (its candles live on another host, dapi.binance.com, not among the extension's
 * permissions): its σ is unknown, said so.
 */
import type { ExchangeId } from '../engine/exchanges';
import { binanceUsdmCandleSource } from './binance-usdm/candles';
import { bybitCandleSource } from './bybit/candles';
import type { CandleSource } from './common/candles';
import { hyperliquidCandleSource } from './hyperliquid/candles';
import { okxCandleSource } from './okx/candles';

export const CANDLE_SOURCES: Readonly<Partial<Record<ExchangeId, CandleSource>>> = {
  'binance-usdm': binanceUsdmCandleSource,
  bybit: bybitCandleSource,
  okx: okxCandleSource,
  hyperliquid: hyperliquidCandleSource,
};
