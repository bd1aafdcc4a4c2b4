/**
 * Worker-side registry of public mark-price stream adapters: one {@link StreamAdapter} per
 * exchange, from lib/exchanges/<id>/stream.ts. The shapes and helpers the adapters share live in
 * ./common/stream.ts (adapters import that, never this registry).
 */
import type { ExchangeId } from '../engine/exchanges';
import { binanceCoinmStream } from './binance-coinm/stream';
import { binanceUsdmStream } from './binance-usdm/stream';
import { bybitStream } from './bybit/stream';
import type { StreamAdapter } from './common/stream';
import { hyperliquidStream } from './hyperliquid/stream';
import { okxStream } from './okx/stream';

/** The adapter for each exchange id. */
export const STREAM_ADAPTERS: Readonly<Record<ExchangeId, StreamAdapter>> = {
  'binance-usdm': binanceUsdmStream,
  'binance-coinm': binanceCoinmStream,
  bybit: bybitStream,
  okx: okxStream,
  hyperliquid: hyperliquidStream,
};
