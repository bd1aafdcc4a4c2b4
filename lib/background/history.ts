/**
 * Ratio history per account for the popup's sparkline: one sample per {@link HISTORY_STEP_MS}
 * (the worst ratio inside a step, so short spikes stay visible), kept for {@link HISTORY_WINDOW_MS}.
 */
import type { RatioSample } from '../storage';

export const HISTORY_WINDOW_MS = 3_600_000;
export const HISTORY_STEP_MS = 5_000;

/**
 * Add `ratio` (normalized risk ratio, fraction; null = unknown) at `now` (ms epoch) to `samples`,
 * in place, and drop samples older than the window.
 */
export function recordRatio(samples: RatioSample[], ratio: number | null, now: number): void {
  const last = samples[samples.length - 1];
  if (last && now - last.t < HISTORY_STEP_MS && now >= last.t) {
    if (ratio !== null && (last.r === null || ratio > last.r)) last.r = ratio;
  } else samples.push({ t: now, r: ratio });
  while (samples.length && now - samples[0]!.t > HISTORY_WINDOW_MS) samples.shift();
}
