/**
 * Per-exchange formula conventions: what differs between exchanges once positions,
 * balances and tiers are known. Everything else (the solvers) is shared.
 *
 * Sources (see also shared reference formulas.md §10 "Pitfalls"):
 * - Binance USDⓈ-M: https://www.binance.com/en/support/faq/b3c689c1f50a44cabb3a84e663b81d93
 *   (MM at the liquidation price, bracket `cum`, no fee term; margin ratio = MM / margin balance).
 * - Binance COIN-M: https://www.binance.com/en/support/faq/ceccfcfb4e3a45e3b48b0b1bb1a8ae46
 *   (inverse; notional and cum in coin).
 * - Bybit UTA: https://www.bybit.com/en/help-center/article/Glossary-Unified-Trading-Account and
 *   https://www.bybit.com/en/help-center/article/Understanding-the-Adjustment-and-Impact-of-the-New-Margin-Calculation
 *   (from 2025-09-02 cross MM is mark-based; isolated LP display stays entry-based; the
 *   estimated fee to close = taker × bankruptcy value is in both IM and MM).
 * - OKX: https://www.okx.com/help/v-tiered-maintenance-margin-ratio-rules and
 *   https://www.okx.com/help-center/6997123251341 (margin ratio = equity / (MM + liquidation fee),
 *   liquidation fee = taker × position value; higher is safer; tiers by contract count).
 * - Hyperliquid: https://hyperliquid.gitbook.io/hyperliquid-docs/trading/liquidations and
 *   .../trading/margin-tiers (MM = half the initial margin at max leverage, tiered deduction).
 */
import { EXCHANGE_NAMES } from './exchanges';
import type { ExchangeId } from './exchanges';
import type { MarginMode } from './snapshot';
import type { RatioConvention } from './types';

export interface Convention {
  exchange: ExchangeId;
  label: string;
  /** Price the maintenance margin is valued at: `mark` (moves with price, solved at the LP) or `entry` (fixed). */
  mmPriceBasis: Record<MarginMode, 'mark' | 'entry'>;
  /** Bybit: estimated fee to close (taker × bankruptcy value) added to IM and MM. */
  closeFeeInMargin: boolean;
  /** OKX: liquidation fee (taker × position value) added to the maintenance requirement. */
  takerInMaintenance: boolean;
  /** Taker fee rate assumed when the snapshot has none (fraction), or null when fees do not enter the formulas. */
  defaultTakerFeeRate: string | null;
  /** Tier lookup basis when no table is given but `maxLeverage` is (Hyperliquid: MMR = 1 / (2 × maxLeverage)). */
  mmrFromMaxLeverage: boolean;
  ratio: RatioConvention;
  /** Settlement asset for display when positions do not say (linear accounts). */
  settlementAsset: string;
}

const LOWER: RatioConvention = { direction: 'lower-is-safer', definition: 'maintenance margin / margin balance' };

const BINANCE_USDM: Convention = {
  exchange: 'binance-usdm',
  label: EXCHANGE_NAMES['binance-usdm'],
  mmPriceBasis: { cross: 'mark', isolated: 'mark' },
  closeFeeInMargin: false,
  takerInMaintenance: false,
  defaultTakerFeeRate: null,
  mmrFromMaxLeverage: false,
  ratio: LOWER,
  settlementAsset: 'USDT',
};

export const CONVENTIONS: Readonly<Record<ExchangeId, Convention>> = {
  'binance-usdm': BINANCE_USDM,
  // Same formulas in coin: notional N·CS/mark and cum in the margin coin.
  'binance-coinm': { ...BINANCE_USDM, exchange: 'binance-coinm', label: EXCHANGE_NAMES['binance-coinm'], settlementAsset: 'coin' },
  bybit: {
    exchange: 'bybit',
    label: EXCHANGE_NAMES.bybit,
    mmPriceBasis: { cross: 'mark', isolated: 'entry' },
    closeFeeInMargin: true,
    takerInMaintenance: false,
    // VIP0 derivatives taker rate, https://www.bybit.com/en/help-center/article/Trading-Fee-Structure
    defaultTakerFeeRate: '0.00055',
    mmrFromMaxLeverage: false,
    ratio: { direction: 'lower-is-safer', definition: 'account maintenance margin rate: maintenance margin / margin balance' },
    settlementAsset: 'USDT',
  },
  okx: {
    exchange: 'okx',
    label: EXCHANGE_NAMES.okx,
    mmPriceBasis: { cross: 'mark', isolated: 'mark' },
    closeFeeInMargin: false,
    takerInMaintenance: true,
    // Regular-user (Lv1) swap taker rate, https://www.okx.com/fees
    defaultTakerFeeRate: '0.0005',
    mmrFromMaxLeverage: false,
    ratio: { direction: 'higher-is-safer', definition: 'equity / (maintenance margin + liquidation fee)' },
    settlementAsset: 'USDT',
  },
  hyperliquid: {
    exchange: 'hyperliquid',
    label: EXCHANGE_NAMES.hyperliquid,
    mmPriceBasis: { cross: 'mark', isolated: 'mark' },
    closeFeeInMargin: false,
    takerInMaintenance: false,
    defaultTakerFeeRate: null,
    mmrFromMaxLeverage: true,
    ratio: { direction: 'lower-is-safer', definition: 'maintenance margin / account value' },
    settlementAsset: 'USDC',
  },
};
