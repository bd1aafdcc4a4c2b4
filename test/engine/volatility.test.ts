// @vitest-environment node
/**
 * Realized volatility against a published example and an independent float64 computation;
 * the barrier probability against known values of the normal distribution, and its laws.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DAY_MS, HOUR_MS, normalCdf, realizedVolatility, sigmaDistance, touchProbability, windowLabel, DEFAULT_WINDOW, type Candle } from '../../lib/engine/volatility';

describe('realizedVolatility', () => {
  it('Hull, Options, Futures and Other Derivatives (8th ed.), Table 14.1: 21 daily closes → s = 0.01216, σ = 0.193 a year (252 days)', () => {
    const closes = ['20.00', '20.10', '19.90', '20.00', '20.50', '20.25', '20.90', '20.90', '20.90', '20.75', '20.75', '21.00', '21.10', '20.90', '20.90', '21.25', '21.40', '21.40', '21.25', '21.75', '22.00'];
    const candles = closes.map((close, i) => ({ openTime: i * DAY_MS, close }));
    const v = realizedVolatility(candles, { intervalMs: DAY_MS, horizonMs: 252 * DAY_MS, lookbackMs: 365 * DAY_MS, minReturns: 2 });
    expect(v.sigma).not.toBeNull();
    if (v.sigma === null) return;
    expect(v.returns).toBe(20);
    expect(Number(v.sigmaPerInterval)).toBeCloseTo(0.01216, 5);
    expect(Number(v.sigma)).toBeCloseTo(0.193, 3);
  });

  /** Independent reference: float64, one pass (Welford), natural log of each ratio. */
  function reference(closes: number[], perHorizon: number): number {
    let n = 0, mean = 0, m2 = 0;
    for (let i = 1; i < closes.length; i++) {
      const r = Math.log(closes[i]! / closes[i - 1]!);
      n++;
      const d = r - mean;
      mean += d / n;
      m2 += d * (r - mean);
    }
    return Math.sqrt(m2 / (n - 1)) * Math.sqrt(perHorizon);
  }

  it('7 days of 1-hour closes: 168 returns, 1-day σ equals the float64 reference', () => {
    let x = 60000;
    let seed = 12345;
    const closes: number[] = [];
    for (let i = 0; i < 169; i++) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      x = Math.round(x * (1 + ((seed / 2 ** 31) - 0.5) * 0.02) * 10) / 10;
      closes.push(x);
    }
    const candles: Candle[] = closes.map((c, i) => ({ openTime: 1_700_000_000_000 - (1_700_000_000_000 % HOUR_MS) + i * HOUR_MS, close: c.toFixed(1) }));
    const v = realizedVolatility(candles);
    expect(v.sigma).not.toBeNull();
    if (v.sigma === null) return;
    expect(v.returns).toBe(168);
    expect(v.label).toBe('1-day σ from 1-hour log returns over 7 days');
    expect(Math.abs(Number(v.sigma) - reference(closes, 24))).toBeLessThan(1e-8);
  });

  it('a gap in the candles drops the return across it; older candles than the window are ignored', () => {
    const c = (h: number, close: string): Candle => ({ openTime: h * HOUR_MS, close });
    const v = realizedVolatility([c(0, '100'), c(1, '101'), c(3, '100'), c(4, '102'), c(5, '101')], { minReturns: 2 });
    expect(v.sigma !== null && v.returns).toBe(3);
    const old = realizedVolatility([c(-500, '50'), c(0, '100'), c(1, '101'), c(2, '100')], { minReturns: 2 });
    expect(old.sigma !== null && old.returns).toBe(2);
  });

  it('no candles or too few: σ unknown with a reason, never a default', () => {
    const none = realizedVolatility([]);
    expect(none.sigma).toBeNull();
    expect(none.sigma === null && none.reason).toBe('no candles');
    const few = realizedVolatility(Array.from({ length: 10 }, (_, i) => ({ openTime: i * HOUR_MS, close: '100' })));
    expect(few.sigma === null && few.reason).toMatch(/too few candles: 9 returns, 24 needed/);
  });

  it('a close that is not a positive decimal throws', () => {
    expect(() => realizedVolatility([{ openTime: 0, close: '0' }])).toThrow(/> 0/);
  });

  it('labels its window', () => {
    expect(windowLabel(DEFAULT_WINDOW)).toBe('1-day σ from 1-hour log returns over 7 days');
    expect(windowLabel({ ...DEFAULT_WINDOW, intervalMs: 4 * HOUR_MS, lookbackMs: 30 * DAY_MS })).toBe('1-day σ from 4-hour log returns over 30 days');
  });
});

