/**
 * Stop-loss awareness: for each position, the stop order that would close it and whether it
 * fires before the position is liquidated.
 *
 * The stop of a position is the **nearest reduce-only trigger order on its losing side**: for a
 * long, a `sell` trigger order (stop, take-profit type or trailing) with `reduceOnly` or
 * `closePosition` whose trigger price is below the mark; for a short, a `buy` one above the mark.
 * "Nearest" = first reached as the price moves against the position (highest trigger below a
 * long's mark, lowest above a short's).
 *
 * Fires first: with `L` the position's liquidation price (cross: every other position held at its
 * mark, as {@link evaluate} computes it) and `S` the trigger price, the stop fires before
 * liquidation when the price reaches `S` before `L` moving against the position: long `S > L`,
 * short `S < L`. A position with no liquidation price (margin covers any move) is always
 * stopped first. The margin left when it fires is the maintenance cushion evaluated at the stop
 * price with the other positions held at mark (cross: margin balance − maintenance margin −
 * liquidation fee of the cross account; isolated: isolated margin + UPNL − MM of the position).
 *
 * Not modelled (said in the reasons): a stop-limit's limit may not fill in a fast move; a
 * trailing stop's trigger follows the price; exchanges may trigger on the last price instead of
 * the mark, and a stop fills with slippage.
 */
import { evaluate } from './account';
import { D } from './decimal';
import { out } from './format';
import { withMarks } from './marks';
import { parseSnapshot, TRIGGER_TYPES, type AccountSnapshot, type OrderSnapshot, type PositionSnapshot } from './snapshot';
import type { TierTables } from './tiers';
import type { AccountRisk, Reason } from './types';

/**
 * - `no-stop`: the orders were read and none closes this position on its losing side;
 * - `fires-first`: the stop fires before the liquidation price is reached;
 * - `never-fires`: the stop lies at or beyond the liquidation price: liquidation comes first;
 * - `unknown`: orders not read, mark or liquidation price unknown, or the stop's trigger not shown.
 */
export type StopStatus = 'no-stop' | 'fires-first' | 'never-fires' | 'unknown';

export interface PositionStop {
  /** Index into the snapshot's (and the risk's) `positions`. */
  position: number;
  symbol: string;
  side: 'long' | 'short';
  status: StopStatus;
  /** Index into the snapshot's `orders` of the stop that would close the position, or null. */
  order: number | null;
  /** Its trigger price (quote units), or null. */
  triggerPrice: string | null;
  /** |trigger − mark| / mark, fraction. */
  distanceFromMark: string | null;
  /** The position's liquidation price as evaluated (null: none or unknown, see reasons). */
  liquidationPrice: string | null;
  /** |trigger − liquidation| / mark, fraction: how far before (`fires-first`) or beyond (`never-fires`) liquidation the stop is. */
  gapToLiquidation: string | null;
  /**
   * Equity − maintenance requirement when the price reaches the trigger, other positions at
   * mark (settlement asset). Positive when the stop fires first; ≤ 0 means liquidated by then.
   */
  marginLeftAtStop: string | null;
  /** Share of the position's size the stop closes, fraction in (0, 1]; `closePosition` = 1. Null when its size is not shown. */
  coverage: string | null;
  /** True when the stop closes only part of the position (coverage < 1); null when unknown or no stop. */
  partial: boolean | null;
  reasons: Reason[];
}

/** The side an order must have to close a position of `side`. */
export const closingSide = (side: 'long' | 'short'): 'buy' | 'sell' => (side === 'long' ? 'sell' : 'buy');

/** True for an order that would close (part of) `p` when its trigger is hit. */
export function closesPosition(o: OrderSnapshot, p: PositionSnapshot): boolean {
  return o.symbol === p.symbol && o.side === closingSide(p.side) && TRIGGER_TYPES.includes(o.type) && (o.reduceOnly === true || o.closePosition === true);
}

/**
 * The stop status of every position.
 *
 * @param input an account snapshot (validated here); its optional `orders` are the open orders
 * @param tables tier tables as for {@link evaluate}
 * @param risk `evaluate(input, tables)` when the caller already has it (saves one evaluation)
 * @returns one {@link PositionStop} per position, in snapshot order
 * @throws {SnapshotError} for an invalid snapshot
 */
export function positionStops(input: AccountSnapshot | unknown, tables: TierTables, risk?: AccountRisk): PositionStop[] {
  const snap = parseSnapshot(input);
  const r = risk ?? evaluate(snap, tables);
  return snap.positions.map((p, i) => stopOf(snap, i, p, r, tables));
}

