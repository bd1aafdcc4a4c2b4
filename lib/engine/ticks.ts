/**
 * Prices as the exchange prints them: a solved liquidation price rounded to the symbol's tick
 * the way the exchange rounds it. The raw solved price stays the engine's figure
 * (`liquidationPrice`); the printed one (`liquidationPriceDisplayed`) is what reconciliation
 * compares with the page, so a correct account never shows a mismatch for a tick.
 *
 * Direction words: a long is liquidated by a fall, so its liquidation price lies below the mark
 * and "toward the mark" means up; a short's lies above and "toward the mark" means down.
 * Rounding toward the mark is the conservative direction: the printed price is never further from
 * the mark than the raw one (the trader is never told they have more room than they do).
 *
 * Evidence for each exchange's rule (see {@link DisplayConvention} values in ./conventions.ts):
 * - Binance: the API's liquidation prices (8 dp) round toward the mark in all 5 captured records
 *   (formulas.md §10.6; the decisive short: DOGE 0.2190376680 → 0.21903766).
 * - Bybit: help centre, classic inverse cross example, raw 5,739.08 printed 5,739.50 on the 0.5 tick,
 *   a long rounded up
 *   (https://help.bybit.com/hc/en-us/articles/360039261334-How-to-calculate-Liquidation-Price-Inverse-Contract-;
 *   formulas.md §9.2).
 * - OKX isolated: every isolated record the team collected (5 independent sources, 2021–2026;
 *   issue 14) prints the price where the margin ratio reaches 100 % moved one tick toward the mark;
 *   cross records show no shift. Checked here on a `GET /api/v5/account/positions` record (ETH-USDT-SWAP
 *   isolated long, 2025-11-29, code-index file id 52436353321): liqPx 2722.159673530889 is the
 *   margin-ratio-100 % price 2722.149673530889 plus exactly 0.01, the tick (test/engine/examples.test.ts).
 *   No statement of the rule by OKX itself was found.
 */
import { D } from './decimal';
import { OUTPUT_DP } from './format';
import type { Side } from './snapshot';

/** How an exchange prints a liquidation price. */
export interface DisplayConvention {
  /** Rounding to the tick: `toward-mark` (conservative: long up, short down). */
  rounding: 'toward-mark';
  /** Whole ticks moved further toward the mark after rounding (OKX isolated: 1; elsewhere 0). */
  shiftTicks: number;
  /** Where the rule comes from (URL or record set). */
  evidence: string;
}

/**
 * `x` rounded to a multiple of `tick` in a direction.
 * @param x price > 0
 * @param tick tick size > 0 (e.g. `0.1`, `0.00001`)
 * @param direction `up` (ceiling) or `down` (floor)
 * @throws {Error} when `tick` is not > 0
 * @example roundToTick(new D('5739.08'), new D('0.5'), 'up').toFixed() //=> '5739.5'
 */
export function roundToTick(x: D, tick: D, direction: 'up' | 'down'): D {
  if (!tick.gt(0)) throw new Error(`tick size must be > 0 (got ${tick.toFixed()})`);
  const steps = x.div(tick);
  return (direction === 'up' ? steps.ceil() : steps.floor()).times(tick);
}

/**
 * The liquidation price as the exchange prints it.
 *
 * @param raw the solved liquidation price (> 0), quote currency per base unit
 * @param side which way the mark lies from `raw`: `long` = the mark is above (a long's price,
 *   liquidated by a fall), `short` = the mark is below
 * @param tick the symbol's tick size (> 0), or null when unknown: then `raw` is rounded toward
 *   the mark at 8 dp and no tick shift is applied (the caller reports the tick as unknown)
 * @param convention the exchange's printing rule for this margin mode
 * @returns a price on the tick grid, on the mark's side of `raw` by less than
 *   `(1 + shiftTicks) × tick` (never further from the mark than `raw`); when the rule would print
 *   0 or less (a short whose price is below one tick), `raw` rounded toward the mark at 8 dp
 * @throws {Error} when `tick` is given and not > 0
 * @example liquidationPriceDisplayed(new D('5739.08'), 'long', new D('0.5'), bybit).toFixed() //=> '5739.5'
 * @example liquidationPriceDisplayed(new D('1860.02'), 'long', new D('0.01'), okxIsolated).toFixed() //=> '1860.03'
 */
export function liquidationPriceDisplayed(raw: D, side: Side, tick: D | null, convention: DisplayConvention): D {
  const toward = side === 'long' ? 'up' : 'down';
  if (tick === null) return raw.toDecimalPlaces(OUTPUT_DP, toward === 'up' ? D.ROUND_CEIL : D.ROUND_FLOOR);
  const rounded = roundToTick(raw, tick, toward);
  const shifted = convention.shiftTicks === 0 ? rounded : rounded[toward === 'up' ? 'plus' : 'minus'](tick.times(convention.shiftTicks));
  if (!shifted.gt(0)) return raw.toDecimalPlaces(OUTPUT_DP, D.ROUND_FLOOR);
  return shifted;
}
