/**
 * Spot margin accounts on the alert machine (./machine.ts), which works on the normalized risk
 * ratio (1 = liquidation, lower is safer). Binance's margin level is higher-is-safer and
 * liquidates at a level (1.1 by default), so:
 *
 *   risk = liquidation level / margin level        (level 1.1 → 1; level 2.2 → 0.5; no debt → 0)
 *
 * and an alert at margin level L is the risk level liquidation / L (2.0 → 0.55, 1.5 → 0.733…,
 * 1.3 → 0.846…). Hysteresis, cooldown, escalation (several levels in one step: one notice for the
 * highest) and staleness are the machine's, unchanged. The level alerted on is the lower of ours
 * and the exchange's fresh displayed one (as for futures ratios: the worse figure wins).
 * Sources of the level and thresholds: lib/engine/spotMargin.ts, lib/engine/spotMarginThresholds.ts.
 */
import type { SpotMarginRisk } from '../engine/spotMarginTypes';
import { RATIO_DISAGREEMENT_TOLERANCE, type AlertFacts } from './input';
import type { AlertInput, AlertSettings, PositionInput, RatioSource } from './machine';

/** User-editable margin-level alert settings (plain ratios as Binance shows them). */
export interface MarginAlertSettings {
  /** Margin levels to alert at (higher is safer), e.g. 2.0 / 1.5 / 1.3. */
  levels: number[];
  /** The liquidation line used when the account does not state its own (`forceLiquidationBar`). */
  liquidation: number;
}

/** Defaults: alerts at 2.0 / 1.5 / 1.3, liquidation 1.1 (Binance Cross Margin Classic, FAQ). */
export const DEFAULT_MARGIN_ALERTS: MarginAlertSettings = { levels: [2, 1.5, 1.3], liquidation: 1.1 };

/** Margin level → normalized risk, given the liquidation level. `Infinity` level (no debt) → 0. */
export function riskOfMarginLevel(level: number, liquidation: number): number {
  if (!(level > 0)) return 1;
  return liquidation / level;
}

/** Normalized risk → margin level (the inverse), null for risk 0 (no debt). */
export function marginLevelOfRisk(risk: number, liquidation: number): number | null {
  return risk > 0 ? liquidation / risk : null;
}

/**
 * The machine's settings for a margin account: its futures settings with the levels replaced by
 * the margin levels mapped to risk (levels at or below the liquidation line are dropped: they
 * would sit at or past liquidation).
 */
export function marginMachineSettings(base: AlertSettings, m: MarginAlertSettings, liquidation: number): AlertSettings {
  const levels = [...new Set(m.levels.filter((l) => Number.isFinite(l) && l > liquidation).map((l) => riskOfMarginLevel(l, liquidation)))].sort((a, b) => a - b);
  return { ...base, levels };
}

/**
 * A margin level as Binance shows it: two decimals, rounded DOWN (never shown safer than it is),
 * `"999+"` from 999 up, `—` when unknown. E.g. `1.4279` → `"1.42"`.
 */
export function marginLevelText(level: string | number | null | undefined): string {
  if (level === null || level === undefined) return '—';
  const x = typeof level === 'number' ? level : Number(level);
  if (!Number.isFinite(x)) return '—';
  if (x >= 999) return '999+';
  return (Math.floor(x * 100 + 1e-9) / 100).toFixed(2);
}

/** The level to alert on: ours, or the page's fresh one when lower (or ours unknown). */
export function alertMarginLevel(risk: SpotMarginRisk | null, shownFresh: boolean): { level: number | null; source: RatioSource; ours: number | null; shown: number | null } {
  if (!risk) return { level: null, source: 'engine', ours: null, shown: null };
  const ours = risk.marginLevel === null ? null : Number(risk.marginLevel);
  let shown: number | null = null;
  if (shownFresh) {
    const xs = risk.mode === 'cross' ? [risk.displayedMarginLevel] : risk.pairs.map((p) => p.displayedMarginLevel);
    for (const x of xs) if (x !== null && Number.isFinite(Number(x)) && (shown === null || Number(x) < shown)) shown = Number(x);
  }
  if (shown !== null && (ours === null || shown < ours)) return { level: shown, source: 'exchange', ours, shown };
  return { level: ours, source: 'engine', ours, shown };
}

/**
 * Build the machine's input for a spot margin account.
 * Positions: every non-stable asset (cross) or pair (isolated) with a liquidation price, keyed
 * `<ASSET>|margin` / `<PAIR>|isolated-margin`, side `long` when it is liquidated by a fall.
 */
export function marginAlertInput(risk: SpotMarginRisk | null, liquidation: number, facts: Omit<AlertFacts, 'exchangeFigureMaxAgeMs' | 'pageReadAt'> & { shownFresh: boolean }): AlertInput {
  const a = alertMarginLevel(risk, facts.shownFresh);
  let riskRatio: number | null = null;
  // No debt anywhere (and, isolated, no pair left unread): nothing can be liquidated.
  const noDebt = !risk ? false : risk.mode === 'cross' ? risk.noLiabilities === true : risk.pairs.every((p) => p.noLiabilities === true) && risk.riskRatio !== null;
  if (a.level !== null) riskRatio = riskOfMarginLevel(a.level, liquidation);
  else if (noDebt) riskRatio = 0;
  else if (risk?.liquidated === true) riskRatio = 1;
  const positions: PositionInput[] = [];
  if (risk?.mode === 'cross') {
    for (const x of risk.assets) {
      // Stable assets and assets that cannot be liquidated (no exposure, no solution) are no position.
      if (x.stable || (x.liquidationPrice === null && x.reasons.some((r) => r.none))) continue;
      positions.push({
        key: `${x.asset}|margin`,
        symbol: x.asset,
        side: x.liquidationSide === 'above' ? 'short' : 'long',
        distanceToLiquidation: x.distanceToLiquidation === null ? null : Number(x.distanceToLiquidation),
        liquidationPrice: x.liquidationPrice,
        markPrice: x.price,
      });
    }
  } else if (risk) {
    for (const p of risk.pairs) {
      const base = p.assets[0]!;
      positions.push({
        key: `${p.symbol}|isolated-margin`,
        symbol: p.symbol,
        side: p.liquidationSide === 'above' ? 'short' : 'long',
        distanceToLiquidation: base.distanceToLiquidation === null ? null : Number(base.distanceToLiquidation),
        liquidationPrice: p.liquidationPrice,
        markPrice: p.price,
      });
    }
  }
  const input: AlertInput = {
    riskRatio,
    ratioSource: a.source,
    disagreement: a.source === 'exchange' && a.ours !== null && riskOfMarginLevel(a.level!, liquidation) - riskOfMarginLevel(a.ours, liquidation) > RATIO_DISAGREEMENT_TOLERANCE,
    positions,
    snapshotAt: facts.snapshotAt ?? 0,
    oldestPriceAt: facts.oldestPriceAt,
    pricesExpectedSince: facts.pricesExpectedSince,
  };
  if (a.source === 'exchange') input.engineRatio = a.ours === null ? null : riskOfMarginLevel(a.ours, liquidation);
  if (riskRatio === null) {
    input.unknownReason = facts.engineError ?? (risk ? risk.reasons.filter((r) => !r.none).map((r) => r.reason).join('; ') || 'margin level unknown' : 'no margin snapshot');
  }
  if (facts.positionsUnreadable) input.positionsUnreadable = facts.positionsUnreadable;
  return input;
}