function stopOf(snap: AccountSnapshot, i: number, p: PositionSnapshot, risk: AccountRisk, tables: TierTables): PositionStop {
  const row = risk.positions[i]!;
  const result: PositionStop = {
    position: i,
    symbol: p.symbol,
    side: p.side,
    status: 'unknown',
    order: null,
    triggerPrice: null,
    distanceFromMark: null,
    liquidationPrice: row.liquidationPrice,
    gapToLiquidation: null,
    marginLeftAtStop: null,
    coverage: null,
    partial: null,
    reasons: [],
  };
  const why = (reason: string) => result.reasons.push({ field: 'stop', reason });
  if (snap.orders === undefined) {
    why('open orders not read from the page');
    return result;
  }
  if (p.markPrice === null) {
    why('mark price unknown: the losing side cannot be told');
    return result;
  }
  const mark = new D(p.markPrice);
  const long = p.side === 'long';
  const candidates: { index: number; trigger: D }[] = [];
  let hiddenTriggers = 0;
  let unsureReduce = 0;
  snap.orders.forEach((o, index) => {
    if (o.symbol !== p.symbol || o.side !== closingSide(p.side) || !TRIGGER_TYPES.includes(o.type)) return;
    if (!(o.reduceOnly === true || o.closePosition === true)) {
      if (o.reduceOnly === null) unsureReduce++;
      return;
    }
    if (o.triggerPrice == null) {
      hiddenTriggers++;
      return;
    }
    const trigger = new D(o.triggerPrice);
    if (long ? trigger.lt(mark) : trigger.gt(mark)) candidates.push({ index, trigger });
  });
  if (unsureReduce) why(`${unsureReduce} trigger order(s) on the closing side do not show whether they are reduce-only; not counted`);
  if (candidates.length === 0) {
    if (hiddenTriggers) {
      why(`${hiddenTriggers} closing trigger order(s) with a trigger price the page does not show`);
      return result;
    }
    if (snap.ordersComplete === false) {
      why('no stop among the orders read; other open orders were not read and may hold one');
      return result;
    }
    result.status = 'no-stop';
    return result;
  }
  if (snap.ordersComplete === false) why('other open orders were not read: one of them may be a nearer stop');
  if (hiddenTriggers) why(`${hiddenTriggers} further closing trigger order(s) with no trigger price shown may fire earlier`);
  candidates.sort((a, b) => (long ? b.trigger.cmp(a.trigger) : a.trigger.cmp(b.trigger)));
  const best = candidates[0]!;
  const o = snap.orders[best.index]!;
  result.order = best.index;
  result.triggerPrice = o.triggerPrice!;
  result.distanceFromMark = out(best.trigger.minus(mark).abs().div(mark));
  if (o.type === 'stop-limit' || o.type === 'take-profit-limit') why('a stop-limit order may not fill in a fast move: its limit order can be left behind');
  if (o.type === 'trailing-stop') why('trailing stop: its trigger follows the price; the trigger shown is the one now');

  // coverage
  if (o.closePosition) result.coverage = '1';
  else if (o.size != null) result.coverage = out(D.min(1, new D(o.size).div(p.size)));
  else why('the stop does not show its size: coverage unknown');
  if (result.coverage !== null) {
    result.partial = new D(result.coverage).lt(1);
    if (result.partial) why(`the stop closes only ${new D(result.coverage).times(100).toDecimalPlaces(1).toFixed()} % of the position`);
  }

  // margin left at the trigger price, every other symbol held at its mark
  const at = evaluate(withMarks(snap, { [p.symbol]: o.triggerPrice! }), tables);
  if (p.marginMode === 'cross') {
    if (at.marginBalance !== null && at.maintenanceMargin !== null && at.liquidationFee !== null) {
      result.marginLeftAtStop = out(new D(at.marginBalance).minus(at.maintenanceMargin).minus(at.liquidationFee));
    }
  } else {
    const pr = at.positions[i]!;
    if (p.isolatedMargin != null && pr.unrealizedPnl !== null && pr.maintenanceMargin !== null) {
      result.marginLeftAtStop = out(new D(p.isolatedMargin).plus(pr.unrealizedPnl).minus(pr.maintenanceMargin));
    }
  }

  // fires before liquidation?
  const liqNone = row.reasons.some((x) => x.field === 'liquidationPrice' && x.none);
  if (row.liquidationPrice === null) {
    if (liqNone) {
      result.status = 'fires-first';
      why('no liquidation price: the stop is reached first');
    } else {
      why('liquidation price unknown: cannot tell whether the stop fires first');
    }
    return result;
  }
  const liq = new D(row.liquidationPrice);
  if (row.distanceToLiquidation === '0') {
    result.status = 'never-fires';
    why('the position is at or past its liquidation price now');
    return result;
  }
  if (long ? liq.gt(mark) : liq.lt(mark)) {
    // E.g. a hedge leg against the net position: its liquidation price is on its winning side.
    result.status = 'fires-first';
    why('the liquidation price lies on the winning side of this position (e.g. a hedge leg against the net position): a move against it reaches the stop first');
    return result;
  }
  result.gapToLiquidation = out(best.trigger.minus(liq).abs().div(mark));
  const first = long ? best.trigger.gt(liq) : best.trigger.lt(liq);
  result.status = first ? 'fires-first' : 'never-fires';
  if (!first) why('the stop is at or beyond the liquidation price: liquidation comes first, the stop will never fire');
  return result;
}
