/**
 * Engine benchmarks: full evaluation (aggregates, every liquidation price with bracket
 * search, uniform move) of 1-, 10- and 50-position cross accounts, beside a plain float64
 * implementation of the same Binance USDⓈ-M formulas measured in the same run.
 */
import { Bench } from 'tinybench';
import { evaluate, type AccountSnapshot, type TierTable, type TierTables } from '../lib/engine';
import { defaultTierTables } from '../lib/exchanges/tiers';
import type { BenchRow } from './types';

const btc = defaultTierTables('binance-usdm').BTCUSDT!;

/** n cross positions on synthetic symbols sharing BTCUSDT's brackets, mixed long/short. */
export function benchAccount(n: number): { snapshot: AccountSnapshot; tables: TierTables } {
  const tables: Record<string, TierTable> = {};
  const positions = Array.from({ length: n }, (_, i) => {
    const symbol = `SYM${i}USDT`;
    tables[symbol] = { ...btc, symbol };
    const mark = 1000 + 37 * i;
    return {
      symbol,
      side: i % 3 === 2 ? ('short' as const) : ('long' as const),
      size: String(5 + (i % 7) * 40),
      contract: 'linear' as const,
      entryPrice: String(mark * (i % 2 ? 1.02 : 0.97)),
      markPrice: String(mark),
      marginMode: 'cross' as const,
      leverage: '20',
    };
  });
  // wallet = 8 % of gross notional: every position has a liquidation price within reach
  const gross = positions.reduce((a, p) => a + Number(p.size) * Number(p.markPrice), 0);
  return { snapshot: { exchange: 'binance-usdm', positionMode: 'one-way', walletBalance: (gross * 0.08).toFixed(2), positions }, tables };
}

interface FTier { floor: number; cap: number; mmr: number; cum: number }

/** The same formulas in float64: MM by bracket, cross LP per symbol with bracket search, uniform move by bisection. */
export function evaluateFloat(snapshot: AccountSnapshot, tables: TierTables): { riskRatio: number; lps: number[] } {
  const ftiers = new Map<string, FTier[]>();
  const tiersOf = (symbol: string) => {
    let t = ftiers.get(symbol);
    if (!t) {
      t = tables[symbol]!.tiers.map((x) => ({ floor: +x.floor, cap: x.cap === null ? Infinity : +x.cap, mmr: +x.mmr, cum: +x.maintAmount }));
      ftiers.set(symbol, t);
    }
    return t;
  };
  const tierAt = (tiers: FTier[], notional: number) => tiers.find((t) => notional <= t.cap) ?? tiers[tiers.length - 1]!;
  const ps = snapshot.positions.map((p) => ({ symbol: p.symbol, s: p.side === 'long' ? 1 : -1, q: +p.size, ep: +p.entryPrice, mp: +p.markPrice!, tiers: tiersOf(p.symbol) }));
  const wb = +snapshot.walletBalance!;
  const mmOf = (p: (typeof ps)[number], price: number) => {
    const t = tierAt(p.tiers, p.q * price);
    return p.q * price * t.mmr - t.cum;
  };
  let upnl = 0;
  let mm = 0;
  for (const p of ps) {
    upnl += p.s * p.q * (p.mp - p.ep);
    mm += mmOf(p, p.mp);
  }
  const mb = wb + upnl;
  const lps = ps.map((p) => {
    const otherUpnl = upnl - p.s * p.q * (p.mp - p.ep);
    const otherMm = mm - mmOf(p, p.mp);
    for (const t of p.tiers) {
      const lp = (wb - otherMm + otherUpnl + t.cum - p.s * p.q * p.ep) / (p.q * t.mmr - p.s * p.q);
      const n = p.q * lp;
      if (lp > 0 && n > t.floor && n <= t.cap) return lp;
    }
    return NaN;
  });
  // uniform move down, by bisection on x in [-1, 0]
  const f = (x: number) => {
    let e = wb;
    for (const p of ps) e += p.s * p.q * (p.mp * (1 + x) - p.ep) - mmOf(p, p.mp * (1 + x));
    return e;
  };
  let lo = -0.999999, hi = 0;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (f(mid) > 0) hi = mid;
    else lo = mid;
  }
  return { riskRatio: mm / mb, lps };
}

export async function benchEngine(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const n of [1, 10, 50]) {
    const { snapshot, tables } = benchAccount(n);
    // sanity: both implementations agree on every liquidation price to 1e-6 relative
    const exact = evaluate(snapshot, tables);
    const fl = evaluateFloat(snapshot, tables);
    exact.positions.forEach((p, i) => {
      const a = Number(p.liquidationPrice);
      const b = fl.lps[i]!;
      if (p.liquidationPrice === null && Number.isNaN(b)) return;
      if (!(Math.abs(a - b) <= 1e-6 * Math.abs(a))) throw new Error(`engine and float64 disagree on ${p.symbol}: ${a} vs ${b}`);
    });
    const bench = new Bench({ time: n === 50 ? 1500 : 800, warmupTime: 200 });
    bench.add(`engine ${n}`, () => void evaluate(snapshot, tables));
    bench.add(`float64 ${n}`, () => void evaluateFloat(snapshot, tables));
    await bench.run();
    const [eng, ref] = bench.tasks.map((t) => (t.result.state === 'completed' ? t.result.latency : null));
    if (!eng || !ref) throw new Error('benchmark did not complete');
    rows.push({
      name: `engine: evaluate ${n}-position cross account`,
      unit: 'ms',
      median: eng.p50,
      p99: eng.p99,
      ...(n === 10 && { goal: '< 1 ms median', met: eng.p50 < 1 }),
    });
    rows.push({ name: `  float64 reference, ${n} positions`, unit: 'ms', median: ref.p50, p99: ref.p99 });
    rows.push({ name: `  engine / float64, ${n} positions`, unit: 'x', median: eng.p50 / ref.p50, p99: eng.p99 / ref.p99 });
  }
  // The same 10-position account with a tick size per symbol: liquidation prices also printed on the tick
  // (lib/engine/ticks.ts), as the worker evaluates once the instrument specs have arrived.
  const { snapshot, tables } = benchAccount(10);
  const instruments = Object.fromEntries(snapshot.positions.map((p) => [p.symbol, { tickSize: '0.01', source: 'bench', asOf: 'bench' }]));
  const plain = new Bench({ time: 800, warmupTime: 200 });
  plain.add('without ticks', () => void evaluate(snapshot, tables));
  plain.add('with ticks', () => void evaluate(snapshot, tables, { instruments }));
  await plain.run();
  const [without, withTicks] = plain.tasks.map((t) => (t.result.state === 'completed' ? t.result.latency : null));
  if (!without || !withTicks) throw new Error('benchmark did not complete');
  rows.push({
    name: 'engine: evaluate 10-position cross account, prices printed on the tick',
    unit: 'ms',
    median: withTicks.p50,
    p99: withTicks.p99,
    goal: '< 1 ms median',
    met: withTicks.p50 < 1,
    note: `without ticks in the same run: ${without.p50.toFixed(4)} ms median (ratio ${(withTicks.p50 / without.p50).toFixed(2)})`,
  });
  return rows;
}
