/**
 * From the engine's verdict to the alert machine's input (lib/alerts/machine.ts `AlertInput`).
 */
import type { AccountRisk } from '../engine/types';
import type { AccountSnapshot } from '../engine/snapshot';
import { alertRatio } from '../alerts/input';
import type { AlertInput, PositionInput } from '../alerts/machine';

/** Moved to lib/alerts/input.ts (one definition); re-exported for existing importers. */
export { alertRatio };

/** What an account's evaluation contributes to its alert step. */
export interface AlertFacts {
  risk: AccountRisk | null;
  snapshot: AccountSnapshot | null;
  /** Why the ratio is unknown, when the engine failed or returned none. */
  unknownReason?: string;
  snapshotAt: number;
  oldestPriceAt: number | null;
  pricesExpectedSince: number | null;
}

/** The alert machine's input for one account. */
export function alertInputOf(f: AlertFacts): AlertInput {
  const positions: PositionInput[] = f.risk
    ? f.risk.positions.map((p) => ({
        key: `${p.symbol}|${p.side}|${p.marginMode}`,
        symbol: p.symbol,
        side: p.side,
        distanceToLiquidation: p.distanceToLiquidation === null ? null : Number(p.distanceToLiquidation),
        liquidationPrice: p.liquidationPrice,
        markPrice: p.markPrice,
      }))
    : (f.snapshot?.positions ?? []).map((p) => ({
        key: `${p.symbol}|${p.side}|${p.marginMode}`,
        symbol: p.symbol,
        side: p.side,
        distanceToLiquidation: null,
        liquidationPrice: null,
        markPrice: p.markPrice,
      }));
  const ratio = alertRatio(f.risk);
  let unknownReason = f.unknownReason;
  if (ratio === null && unknownReason === undefined && f.risk) unknownReason = f.risk.reasons.map((r) => `${r.field}: ${r.reason}`).join('; ').slice(0, 200) || undefined;
  return {
    riskRatio: ratio,
    unknownReason,
    positions,
    snapshotAt: f.snapshotAt,
    oldestPriceAt: f.oldestPriceAt,
    pricesExpectedSince: f.pricesExpectedSince,
  };
}
