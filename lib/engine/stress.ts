/**
 * Stress table: the account under uniform price shocks, or a shock to one symbol with the
 * others following by a factor (beta). Each row is a full {@link evaluate} of the shocked
 * snapshot, so it carries the exchange's own margin ratio and the normalized risk ratio.
 */
import { evaluate } from './account';
import { D } from './decimal';
import { withMarks } from './marks';
import { parseSnapshot, type AccountSnapshot } from './snapshot';
import type { TierTables } from './tiers';

export interface StressRow {
  /** Shock as a fraction (−0.1 = −10 %) applied to the shocked symbol (or to all). */
  shock: string;
  marginRatio: string | null;
  riskRatio: string | null;
  /** Cross margin balance + isolated margin balances after the shock (settlement asset). */
  equity: string | null;
  liquidated: boolean | null;
  /** First position to liquidate after the shock (nearest to its liquidation price), e.g. `ETHUSDT long`; null when the account is already liquidated (`liquidated`). */
  firstToLiquidate: string | null;
}

/** Default shocks: −30 % … +30 % in 5 % steps. */
export const DEFAULT_SHOCKS = ['-0.3', '-0.25', '-0.2', '-0.15', '-0.1', '-0.05', '0', '0.05', '0.1', '0.15', '0.2', '0.25', '0.3'];

/**
 * Evaluate the account under each shock.
 * @param options.symbol shock only this symbol by x; the others move by `factor × x`
 * @param options.factor how much the other symbols follow (fraction, default "1" = uniform; "0" = they stay)
 * @throws {SnapshotError} for an invalid snapshot
 */
export function stressTable(
  snapshot: AccountSnapshot | unknown,
  tables: TierTables,
  shocks: readonly string[] = DEFAULT_SHOCKS,
  options: { symbol?: string; factor?: string } = {},
): StressRow[] {
  const snap = parseSnapshot(snapshot);
  const factor = new D(options.factor ?? '1');
  return shocks.map((shockStr) => {
    const x = new D(shockStr);
    const marks: Record<string, string> = {};
    let impossible = false;
    for (const p of snap.positions) {
      if (p.markPrice === null) continue;
      const move = options.symbol === undefined || p.symbol === options.symbol ? x : x.times(factor);
      const next = new D(p.markPrice).times(move.plus(1));
      if (!next.gt(0)) impossible = true;
      marks[p.symbol] = next.toDecimalPlaces(12).toFixed();
    }
    if (impossible) return { shock: shockStr, marginRatio: null, riskRatio: null, equity: null, liquidated: null, firstToLiquidate: null };
    const r = evaluate(withMarks(snap, marks), tables);
    // Once the whole account is liquidated no position is "first".
    const first = r.firstToLiquidate === null || r.liquidated === true ? null : r.positions[r.firstToLiquidate]!;
    return {
      shock: shockStr,
      marginRatio: r.marginRatio,
      riskRatio: r.riskRatio,
      equity: r.equity,
      liquidated: r.liquidated,
      firstToLiquidate: first ? `${first.symbol} ${first.side}` : null,
    };
  });
}

/**
 * Funding payment until the next funding time at the current rate, settlement asset.
 * Positive rate: longs pay shorts. Returns the signed cash flow for the position
 * (negative = the trader pays): −side × notional × rate.
 * Source: https://www.binance.com/en/support/faq/360033525031 (funding = position value × rate).
 * @param notional position value at mark (settlement asset, positive)
 * @param fundingRate per-interval rate, fraction (e.g. "0.0001" = 0.01 %)
 */
export function fundingPayment(side: 'long' | 'short', notional: string, fundingRate: string): string {
  const flow = new D(notional).times(fundingRate);
  return (side === 'long' ? flow.neg() : flow).toFixed();
}