describe('touch probability (reflection principle, driftless)', () => {
  it('normal CDF matches table values', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 6);
    expect(normalCdf(-1)).toBeCloseTo(0.158655254, 6);
    expect(normalCdf(-3)).toBeCloseTo(0.001349898, 7);
  });

  it('a barrier one σ away is touched within the horizon with 2·Φ(−1) ≈ 31.73 %; two σ ≈ 4.55 %', () => {
    const sigma = '0.05';
    const oneSigma = (100 * Math.exp(-0.05)).toFixed(10);
    expect(sigmaDistance('100', oneSigma, sigma)).toBe('1');
    expect(Number(touchProbability('100', oneSigma, sigma))).toBeCloseTo(0.3173105, 6);
    const twoSigma = (100 * Math.exp(0.1)).toFixed(10);
    expect(Number(touchProbability('100', twoSigma, sigma))).toBeCloseTo(0.0455003, 6);
    // over 4 horizons σ doubles: the 2σ barrier is then 1σ away
    expect(Number(touchProbability('100', twoSigma, sigma, '4'))).toBeCloseTo(0.3173105, 6);
  });

  it('unknown σ gives unknown figures; the barrier at the price is certain', () => {
    expect(touchProbability('100', '90', null)).toBeNull();
    expect(sigmaDistance('100', '90', null)).toBeNull();
    expect(touchProbability('100', '100', '0.05')).toBe('1');
  });

  it('laws: within [0, 1], falling with distance, rising with σ and with time', () => {
    const price = fc.integer({ min: 1, max: 1_000_000 });
    const frac = fc.integer({ min: 1, max: 9_000 }); // barrier distance in 1/10 000 of the price
    const sig = fc.integer({ min: 1, max: 3_000 }); // σ in 1/10 000
    fc.assert(
      fc.property(price, frac, frac, sig, sig, fc.boolean(), (p, d1, d2, s1, s2, up) => {
        const barrier = (d: number) => (up ? p * (1 + d / 10_000) : p * (1 - d / 10_000)).toFixed(8);
        const prob = (d: number, s: number, h = '1') => Number(touchProbability(String(p), barrier(d), String(s / 10_000), h));
        const [near, far] = d1 <= d2 ? [d1, d2] : [d2, d1];
        const [lo, hi] = s1 <= s2 ? [s1, s2] : [s2, s1];
        const a = prob(near, lo);
        expect(a).toBeGreaterThanOrEqual(0);
        expect(a).toBeLessThanOrEqual(1);
        expect(prob(far, lo)).toBeLessThanOrEqual(a);
        expect(prob(near, hi)).toBeGreaterThanOrEqual(a);
        expect(prob(near, lo, '2')).toBeGreaterThanOrEqual(a);
      }),
      { seed: 99, numRuns: 300 },
    );
  });
});

describe('liquidationOdds', async () => {
  const { evaluate } = await import('../../lib/engine');
  const { liquidationOdds } = await import('../../lib/engine/liquidationOdds');
  const { account, pos } = await import('./helpers');
  const snap = account({
    walletBalance: '1000',
    positions: [
      pos({ symbol: 'BTCUSDT', size: '0.1', entryPrice: '60000', markPrice: '60000', tier: { mmr: '0.004', maintAmount: '0' } }),
      pos({ symbol: 'ETHUSDT', size: '1', entryPrice: '3000', markPrice: '3000', tier: { mmr: '0.004', maintAmount: '0' } }),
    ],
  });
  const est = (sigma: string) => ({ sigma, sigmaPerInterval: '0', returns: 168, from: 0, to: 0, window: DEFAULT_WINDOW, label: windowLabel(DEFAULT_WINDOW) });
  it('per position from its own σ; the account takes the worst; a symbol without candles stays unknown', () => {
    const r = evaluate(snap, {});
    const odds = liquidationOdds(r, { BTCUSDT: est('0.03') });
    const btc = odds.positions[0]!;
    const lp = r.positions[0]!.liquidationPrice!;
    expect(btc.sigmaDistance).toBe(sigmaDistance('60000', lp, '0.03'));
    expect(btc.touch24h).toBe(touchProbability('60000', lp, '0.03'));
    expect(btc.window).toBe('1-day σ from 1-hour log returns over 7 days');
    expect(odds.positions[1]!.touch24h).toBeNull();
    expect(odds.positions[1]!.reason).toMatch(/no candles/);
    expect(odds.touch24h).toBe(btc.touch24h);
    expect(odds.worst).toBe(0);
    expect(odds.unknown).toBe(1);
  });
});
