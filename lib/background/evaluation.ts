/**
 * Evaluation of one account with the engine: at the live marks for alerts, and its reconciliation
 * (the exchange's displayed figures beside ours) at the page's OWN marks, cached per page read.
 */
import { evaluate, withMarks } from '../engine';
import type { InstrumentTable } from '../engine/instruments';
import type { AccountSnapshot } from '../engine/snapshot';
import type { TierTable, TierTables } from '../engine/tiers';
import type { AccountRisk } from '../engine/types';

/** The engine's verdict on one account: the risk, or why there is none. */
export interface Evaluation {
  risk: AccountRisk | null;
  /** Why the engine could not evaluate the account (it threw), else undefined. */
  error?: string;
}

export class Evaluator {
  /** Per account: its last page read evaluated at the page's own marks. */
  private readonly atPage = new Map<string, { snapshot: AccountSnapshot; tables: (TierTable | undefined)[]; instruments: InstrumentTable | undefined; risk: AccountRisk | null }>();

  /**
   * Evaluate `snapshot` at the `live` marks (snapshot symbol → mark price, decimal string) with
   * `tables`, then take its reconciliation from the same page read evaluated at the page's own
   * marks: the exchange's displayed figures (liquidation price, margin ratio, MM…) are compared
   * with ours at the prices the page showed them at, so a mismatch means a formula, tier or
   * balance difference, never that the page was read a few seconds before the latest stream tick.
   * The page-mark evaluation runs once per page read (and tier-table change), not on every tick.
   * `instruments` (tick sizes) print liquidation prices as the exchange does, for the reconciliation.
   * Never throws: an engine error is returned as `error`.
   */
  evaluate(key: string, snapshot: AccountSnapshot, live: Record<string, string>, tables: TierTables, instruments?: InstrumentTable): Evaluation {
    let risk: AccountRisk;
    try {
      risk = evaluate(withMarks(snapshot, live), tables, { instruments });
    } catch (e) {
      return { risk: null, error: e instanceof Error ? e.message : String(e) };
    }
    return { risk: this.reconciledAtPageMarks(key, snapshot, live, tables, instruments, risk) };
  }

  /** Drop the cache of an account that is gone. */
  forget(key: string): void {
    this.atPage.delete(key);
  }

  private reconciledAtPageMarks(key: string, snapshot: AccountSnapshot, live: Record<string, string>, tables: TierTables, instruments: InstrumentTable | undefined, risk: AccountRisk): AccountRisk {
    const pageMarksDiffer = snapshot.positions.some((p) => p.markPrice !== null && live[p.symbol] !== undefined && live[p.symbol] !== p.markPrice);
    if (!pageMarksDiffer) return risk;
    // Cached per page read and per tier table object (a refresh replaces the tables it changes).
    const used = snapshot.positions.map((p) => tables[p.symbol]);
    let hit = this.atPage.get(key);
    if (!hit || hit.snapshot !== snapshot || hit.instruments !== instruments || hit.tables.some((t, i) => t !== used[i])) {
      const fill: Record<string, string> = {};
      for (const p of snapshot.positions) if (p.markPrice === null && live[p.symbol] !== undefined) fill[p.symbol] = live[p.symbol]!;
      let atPage: AccountRisk | null = null;
      try {
        atPage = evaluate(withMarks(snapshot, fill), tables, { instruments });
      } catch {
        atPage = null; // reconciliation then stays at the live marks
      }
      hit = { snapshot, tables: used, instruments, risk: atPage };
      this.atPage.set(key, hit);
    }
    const atPage = hit.risk;
    if (!atPage || atPage.positions.length !== risk.positions.length) return risk;
    return {
      ...risk,
      reconciliation: atPage.reconciliation,
      positions: risk.positions.map((p, i) => ({ ...p, reconciliation: atPage.positions[i]!.reconciliation })),
    };
  }
}
