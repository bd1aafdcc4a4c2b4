/**
 * Volatility-aware risk: realized volatility from candle closes, the distance to liquidation
 * in σ, and the probability that the price touches the liquidation price within a horizon.
 *
 * Realized σ: log returns r_i = ln(C_i / C_{i−1}) of consecutive closes (candles exactly one
 * interval apart; a return across a gap is left out), sample standard deviation (mean
 * subtracted, n − 1), scaled to the horizon by √(horizon / interval). The default window is the
 * one shown in the UI: **1-day σ from 1-hour log returns over the last 7 days** (168 candles).
 *
 * Barrier (touch) probability under a driftless Brownian motion of the log price with per-day
 * volatility σ: by the reflection principle the probability that the running minimum (or
 * maximum) reaches a barrier at log distance d = |ln(L / S)| within T days is
 *
 *   P = 2 · Φ(−d / (σ · √T))
 *
 * Sources: reflection principle for the Wiener process,
 * https://en.wikipedia.org/wiki/Reflection_principle_(Wiener_process) (P(sup_{s≤t} W_s ≥ a) =
 * 2·P(W_t ≥ a)); Shreve, *Stochastic Calculus for Finance II*, §3.7.3 (first passage time
 * distribution, P(τ_m ≤ t) = 2·N(−|m|/√t)). Model limits: no drift, constant σ, continuous
 * paths (no jumps, fat tails or gaps), σ from the recent past only; it is an estimate, not a
 * forecast.
 *
 * Numbers: prices and σ cross the boundary as decimal strings; σ (ln of each return, √) is done in
 * decimal.js; the barrier distance ln(L/S) and Φ in float64 (model statistics, not money, 8 dp out);
 * Φ is evaluated in float64 (Numerical Recipes `erfcc`, fractional error < 1.2e−7), ample for a
 * probability shown to 0.1 %. Unknown stays unknown: too few candles → σ is null with a reason,
 * never a default volatility.
 */
import { D, ZERO } from './decimal';
import { out } from './format';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** One candle: its open time (ms since epoch) and close price (decimal string, > 0). */
export interface Candle {
  openTime: number;
  close: string;
}

export interface VolatilityWindow {
  /** Candle length, ms (default 1 h). */
  intervalMs: number;
  /** Horizon σ is scaled to, ms (default 1 day). */
  horizonMs: number;
  /** Look-back, ms (default 7 days). Candles opened before (newest open time − lookback) are ignored: 7 days of 1-hour candles = 169 closes, 168 returns. */
  lookbackMs: number;
  /** Fewest returns accepted (default 24). */
  minReturns: number;
}

export const DEFAULT_WINDOW: VolatilityWindow = { intervalMs: HOUR_MS, horizonMs: DAY_MS, lookbackMs: 7 * DAY_MS, minReturns: 24 };

export type VolatilityEstimate =
  | {
      /** σ of log returns over the horizon (1 day by default), fraction (0.03 = 3 %). */
      sigma: string;
      /** σ per candle interval, fraction. */
      sigmaPerInterval: string;
      /** Number of returns used. */
      returns: number;
      /** Open time of the first and last candle used, ms. */
      from: number;
      to: number;
      window: VolatilityWindow;
      /** e.g. "1-day σ from 1-hour log returns over 7 days". */
      label: string;
    }
  | { sigma: null; reason: string; window: VolatilityWindow };

function span(ms: number): string {
  if (ms % DAY_MS === 0) return `${ms / DAY_MS}-day`;
  if (ms % HOUR_MS === 0) return `${ms / HOUR_MS}-hour`;
  return `${ms / 60_000}-minute`;
}

/** The window as words: "1-day σ from 1-hour log returns over 7 days". */
export function windowLabel(w: VolatilityWindow): string {
  const look = w.lookbackMs % DAY_MS === 0 ? `${w.lookbackMs / DAY_MS} days` : `${w.lookbackMs / HOUR_MS} hours`;
  return `${span(w.horizonMs)} σ from ${span(w.intervalMs)} log returns over ${look}`;
}

