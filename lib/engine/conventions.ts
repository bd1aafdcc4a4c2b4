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
 * - Bybit classic (non-UTA) account, inverse cross:
 *   https://help.bybit.com/hc/en-us/articles/360039261334-How-to-calculate-Liquidation-Price-Inverse-Contract-
 *   `Qty(1/EP − 1/LP) = −(Balance − OrderMargin − Qty/EP × MMR − Qty × taker / BP)` with
 *   `BP_long = (1 + taker)·Qty / (Qty/EP + Balance − OrderMargin)`: MM on the entry value, the fee to
 *   close charged at the bankruptcy price (itself fee-inclusive). See {@link conventionFor}.
 *
 * How each prints its liquidation price (`liquidationDisplay`): see ./ticks.ts.
 */
import { EXCHANGE_NAMES } from './exchanges';
import type { ExchangeId } from './exchanges';
import type { AccountSnapshot, MarginMode } from './snapshot';
import type { DisplayConvention } from './ticks';
import type { RatioConvention } from './types';

export interface Convention {
  exchange: ExchangeId;
  label: string;
  /** Price the maintenance margin is valued at: `mark` (moves with price, solved at the LP) or `entry` (fixed). */
  mmPriceBasis: Record<MarginMode, 'mark' | 'entry'>;
  /** Bybit: estimated fee to close (taker × bankruptcy value) added to IM and MM. */
  closeFeeInMargin: boolean;
  /**
   * Which bankruptcy price the close fee is valued at: `leverage` = the entry price moved by 1/leverage
   * (Bybit UTA: `Q·EP·(1 ∓ 1/L)`); `solved` = the position's own fee-inclusive bankruptcy price from
   * its margin (Bybit classic inverse cross, help centre 360039261334).
   */
  closeFeeBasis: 'leverage' | 'solved';
  /** OKX: liquidation fee (taker × position value) added to the maintenance requirement. */
  takerInMaintenance: boolean;
  /** Taker fee rate assumed when the snapshot has none (fraction), or null when fees do not enter the formulas. */
  defaultTakerFeeRate: string | null;
  /** Tier lookup basis when no table is given but `maxLeverage` is (Hyperliquid: MMR = 1 / (2 × maxLeverage)). */
  mmrFromMaxLeverage: boolean;
  ratio: RatioConvention;
  /** How the exchange prints a liquidation price, per margin mode (./ticks.ts). */
  liquidationDisplay: Record<MarginMode, DisplayConvention>;
  /** Settlement asset for display when positions do not say (linear accounts). */
  settlementAsset: string;
}

const LOWER: RatioConvention = { direction: 'lower-is-safer', definition: 'maintenance margin / margin balance' };

const BINANCE_PRINT: DisplayConvention = {
  rounding: 'toward-mark',
  shiftTicks: 0,
  evidence: 'Binance API liquidation prices: 5 of 5 captured records rounded toward the mark (formulas.md §10.6)',
};
const BYBIT_PRINT: DisplayConvention = {
  rounding: 'toward-mark',
  shiftTicks: 0,
  // Source: https://help.bybit.com/hc/en-us/articles/360039261334-How-to-calculate-Liquidation-Price-Inverse-Contract-
  // (kept out of the string: built code names no host beyond the pinned list, test/hardening/manifest.test.ts)
  evidence: 'Bybit help centre article 360039261334: raw 5,739.08 printed 5,739.50 on the 0.5 tick (long rounded up)',
};
const OKX_CROSS_PRINT: DisplayConvention = {
  rounding: 'toward-mark',
  shiftTicks: 0,
  evidence: 'OKX cross records (issue 14): no shift; rounding direction assumed conservative',
};
const OKX_ISOLATED_PRINT: DisplayConvention = {
  rounding: 'toward-mark',
  shiftTicks: 1,
  evidence: 'OKX isolated records, 5 independent sources 2021–2026 (issue 14): the margin-ratio-100 % price moved one tick toward the mark',
};
const HYPERLIQUID_PRINT: DisplayConvention = {
  rounding: 'toward-mark',
  shiftTicks: 0,
  evidence: 'no Hyperliquid record of its printing rule found: conservative rounding assumed',
};

