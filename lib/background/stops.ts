/**
 * The stop and volatility figures of one account, as the worker stores them beside its risk:
 * per position, the stop that would close it (lib/engine/stops.ts) and its liquidation in σ with
 * the 24 h touch probability (lib/engine/liquidationOdds.ts), both at the live marks. Never
 * throws: an engine error leaves the figures null (unknown).
 */
import { liquidationOdds, type AccountOdds } from '../engine/liquidationOdds';
import type { AccountSnapshot } from '../engine/snapshot';
import { positionStops, type PositionStop } from '../engine/stops';
import type { TierTables } from '../engine/tiers';
import type { AccountRisk } from '../engine/types';
import type { VolatilityEstimate } from '../engine/volatility';

export interface RiskExtras {
  stops: PositionStop[] | null;
  odds: AccountOdds | null;
}

/**
 * @param live the snapshot at the live marks (the one `risk` evaluates)
 * @param vol symbol → volatility estimate of the account's exchange
 */
export function riskExtras(live: AccountSnapshot, risk: AccountRisk | null, tables: TierTables, vol: Readonly<Record<string, VolatilityEstimate>>): RiskExtras {
  if (!risk) return { stops: null, odds: null };
  let stops: PositionStop[] | null = null;
  try {
    stops = positionStops(live, tables, risk);
  } catch {
    stops = null;
  }
  return { stops, odds: liquidationOdds(risk, vol) };
}
