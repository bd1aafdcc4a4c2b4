/**
 * Spot margin benchmark: full evaluation (totals, margin level, a liquidation price per
 * non-stable asset, the uniform move) of a 20-asset Binance Cross Margin account, and the same
 * plus the alert input built from it.
 */
import { Bench } from 'tinybench';
import { marginAlertInput } from '../lib/alerts/margin';
import type { SpotMarginSnapshot } from '../lib/engine/snapshot';
import { evaluateSpotMargin } from '../lib/engine/spotMargin';
import type { BenchRow } from './types';

/** n assets: USDT debt, a few borrowed coins (shorts), the rest held; level ≈ 1.6. */
export function spotMarginBenchAccount(n: number): SpotMarginSnapshot {
  const assets: SpotMarginSnapshot['assets'] = [{ asset: 'USDT', free: '1500', locked: '0', borrowed: '60000', interest: '3.2', price: '1' }];
  for (let i = 1; i < n; i++) {
    const price = (10 + 37.3 * i).toFixed(2);
    const short = i % 5 === 0;
    assets.push({
      asset: `C${i}`,
      free: short ? '0' : (5000 / Number(price)).toFixed(6),
      locked: short ? '0' : '0.5',
      borrowed: short ? (1000 / Number(price)).toFixed(6) : '0',
      interest: short ? '0.0001' : '0',
      price,
    });
  }
  return { kind: 'spot-margin', exchange: 'binance-margin', mode: 'cross', variant: 'classic', quoteAsset: 'USDT', assets, pairs: [] };
}

export async function benchSpotMargin(): Promise<BenchRow[]> {
  const snap = spotMarginBenchAccount(20);
  const check = evaluateSpotMargin(snap);
  if (check.marginLevel === null) throw new Error('bench account has no margin level');
  const bench = new Bench({ time: 800, warmupTime: 200 });
  bench.add('eval', () => void evaluateSpotMargin(snap));
  bench.add('eval+alert', () => void marginAlertInput(evaluateSpotMargin(snap), 1.1, { now: 1, snapshotAt: 1, oldestPriceAt: 1, pricesExpectedSince: null, shownFresh: true }));
  await bench.run();
  const [e, a] = bench.tasks.map((t) => (t.result.state === 'completed' ? t.result.latency : null));
  if (!e || !a) throw new Error('benchmark did not complete');
  return [
    { name: `spot margin: evaluate a 20-asset Cross Margin account (level ${check.marginLevel}, 19 liquidation prices, uniform move)`, unit: 'ms', median: e.p50, p99: e.p99, goal: '< 1 ms median', met: e.p50 < 1 },
    { name: '  … plus the alert input', unit: 'ms', median: a.p50, p99: a.p99 },
  ];
}
