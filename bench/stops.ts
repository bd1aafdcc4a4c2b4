/**
 * Stop and volatility benchmarks: what the worker adds to each evaluation of an account with
 * orders (`riskExtras`: every position's stop, evaluated at its trigger price, and the σ odds),
 * "liquidation if my orders fill", and one realized-σ estimate from 7 days of 1-hour candles.
 * Account: the 10-position cross account of ./engine.ts with 20 orders (a reduce-only stop per
 * position, half of them beyond the liquidation price, and an opening limit order per position).
 */
import { Bench } from 'tinybench';
import { evaluate, type AccountSnapshot } from '../lib/engine';
import { ifOrdersFill } from '../lib/engine/ordersFill';
import type { OrderSnapshot } from '../lib/engine/snapshot';
import { realizedVolatility, DEFAULT_WINDOW, windowLabel, type Candle } from '../lib/engine/volatility';
import { riskExtras } from '../lib/background/stops';
import { benchAccount } from './engine';
import type { BenchRow } from './types';

/** The 10-position account with 20 orders; checks the stops come out as built. */
export function stopsAccount() {
  const { snapshot, tables } = benchAccount(10);
  const risk = evaluate(snapshot, tables);
  const orders: OrderSnapshot[] = [];
  snapshot.positions.forEach((p, i) => {
    const mark = Number(p.markPrice);
    const liq = risk.positions[i]!.liquidationPrice;
    const long = p.side === 'long';
    // even: halfway to liquidation (fires first); odd: 1 % beyond it (never fires); no liquidation price: 10 % away (fires first)
    const lp = Number(liq);
    const trigger = liq === null ? mark * (long ? 0.9 : 1.1) : i % 2 === 0 ? (mark + lp) / 2 : lp * (long ? 0.99 : 1.01);
    orders.push({ symbol: p.symbol, side: long ? 'sell' : 'buy', type: 'stop-market', triggerPrice: trigger.toFixed(4), closePosition: true, reduceOnly: true });
    orders.push({ symbol: p.symbol, side: long ? 'buy' : 'sell', type: 'limit', price: (mark * (long ? 0.99 : 1.01)).toFixed(4), size: '1', reduceOnly: false });
  });
  const s: AccountSnapshot = { ...snapshot, orders, ordersComplete: true };
  return { snapshot: s, tables, risk };
}

export async function benchStops(): Promise<BenchRow[]> {
  const { snapshot, tables, risk } = stopsAccount();
  const candles: Candle[] = Array.from({ length: 169 }, (_, i) => ({ openTime: i * 3_600_000, close: (60000 * (1 + 0.004 * Math.sin(i))).toFixed(2) }));
  const est = realizedVolatility(candles);
  if (est.sigma === null) throw new Error('no σ from the bench candles');
  const vol = Object.fromEntries(snapshot.positions.map((p) => [p.symbol, { ...est, label: windowLabel(DEFAULT_WINDOW) }]));
  const check = riskExtras(snapshot, risk, tables, vol);
  const statuses = check.stops!.map((x) => x.status).join();
  const expected = risk.positions.map((p, i) => (p.liquidationPrice === null || i % 2 === 0 ? 'fires-first' : 'never-fires')).join();
  if (statuses !== expected) throw new Error(`unexpected stop statuses: ${statuses}`);
  if (ifOrdersFill(snapshot, tables).applied.length !== 10) throw new Error('expected 10 orders applied as fills');

  const bench = new Bench({ time: 1000, warmupTime: 200 });
  bench.add('evaluate + stops + odds', () => void riskExtras(snapshot, evaluate(snapshot, tables), tables, vol));
  bench.add('evaluate alone', () => void evaluate(snapshot, tables));
  bench.add('orders fill', () => void ifOrdersFill(snapshot, tables));
  bench.add('sigma', () => void realizedVolatility(candles));
  await bench.run();
  const [all, alone, fill, sigma] = bench.tasks.map((t) => (t.result.state === 'completed' ? t.result.latency : null));
  if (!all || !alone || !fill || !sigma) throw new Error('benchmark did not complete');
  return [
    { name: 'stops: order-aware evaluation, 10 positions + 20 orders (evaluate, 10 stops at their triggers, σ odds)', unit: 'ms', median: all.p50, p99: all.p99, goal: '< 10 ms median', met: all.p50 < 10 },
    { name: '  evaluate alone, same account', unit: 'ms', median: alone.p50, p99: alone.p99 },
    { name: '  liquidation if my orders fill (10 fills, before and after)', unit: 'ms', median: fill.p50, p99: fill.p99 },
    { name: '  realized σ from 169 hourly closes (decimal.js ln)', unit: 'ms', median: sigma.p50, p99: sigma.p99 },
  ];
}
