/**
 * From an engine result to what the alert machine sees: the ratio alerted on (ours, or the
 * exchange's own displayed figure when that is worse or ours is unknown), the positions, and the
 * freshness facts the background measured. Pure: no clock, no storage.
 *
 * The exchange's figure (`snapshot.displayed.marginRatio`, fraction, in the exchange's own
 * convention, lib/engine/conventions.ts) is normalized to our risk ratio
 * r = (MM + liquidation fee) / margin balance (1 = liquidation, lower is safer):
 * - lower-is-safer (Binance, Bybit, Hyperliquid: MM / margin balance): r = shown;
 * - higher-is-safer (OKX `mgnRatio` = equity / (MM + liquidation fee)): r = 1 / shown.
 * A shown figure past liquidation that has no ratio (lower-is-safer < 0: margin balance < 0;
 * higher-is-safer ≤ 0: equity ≤ 0) counts as 1, as {@link alertRatio} does for the engine.
 */
import type { AccountSnapshot } from '../engine/snapshot';
import type { AccountRisk, RatioConvention } from '../engine/types';
import type { AlertInput, Notice, PositionInput, RatioSource } from './machine';

/**
 * The normalized risk ratio as the alert machine compares it (a double: alerting needs no
 * more than ~15 digits). An account the engine reports past liquidation with no ratio
 * (margin balance ≤ 0) counts as 1 — at liquidation — never as unknown.
 */
export function alertRatio(risk: AccountRisk | null | undefined): number | null {
  if (!risk) return null;
  if (risk.riskRatio !== null) return Number(risk.riskRatio);
  return risk.liquidated === true ? 1 : null;
}

/**
 * The exchange's displayed margin ratio (decimal string, fraction, its own convention) on our
 * normalized risk-ratio scale (fraction, 1 = liquidation, lower is safer), or null when absent
 * or not a number. See the module comment for the mapping.
 */
export function exchangeRiskRatio(shown: string | null | undefined, convention: RatioConvention): number | null {
  if (shown === null || shown === undefined) return null;
  // A threshold comparison only: the figure shown to the user stays the page's string.
  const x = Number(shown);
  if (!Number.isFinite(x)) return null;
  if (convention.direction === 'lower-is-safer') return x < 0 ? 1 : x;
  return x > 0 ? 1 / x : 1;
}

/**
 * Our ratio and the exchange's differ by more than this (ratio points, fraction of the normalized
 * risk ratio; 0.01 = 1 percentage point) before the notice flags a disagreement. Below it the
 * worse figure is still the one alerted on, without the flag.
 */
export const RATIO_DISAGREEMENT_TOLERANCE = 0.01;

/** Freshness facts the background measured for one evaluation (all times ms epoch, local clock). */
export interface AlertFacts {
  /** Evaluation time. */
  now: number;
  /** When the background received the page snapshot (`AccountRecord.snapshotAt`), or null when none. */
  snapshotAt: number | null;
  /** Oldest current mark price among held symbols, or null when some symbol has had none yet. */
  oldestPriceAt: number | null;
  /** Stream subscription time for symbols still waiting for a first price, or null. */
  pricesExpectedSince: number | null;
  /** When the page showed `displayed.marginRatio` (the page read time: `snapshot.source.readAt`, else `snapshotAt`). */
  pageReadAt: number | null;
  /** The exchange's figure counts only while `now − pageReadAt` ≤ this (ms). */
  exchangeFigureMaxAgeMs: number;
  /** The engine threw: its message (the ratio is then unknown). */
  engineError?: string;
  /** The page shows open positions that could not be read (reason); see {@link AlertInput.positionsUnreadable}. */
  positionsUnreadable?: string;
}

/** Position key used by the alert machine and notification ids: `BTCUSDT|long|cross`. */
export function positionKey(p: { symbol: string; side: string; marginMode: string }): string {
  return `${p.symbol}|${p.side}|${p.marginMode}`;
}

/** Why the engine's ratio is unknown, from its reasons (≤ 200 characters), or undefined. */
function unknownReasonOf(risk: AccountRisk): string | undefined {
  return risk.reasons.map((r) => `${r.field}: ${r.reason}`).join('; ').slice(0, 200) || undefined;
}

