/**
 * "Liquidation if my orders fill": the account's open orders that add exposure applied as
 * fills, then evaluated like any what-if (a predictive liquidation line).
 *
 * Which orders: those that are not reduce-only and do not close the position (`reduceOnly:
 * false`), i.e. the orders that can only add risk. Reduce-only orders and `closePosition` stops
 * are left out: they fire at prices that also move the marks, which is the stop view's job
 * ({@link positionStops}). Each order fills at its limit price (`limit`, `stop-limit`,
 * `take-profit-limit`) or its trigger price (`stop-market`, `take-profit-market`, trailing);
 * marks stay where they are. It becomes an `add-position` move of the what-if engine, so it
 * nets, averages or flips exactly as a hypothetical order there.
 *
 * Left out, each with a reason: orders whose size, price or reduce-only flag is not shown,
 * `market` orders, and orders on a symbol without a position (margin mode and leverage of the
 * new position are not known).
 */
import { D } from './decimal';
import { parseSnapshot, type AccountSnapshot, type OrderSnapshot } from './snapshot';
import type { TierTables } from './tiers';
import { whatIf, type Move, type WhatIfResult } from './whatIf';

export interface SkippedOrder {
  /** Index into the snapshot's `orders`. */
  order: number;
  reason: string;
}

export interface OrdersAsFills {
  /** One `add-position` move per applied order, in order. */
  moves: Move[];
  /** Indexes into `orders` of the orders applied. */
  applied: number[];
  skipped: SkippedOrder[];
}

/** The price an order fills at as modelled here, or null with why not. */
function fillPrice(o: OrderSnapshot): { price: string } | { reason: string } {
  switch (o.type) {
    case 'market':
      return { reason: 'a market order fills at once; an open one is not modelled' };
    case 'limit':
    case 'stop-limit':
    case 'take-profit-limit':
      return o.price != null ? { price: o.price } : { reason: 'limit price not shown' };
    default:
      return o.triggerPrice != null ? { price: o.triggerPrice } : { reason: 'trigger price not shown' };
  }
}

/**
 * The open orders of a snapshot as what-if moves.
 * @param snap a validated snapshot; without `orders` nothing is applied (and `skipped` is empty)
 */
export function ordersAsFills(snap: AccountSnapshot): OrdersAsFills {
  const moves: Move[] = [];
  const applied: number[] = [];
  const skipped: SkippedOrder[] = [];
  (snap.orders ?? []).forEach((o, order) => {
    const skip = (reason: string) => skipped.push({ order, reason });
    if (o.reduceOnly === null) return skip('reduce-only flag not shown');
    if (o.reduceOnly || o.closePosition) return skip('reduce-only: it can only lower the position');
    if (o.size == null) return skip('size not shown');
    const fill = fillPrice(o);
    if ('reason' in fill) return skip(fill.reason);
    const side = o.side === 'buy' ? 'long' : 'short';
    const onSymbol = snap.positions.filter((p) => p.symbol === o.symbol);
    const template = (snap.positionMode === 'hedge' ? onSymbol.find((p) => p.side === side) : undefined) ?? onSymbol[0];
    if (!template) return skip(`no position on ${o.symbol}: margin mode and leverage of a new position are not known`);
    if (template.leverage === null) return skip(`leverage of the ${o.symbol} position not shown`);
    if (onSymbol.some((p) => p.marginMode !== template.marginMode)) return skip(`${o.symbol} has cross and isolated positions: which one the order adds to is not known`);
    moves.push({
      kind: 'add-position',
      symbol: o.symbol,
      side,
      size: new D(o.size).toFixed(),
      price: fill.price,
      leverage: template.leverage,
      marginMode: template.marginMode,
      contract: template.contract,
      ...(template.contractSize !== undefined && { contractSize: template.contractSize }),
    });
    applied.push(order);
  });
  return { moves, applied, skipped };
}

/**
 * Evaluate the account before and after its open orders fill.
 * @returns the what-if result plus which orders were applied and which were skipped (and why);
 *   with no applicable order `after` equals `before`
 * @throws {SnapshotError} for an invalid snapshot; {@link ScenarioError} when a fill cannot be
 *   funded (e.g. an isolated order larger than the wallet)
 */
export function ifOrdersFill(input: AccountSnapshot | unknown, tables: TierTables): WhatIfResult & Omit<OrdersAsFills, 'moves'> {
  const snap = parseSnapshot(input);
  const { moves, applied, skipped } = ordersAsFills(snap);
  return { ...whatIf(snap, { moves }, tables), applied, skipped };
}
