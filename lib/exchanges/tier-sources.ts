/**
 * Worker-side registry of live tier-table sources: exchanges with a public, keyless tier endpoint
 * (every supported exchange today; `Partial` so that one without can be added). The registry test
 * (test/exchanges/registry.test.ts) pins which exchanges are expected to lack one.
 */
import type { ExchangeId } from '../engine/exchanges';
import { binanceCoinmTierSource } from './binance-coinm/tier-source';
import { binanceUsdmTierSource } from './binance-usdm/tier-source';
import { bybitTierSource } from './bybit/tier-source';
import type { TierSource } from './common/tier-source';
import { hyperliquidTierSource } from './hyperliquid/tier-source';
import { okxTierSource } from './okx/tier-source';

/** The live tier source of each exchange that has one. */
export const TIER_SOURCES: Readonly<Partial<Record<ExchangeId, TierSource>>> = {
  'binance-usdm': binanceUsdmTierSource,
  'binance-coinm': binanceCoinmTierSource,
  bybit: bybitTierSource,
  okx: okxTierSource,
  hyperliquid: hyperliquidTierSource,
};
