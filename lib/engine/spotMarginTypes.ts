/**
 * Output shapes of the spot-margin engine. Every figure is a decimal string, or `null` when it
 * is unknown (with a reason in the nearest `reasons`) or does not exist (reason with `none: true`).
 * Values are in the account's (or the pair's) quote asset; levels are plain ratios ("1.42").
 */
import type { SpotMarginThresholds } from './spotMarginThresholds';
import type { Reason, Reconciliation } from './types';

export interface SpotMarginAssetRisk {
  asset: string;
  free: string;
  locked: string;
  borrowed: string;
  interest: string;
  /** free + locked − borrowed − interest, asset units (Binance `netAsset`). */
  netAsset: string;
  /** Price in the quote (the quote itself: 1); null = unknown. */
  price: string | null;
  /** (free + locked) × price. */
  value: string | null;
  /** (borrowed + interest) × price. */
  liabilityValue: string | null;
  /** Held fixed in uniform moves; no liquidation price. */
  stable: boolean;
  /** Price of this asset, every other price held, at which the margin level reaches the liquidation level. */
  liquidationPrice: string | null;
  /** `below`: liquidated if the price falls to it (net long); `above`: if it rises (net short). */
  liquidationSide: 'below' | 'above' | null;
  /** |price − liquidation price| / price, fraction; 0 when already at or past liquidation. */
  distanceToLiquidation: string | null;
  reasons: Reason[];
}

/** How the exchange states the level. */
export interface MarginLevelConvention {
  direction: 'higher-is-safer';
  /** Which definition, e.g. "Cross Margin Classic: total asset value / (total liabilities + outstanding interest)". */
  definition: string;
  source: string;
}

/** One account's or one isolated pair's evaluation. */
export interface SpotMarginLevelRisk {
  quoteAsset: string;
  totalAssetValue: string | null;
  /** Liabilities + outstanding interest. */
  totalLiability: string | null;
  /** Total asset value − total liability. */
  netAsset: string | null;
  /** Our margin level (ratio); null when unknown, or when there is no liability (`noLiabilities`). */
  marginLevel: string | null;
  /** True when nothing is owed (the level is unbounded; the exchange shows a cap such as 999). */
  noLiabilities: boolean | null;
  /** The exchange's own level when it showed one (Cross Margin Pro: the only level). */
  displayedMarginLevel: string | null;
  thresholds: SpotMarginThresholds;
  /** Normalized: liquidation level / margin level (1 = liquidation, lower is safer); 0 without liabilities. */
  riskRatio: string | null;
  /** `normal` above the margin-call level, `margin-call` at or below it, `liquidation` at or below the liquidation level. */
  status: 'no-liabilities' | 'normal' | 'margin-call' | 'liquidation' | null;
  liquidated: boolean | null;
  /** Uniform move x of every non-stable price (× (1 + x)) to the liquidation level; `down` ≤ 0 ≤ `up`. */
  liquidationMove: { down: string | null; up: string | null };
  assets: SpotMarginAssetRisk[];
  /** Index into `assets` of the non-stable asset nearest its liquidation price. */
  firstToLiquidate: number | null;
  reasons: Reason[];
  reconciliation: Reconciliation[];
}

export interface IsolatedPairRisk extends SpotMarginLevelRisk {
  symbol: string;
  baseAsset: string;
  /** The base asset's liquidation price in the quote (the pair's liquidation price). */
  liquidationPrice: string | null;
  liquidationSide: 'below' | 'above' | null;
  price: string | null;
}

export interface SpotMarginCrossRisk extends SpotMarginLevelRisk {
  kind: 'spot-margin';
  exchange: 'binance-margin';
  mode: 'cross';
  variant: 'classic' | 'pro';
  convention: MarginLevelConvention;
}

export interface SpotMarginIsolatedRisk {
  kind: 'spot-margin';
  exchange: 'binance-margin';
  mode: 'isolated';
  convention: MarginLevelConvention;
  pairs: IsolatedPairRisk[];
  /** Index of the pair with the lowest margin level (highest risk ratio). */
  worstPair: number | null;
  /** The worst pair's level and normalized risk (each pair is liquidated alone). */
  marginLevel: string | null;
  riskRatio: string | null;
  liquidated: boolean | null;
  reasons: Reason[];
}

export type SpotMarginRisk = SpotMarginCrossRisk | SpotMarginIsolatedRisk;
