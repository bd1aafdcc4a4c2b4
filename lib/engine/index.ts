/**
 * Margin engine: pure, browser-free. Snapshot (decimal strings) + tier tables in, risk out.
 * See README "Account snapshot" for the data model.
 */
export { evaluate } from './account';
export { withMarks } from './marks';
export { whatIf, applyScenario, parseScenario, ScenarioError, type Scenario, type Move, type WhatIfResult, type Delta } from './whatIf';
export { stressTable, fundingPayment, DEFAULT_SHOCKS, type StressRow } from './stress';
export {
  parseSnapshot,
  safeParseSnapshot,
  SnapshotError,
  EXCHANGES,
  type AccountSnapshot,
  type PositionSnapshot,
  type ExchangeId,
} from './snapshot';
export { CONVENTIONS, BYBIT_CLASSIC, conventionFor, type Convention } from './conventions';
export { liquidationPriceDisplayed, roundToTick, type DisplayConvention } from './ticks';
export { tickAt, type InstrumentSpec, type InstrumentTable, type EvaluateOptions } from './instruments';
export { tierAt, type Tier, type TierTable, type TierTables } from './tiers';
export type * from './types';
export { evaluateSpotMargin, stableSet, USD_STABLES } from './spotMargin';
export { spotMarginWhatIf, applySpotMarginMoves, SpotMarginScenarioError, type SpotMarginMove, type SpotMarginWhatIfResult } from './spotMarginWhatIf';
export { spotMarginThresholds, type SpotMarginThresholds } from './spotMarginThresholds';
export {
  parseSpotMarginSnapshot,
  safeParseSpotMarginSnapshot,
  parseAnySnapshot,
  isSpotMarginInput,
  type SpotMarginSnapshot,
  type AnySnapshot,
} from './snapshot';
export type * from './spotMarginTypes';
export { positionStops, closesPosition, type PositionStop, type StopStatus } from './stops';
export { ifOrdersFill, ordersAsFills, type OrdersAsFills, type SkippedOrder } from './ordersFill';
export { realizedVolatility, sigmaDistance, touchProbability, windowLabel, DEFAULT_WINDOW, type Candle, type VolatilityEstimate, type VolatilityWindow } from './volatility';
export { liquidationOdds, type AccountOdds, type PositionOdds } from './liquidationOdds';
export type { OrderSnapshot, OrderType } from './snapshot';
