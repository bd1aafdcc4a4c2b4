/**
 * Margin-level thresholds of Binance spot margin accounts (ratios, higher is safer).
 *
 * Documented defaults:
 * - Cross Margin Classic 3x: margin call when `1.1 < Margin Level ≤ 1.3`, liquidation when
 *   `Margin Level ≤ 1.1`; 5x: margin call `1.1 < Margin Level ≤ 1.16`, liquidation `≤ 1.1`
 *   (https://binance.com/en-TR/support/faq/binance-margin-level-and-risk-control-360030493931,
 *   same table at https://www.binance.com/en/support/faq/binance-margin-level-and-margin-call-360030493931).
 * - Cross Margin Pro: liquidation at `Margin Level ≤ 1.0`
 *   (https://www.binance.com/en/support/faq/0b5441a1c1ff431bb2e135dfa8e6ffba); its margin-call bar is not
 *   in the captured evidence, so 1.3 is assumed and reported.
 * - Per user, the API's `GET /sapi/v1/margin/tradeCoeff` returns `normalBar` / `marginCallBar` /
 *   `forceLiquidationBar` (https://developers.binance.com/docs/margin_trading/account/Get-Summary-Of-Margin-Account):
 *   a snapshot's `thresholds` carry these and override every default here.
 * - Isolated Margin: the per-pair bars are not in the captured evidence (the API returns a
 *   per-pair `liquidateRate`); the cross 3x bars (1.3 / 1.1) are assumed and reported.
 */
import { D } from './decimal';
import type { SpotMarginSnapshot, SpotMarginThresholdsInput } from './snapshot';
import type { Reason } from './types';

/** Thresholds in use, ratios as decimal strings, with where each came from. */
export interface SpotMarginThresholds {
  /** Above it the account may borrow and transfer out (Binance `normalBar`). */
  normal: string;
  /** At or below it: margin call. */
  marginCall: string;
  /** At or below it: liquidation. */
  liquidation: string;
  /** `snapshot` when every bar was given, `documented` when all came from the FAQ, `assumed` when any was assumed; `mixed` otherwise. */
  source: 'snapshot' | 'documented' | 'assumed' | 'mixed';
}

const FAQ = 'https://www.binance.com/en/support/faq/binance-margin-level-and-margin-call-360030493931';

/**
 * The thresholds for an account (or one isolated pair): each bar from `given` when present,
 * else the documented default for the mode, variant and leverage; assumptions are added to `reasons`.
 */
export function spotMarginThresholds(
  snap: Pick<SpotMarginSnapshot, 'mode' | 'variant' | 'maxLeverage'>,
  given: SpotMarginThresholdsInput | undefined,
  reasons: Reason[],
): SpotMarginThresholds {
  let def: { normal: string; marginCall: string; liquidation: string; assumed: ('marginCall' | 'liquidation')[] };
  if (snap.mode === 'isolated') def = { normal: '2', marginCall: '1.3', liquidation: '1.1', assumed: ['marginCall', 'liquidation'] };
  else if (snap.variant === 'pro') def = { normal: '2', marginCall: '1.3', liquidation: '1', assumed: ['marginCall'] };
  else if (snap.maxLeverage === '5') def = { normal: '2', marginCall: '1.16', liquidation: '1.1', assumed: [] };
  else def = { normal: '2', marginCall: '1.3', liquidation: '1.1', assumed: [] };

  const pick = (k: 'normal' | 'marginCall' | 'liquidation') => given?.[k] ?? def[k];
  const out = { normal: pick('normal'), marginCall: pick('marginCall'), liquidation: pick('liquidation') };
  const fromSnap = (['marginCall', 'liquidation'] as const).filter((k) => given?.[k] !== undefined);
  const assumed = def.assumed.filter((k) => given?.[k] === undefined);
  for (const k of assumed) {
    reasons.push({
      field: `thresholds.${k}`,
      reason: `${k === 'liquidation' ? 'liquidation' : 'margin-call'} level ${out[k]} assumed (not documented for ${snap.mode === 'isolated' ? 'Isolated Margin' : 'Cross Margin Pro'}; give the exchange's bar to override)`,
    });
  }
  if (snap.mode === 'cross' && snap.variant !== 'pro' && snap.maxLeverage === undefined && given?.marginCall === undefined) {
    reasons.push({ field: 'thresholds.marginCall', reason: `Cross Margin leverage not known: the 3x margin-call level 1.3 is used (5x: 1.16; ${FAQ})` });
  }
  if (new D(out.marginCall).lte(out.liquidation)) {
    reasons.push({ field: 'thresholds.marginCall', reason: `margin-call level ${out.marginCall} is not above the liquidation level ${out.liquidation}` });
  }
  const source: SpotMarginThresholds['source'] =
    fromSnap.length === 2 ? 'snapshot' : assumed.length ? 'assumed' : fromSnap.length ? 'mixed' : 'documented';
  return { ...out, source };
}