const BINANCE_USDM: Convention = {
  exchange: 'binance-usdm',
  label: EXCHANGE_NAMES['binance-usdm'],
  mmPriceBasis: { cross: 'mark', isolated: 'mark' },
  closeFeeInMargin: false,
  closeFeeBasis: 'leverage',
  takerInMaintenance: false,
  defaultTakerFeeRate: null,
  mmrFromMaxLeverage: false,
  ratio: LOWER,
  liquidationDisplay: { cross: BINANCE_PRINT, isolated: BINANCE_PRINT },
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
    closeFeeBasis: 'leverage',
    takerInMaintenance: false,
    // VIP0 derivatives taker rate, https://www.bybit.com/en/help-center/article/Trading-Fee-Structure
    defaultTakerFeeRate: '0.00055',
    mmrFromMaxLeverage: false,
    ratio: { direction: 'lower-is-safer', definition: 'account maintenance margin rate: maintenance margin / margin balance' },
    liquidationDisplay: { cross: BYBIT_PRINT, isolated: BYBIT_PRINT },
    settlementAsset: 'USDT',
  },
  okx: {
    exchange: 'okx',
    label: EXCHANGE_NAMES.okx,
    mmPriceBasis: { cross: 'mark', isolated: 'mark' },
    closeFeeInMargin: false,
    closeFeeBasis: 'leverage',
    takerInMaintenance: true,
    // Regular-user (Lv1) swap taker rate, https://www.okx.com/fees
    defaultTakerFeeRate: '0.0005',
    mmrFromMaxLeverage: false,
    ratio: { direction: 'higher-is-safer', definition: 'equity / (maintenance margin + liquidation fee)' },
    liquidationDisplay: { cross: OKX_CROSS_PRINT, isolated: OKX_ISOLATED_PRINT },
    settlementAsset: 'USDT',
  },
  hyperliquid: {
    exchange: 'hyperliquid',
    label: EXCHANGE_NAMES.hyperliquid,
    mmPriceBasis: { cross: 'mark', isolated: 'mark' },
    closeFeeInMargin: false,
    closeFeeBasis: 'leverage',
    takerInMaintenance: false,
    defaultTakerFeeRate: null,
    mmrFromMaxLeverage: true,
    ratio: { direction: 'lower-is-safer', definition: 'maintenance margin / account value' },
    liquidationDisplay: { cross: HYPERLIQUID_PRINT, isolated: HYPERLIQUID_PRINT },
    settlementAsset: 'USDC',
  },
};

/**
 * Bybit classic (non-UTA) account: maintenance margin on the entry value in both margin modes, and
 * the fee to close charged at the position's own (fee-inclusive) bankruptcy price
 * (https://help.bybit.com/hc/en-us/articles/360039261334-How-to-calculate-Liquidation-Price-Inverse-Contract-).
 */
export const BYBIT_CLASSIC: Convention = {
  ...CONVENTIONS.bybit,
  label: `${EXCHANGE_NAMES.bybit} (classic account)`,
  mmPriceBasis: { cross: 'entry', isolated: 'entry' },
  closeFeeBasis: 'solved',
};

/**
 * The convention a snapshot is evaluated with: its exchange's, or {@link BYBIT_CLASSIC} for a Bybit
 * snapshot with `accountType: 'classic'` (absent = `uta`).
 */
export function conventionFor(snap: Pick<AccountSnapshot, 'exchange' | 'accountType'>): Convention {
  return snap.exchange === 'bybit' && snap.accountType === 'classic' ? BYBIT_CLASSIC : CONVENTIONS[snap.exchange];
}