/**
 * Realized volatility of a symbol from its candles.
 * @param candles any order; duplicates by open time keep the last; closes must be decimal strings > 0
 * @returns σ scaled to `window.horizonMs`, or `sigma: null` with a reason (too few candles/returns)
 * @throws {Error} when a close is not a positive decimal string
 */
export function realizedVolatility(candles: readonly Candle[], window: Partial<VolatilityWindow> = {}): VolatilityEstimate {
  const w: VolatilityWindow = { ...DEFAULT_WINDOW, ...window };
  const byTime = new Map<number, D>();
  for (const c of candles) {
    const close = new D(c.close);
    if (!close.isFinite() || !close.gt(0)) throw new Error(`candle close must be > 0 (got ${JSON.stringify(c.close)})`);
    byTime.set(c.openTime, close);
  }
  const times = [...byTime.keys()].sort((a, b) => a - b);
  if (times.length === 0) return { sigma: null, reason: 'no candles', window: w };
  const newest = times[times.length - 1]!;
  const used = times.filter((t) => t >= newest - w.lookbackMs);
  const returns: D[] = [];
  for (let i = 1; i < used.length; i++) {
    if (used[i]! - used[i - 1]! !== w.intervalMs) continue;
    returns.push(byTime.get(used[i]!)!.div(byTime.get(used[i - 1]!)!).ln());
  }
  if (returns.length < Math.max(2, w.minReturns)) {
    return { sigma: null, reason: `too few candles: ${returns.length} returns, ${Math.max(2, w.minReturns)} needed`, window: w };
  }
  const mean = returns.reduce((a, r) => a.plus(r), ZERO).div(returns.length);
  const variance = returns.reduce((a, r) => a.plus(r.minus(mean).pow(2)), ZERO).div(returns.length - 1);
  const perInterval = variance.sqrt();
  const sigma = perInterval.times(new D(w.horizonMs).div(w.intervalMs).sqrt());
  return {
    sigma: out(sigma),
    sigmaPerInterval: out(perInterval),
    returns: returns.length,
    from: used[0]!,
    to: newest,
    window: w,
    label: windowLabel(w),
  };
}

/**
 * Distance from `price` to `barrier` in σ: |ln(barrier / price)| / σ.
 * @param sigma σ of log returns over the horizon (fraction, > 0)
 * @returns a decimal string ≥ 0; null when σ is null or 0
 */
export function sigmaDistance(price: string, barrier: string, sigma: string | null): string | null {
  if (sigma === null || !new D(sigma).gt(0)) return null;
  return out(new D(logDistance(price, barrier)).div(sigma));
}

/**
 * |ln(barrier / price)| in float64: a model statistic (not money), where 1e−15 relative error is
 * far below the 8 dp shown; decimal.js `ln` at 32 digits costs ≈ 0.2 ms, which per position and
 * per price tick is not worth it. Prices are the engine's decimal strings (never page text).
 */
function logDistance(price: string, barrier: string): number {
  return Math.abs(Math.log(new D(barrier).div(price).toNumber()));
}

/**
 * Standard normal CDF Φ(x), float64, via the complementary error function
 * (Numerical Recipes in C, 2nd ed., §6.2 `erfcc`: fractional error < 1.2e−7).
 */
export function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * z);
  const erfc =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? 1 - erfc / 2 : erfc / 2;
}

/**
 * Probability that a driftless Brownian log price starting at `price` touches `barrier` within
 * `horizons` horizons (σ given per horizon): P = 2·Φ(−|ln(barrier/price)| / (σ·√horizons)).
 * @param sigma σ of log returns per horizon (fraction), e.g. the 1-day σ
 * @param horizons how many horizons (default 1: 24 h with a 1-day σ)
 * @returns probability in [0, 1] as a decimal string (8 dp); "1" when the barrier is at the
 *   price; null when σ is unknown
 */
export function touchProbability(price: string, barrier: string, sigma: string | null, horizons: string = '1'): string | null {
  if (sigma === null) return null;
  const d = logDistance(price, barrier);
  if (d === 0) return '1';
  const s = new D(sigma).times(new D(horizons).sqrt()).toNumber();
  if (!(s > 0)) return '0';
  const p = 2 * normalCdf(-d / s);
  return out(D.min(1, D.max(0, new D(p))));
}