/**
 * Map one evaluation to the alert machine's input.
 *
 * Ratio: ours = {@link alertRatio}(risk). The exchange's figure = {@link exchangeRiskRatio} of
 * `snapshot.displayed.marginRatio` in `risk.marginRatioConvention`, counted only when fresh
 * (`0 ≤ now − pageReadAt ≤ exchangeFigureMaxAgeMs`). The exchange's figure is alerted on
 * (`ratioSource: 'exchange'`, `engineRatio` = ours) when ours is unknown or it is higher (worse);
 * `disagreement` is set when it exceeds ours by more than {@link RATIO_DISAGREEMENT_TOLERANCE}
 * (an engine under-estimate: old tiers, personal brackets).
 *
 * Positions: from `risk.positions` (distance as a double), or, without a result, from the
 * snapshot with unknown distance. `unknownReason`: the engine's error, else its reasons when the
 * alerting ratio is unknown.
 * @param risk the engine's result at live marks, or null when it threw or there is no snapshot.
 * @param snapshot the page snapshot evaluated (source of the exchange's figure), or null.
 */
export function alertInputOf(risk: AccountRisk | null, snapshot: AccountSnapshot | null, facts: AlertFacts): AlertInput {
  const ours = alertRatio(risk);
  const convention = risk?.marginRatioConvention ?? null;
  let theirs: number | null = null;
  if (snapshot && convention && facts.pageReadAt !== null) {
    const age = facts.now - facts.pageReadAt;
    if (age >= 0 && age <= facts.exchangeFigureMaxAgeMs) theirs = exchangeRiskRatio(snapshot.displayed?.marginRatio, convention);
  }
  let riskRatio = ours;
  let ratioSource: RatioSource = 'engine';
  let disagreement = false;
  if (theirs !== null && (ours === null || theirs > ours)) {
    riskRatio = theirs;
    ratioSource = 'exchange';
    disagreement = ours !== null && theirs - ours > RATIO_DISAGREEMENT_TOLERANCE;
  }
  const positions: PositionInput[] = risk
    ? risk.positions.map((p) => ({
        key: positionKey(p),
        symbol: p.symbol,
        side: p.side,
        distanceToLiquidation: p.distanceToLiquidation === null ? null : Number(p.distanceToLiquidation),
        liquidationPrice: p.liquidationPrice,
        markPrice: p.markPrice,
      }))
    : (snapshot?.positions ?? []).map((p) => ({
        key: positionKey(p),
        symbol: p.symbol,
        side: p.side,
        distanceToLiquidation: null,
        liquidationPrice: null,
        markPrice: p.markPrice,
      }));
  const unknownReason = facts.engineError ?? (riskRatio === null && risk ? unknownReasonOf(risk) : undefined);
  const input: AlertInput = {
    riskRatio,
    ratioSource,
    disagreement,
    unknownReason,
    positions,
    snapshotAt: facts.snapshotAt ?? 0,
    oldestPriceAt: facts.oldestPriceAt,
    pricesExpectedSince: facts.pricesExpectedSince,
  };
  if (ratioSource === 'exchange') input.engineRatio = ours;
  if (facts.positionsUnreadable) input.positionsUnreadable = facts.positionsUnreadable;
  return input;
}

/**
 * Notification id: `ms|<accountKey>|<kind>|<detail>` (`%` and `|` in the account key escaped as
 * `%25` / `%7C`, so `hyperliquid:0xab…` stays readable; detail = the level,
 * the position key, or `stale`). No time component: a repeat of the same (account, kind, detail)
 * replaces the notification on screen instead of stacking another.
 */
export function noticeId(accountKey: string, n: Notice): string {
  const detail = n.kind === 'level' ? String(n.level) : n.kind === 'position' ? n.position.key : 'stale';
  return `ms|${accountKey.replace(/%/g, '%25').replace(/\|/g, '%7C')}|${n.kind}|${detail}`;
}

/** Account key of a notification id made by {@link noticeId} (also the older `…|<time>` form), or null. */
export function accountOfNoticeId(id: string): string | null {
  const parts = id.split('|');
  if (parts[0] !== 'ms' || parts.length < 4 || !parts[1]) return null;
  try {
    return decodeURIComponent(parts[1]);
  } catch {
    return null;
  }
}
