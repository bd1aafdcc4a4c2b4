/**
 * Stop and volatility alerts (both off by default), as a pure step like lib/alerts/machine.ts:
 *
 * - **stop**: a position with no stop-loss among the orders read (`no-stop`), or whose stop lies at
 *   or beyond its liquidation price (`never-fires`, e.g. after another position's loss moved the
 *   cross liquidation price past it): one notice per position and condition, re-armed once the
 *   condition clears (a stop placed, or back before liquidation). `unknown` never alerts nor re-arms.
 * - **odds**: the account's probability of touching a liquidation price within 24 h
 *   (lib/engine/liquidationOdds.ts) above the user's threshold: one notice, re-armed when it falls
 *   below 80 % of the threshold (hysteresis against flapping).
 */
import type { AccountOdds } from '../engine/liquidationOdds';
import type { PositionStop } from '../engine/stops';

export interface StopAlertSettings {
  stopAlerts: boolean;
  /** Fraction (0.05 = 5 %), or null = off. */
  liquidationOddsAlert: number | null;
}

/** What has been notified and not yet re-armed: `stop:<symbol side>:<status>` and `odds`. */
export interface StopAlertState {
  fired: string[];
}

export interface StopNotice {
  /** Stable per condition: `stop|BTCUSDT long` or `odds|24h`. */
  detail: string;
  title: string;
  message: string;
}

/** Re-arm the odds alert below this share of its threshold. */
export const ODDS_REARM = 0.8;

/**
 * One step.
 * @param stops the account's stop figures (null: not evaluated → no change)
 * @param odds the account's odds (null: not evaluated → no change)
 */
export function stopAlertStep(prev: StopAlertState, label: string, stops: readonly PositionStop[] | null, odds: AccountOdds | null, s: StopAlertSettings): { state: StopAlertState; notices: StopNotice[] } {
  const fired = new Set(prev.fired);
  const notices: StopNotice[] = [];
  if (stops) {
    const now = new Set<string>();
    const known = new Set<string>();
    for (const st of stops) {
      const pos = `${st.symbol} ${st.side}`;
      if (st.status !== 'unknown') known.add(pos);
      if (st.status === 'no-stop' || st.status === 'never-fires') now.add(`stop:${pos}:${st.status}`);
      if (!s.stopAlerts) continue;
      const key = `stop:${pos}:${st.status}`;
      if ((st.status === 'no-stop' || st.status === 'never-fires') && !fired.has(key)) {
        fired.add(key);
        notices.push({
          detail: `stop|${pos}`,
          title: `${label}: ${st.status === 'no-stop' ? `${pos} has no stop-loss` : `${pos} stop-loss will never fire`}`,
          message:
            st.status === 'no-stop'
              ? 'No reduce-only stop on the losing side among the open orders read.'
              : `The stop at ${st.triggerPrice} is at or beyond the liquidation price ${st.liquidationPrice ?? '?'}: liquidation comes first.`,
        });
      }
    }
    // Re-arm conditions that cleared on a position whose stop is known now (or that is gone).
    for (const k of [...fired]) {
      if (!k.startsWith('stop:') || now.has(k)) continue;
      const pos = k.slice(5, k.lastIndexOf(':'));
      if (known.has(pos) || !stops.some((x) => `${x.symbol} ${x.side}` === pos)) fired.delete(k);
    }
  }
  if (odds && odds.touch24h !== null) {
    const p = Number(odds.touch24h);
    const limit = s.liquidationOddsAlert;
    if (limit !== null && p > limit && !fired.has('odds')) {
      fired.add('odds');
      const worst = odds.worst !== null ? odds.positions[odds.worst] : undefined;
      notices.push({
        detail: 'odds|24h',
        title: `${label}: ${(p * 100).toFixed(1)} % chance of liquidation within 24 h`,
        message: `${worst ? `${worst.symbol}: liquidation ${worst.sigmaDistance ?? '?'} σ away. ` : ''}Above your ${(limit * 100).toFixed(1)} % alert (driftless Brownian model, 1-day σ from 7 days of 1-hour returns).`,
      });
    } else if (fired.has('odds') && (limit === null || p < limit * ODDS_REARM)) fired.delete('odds');
  }
  return { state: { fired: [...fired].sort() }, notices };
}
