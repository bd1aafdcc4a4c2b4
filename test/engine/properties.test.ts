// @vitest-environment node
/**
 * Laws of the margin engine, checked with fast-check over bounded random accounts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { D } from '../../lib/engine/decimal';
import { evaluate, whatIf, withMarks, tierAt, type AccountSnapshot } from '../../lib/engine';
import { defaultTierTables } from '../../lib/exchanges/tiers';
import { account, pos } from './helpers';

const binance = defaultTierTables('binance-usdm');
const hyper = defaultTierTables('hyperliquid');
const SEED = { seed: 20261120, numRuns: 150 };

const dec = (min: number, max: number, dp = 4) =>
  fc.integer({ min: Math.round(min * 10 ** dp), max: Math.round(max * 10 ** dp) }).map((n) => new D(n).div(10 ** dp).toFixed());

/** A random cross account on Binance USDⓈ-M symbols with bundled brackets. */
const crossAccount: fc.Arbitrary<AccountSnapshot> = fc
  .record({
    wallet: dec(100, 2_000_000, 2),
    legs: fc.uniqueArray(
      fc.record({
        symbol: fc.constantFrom('BTCUSDT', 'ETHUSDT', 'SOLUSDT', 'XRPUSDT', 'DOGEUSDT'),
        side: fc.constantFrom('long' as const, 'short' as const),
        notional: dec(10, 3_000_000, 2),
        entryMove: fc.double({ min: -0.2, max: 0.2, noNaN: true }),
      }),
      { minLength: 1, maxLength: 4, selector: (l) => l.symbol },
    ),
  })
  .map(({ wallet, legs }) => {
    const marks: Record<string, string> = { BTCUSDT: '90000', ETHUSDT: '3000', SOLUSDT: '150', XRPUSDT: '0.55', DOGEUSDT: '0.12' };
    return account({
      walletBalance: wallet,
      positions: legs.map((l) => {
        const mark = new D(marks[l.symbol]!);
        const size = new D(l.notional).div(mark).toDecimalPlaces(3).plus('0.001');
        return pos({
          symbol: l.symbol,
          side: l.side,
          size: size.toFixed(),
          markPrice: mark.toFixed(),
          entryPrice: mark.times(1 + Math.round(l.entryMove * 1000) / 1000).toDecimalPlaces(4).toFixed(),
          leverage: '20',
        });
      }),
    });
  });

describe('properties', () => {
  it('at the liquidation price, margin balance equals maintenance margin', () => {
    fc.assert(
      fc.property(crossAccount, (s) => {
        const r = evaluate(s, binance);
        fc.pre(r.riskRatio !== null && new D(r.riskRatio).lt(1));
        for (const p of r.positions) {
          if (p.liquidationPrice === null) continue;
          const at = evaluate(withMarks(s, { [p.symbol]: p.liquidationPrice }), binance);
          const mm = new D(at.maintenanceMargin!);
          const gap = new D(at.marginBalance!).minus(mm).abs();
          // The LP is rounded to 8 dp toward the mark: the gap is at most size × 1e-8 plus MM's rounding.
          const size = s.positions.filter((x) => x.symbol === p.symbol).reduce((a, x) => a.plus(x.size), new D(0));
          expect(gap.lte(size.times('2e-8').plus('2e-8'))).toBe(true);
        }
      }),
      SEED,
    );
  });

  it('the printed liquidation price is on the tick, never further from the mark than the solved one, and within one tick of it', () => {
    fc.assert(
      fc.property(crossAccount, fc.constantFrom('0.1', '0.01', '0.0001', '0.00001'), (s, tick) => {
        const instruments = Object.fromEntries(s.positions.map((p) => [p.symbol, { tickSize: tick, source: 'test', asOf: 'test' }]));
        const r = evaluate(s, binance, { instruments });
        for (const p of r.positions) {
          if (p.liquidationPrice === null) {
            expect(p.liquidationPriceDisplayed).toBeNull();
            continue;
          }
          const raw = new D(p.liquidationPrice);
          const shown = new D(p.liquidationPriceDisplayed!);
          const towardMark = new D(p.markPrice!).gte(raw) ? shown.minus(raw) : raw.minus(shown);
          expect(shown.mod(tick).isZero()).toBe(true);
          // the solved price is itself rounded toward the mark at 8 dp, hence the 1e-8
          expect(towardMark.gte('-1e-8')).toBe(true);
          expect(towardMark.lt(tick)).toBe(true);
        }
      }),
      SEED,
    );
  });

  it('at the bankruptcy price, the cross margin balance is zero', () => {
    fc.assert(
      fc.property(crossAccount, (s) => {
        const r = evaluate(s, binance);
        fc.pre(r.riskRatio !== null && new D(r.riskRatio).lt(1));
        for (const p of r.positions) {
          if (p.bankruptcyPrice === null) continue;
          const at = evaluate(withMarks(s, { [p.symbol]: p.bankruptcyPrice }), binance);
          const size = s.positions.filter((x) => x.symbol === p.symbol).reduce((a, x) => a.plus(x.size), new D(0));
          expect(new D(at.marginBalance!).abs().lte(size.times('2e-8').plus('2e-8'))).toBe(true);
        }
      }),
      SEED,
    );
  });

  it('adding wallet balance moves a cross liquidation price away from the mark', () => {
    fc.assert(
      fc.property(crossAccount, dec(1, 100_000, 2), (s, extra) => {
        const before = evaluate(s, binance);
        const after = evaluate({ ...s, walletBalance: new D(s.walletBalance!).plus(extra).toFixed() }, binance);
        before.positions.forEach((p, i) => {
          const q = after.positions[i]!;
          if (p.liquidationPrice === null || q.liquidationPrice === null || p.distanceToLiquidation === '0') return;
          expect(new D(q.distanceToLiquidation!).gte(p.distanceToLiquidation!)).toBe(true);
        });
      }),
      SEED,
    );
  });

  it('risk ratio is monotonic in adverse price (single position)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('long' as const, 'short' as const),
        dec(0.01, 50, 3),
        fc.array(fc.double({ min: 0, max: 0.3, noNaN: true }), { minLength: 2, maxLength: 6 }),
        (side, size, moves) => {
          const s = account({ walletBalance: '100000', positions: [pos({ symbol: 'BTCUSDT', side, size, entryPrice: '90000', markPrice: '90000' })] });
          const sorted = [...moves].sort((a, b) => a - b);
          let prev: D | null = null;
          for (const m of sorted) {
            const adverse = side === 'long' ? 1 - m : 1 + m;
            const r = evaluate(withMarks(s, { BTCUSDT: new D(90000).times(adverse.toFixed(6)).toFixed() }), binance);
            if (r.riskRatio === null) return; // past bankruptcy: no ratio, and it says why
            const rr = new D(r.riskRatio);
            if (prev !== null) expect(rr.gte(prev)).toBe(true);
            prev = rr;
          }
        },
      ),
      SEED,
    );
  });

  it('bracket maintenance amounts are continuous at tier edges (every bundled table)', () => {
    for (const tables of [binance, hyper, defaultTierTables('bybit')]) {
      for (const table of Object.values(tables)) {
        for (const tier of table.tiers.slice(0, -1)) {
          const edge = new D(tier.cap!);
          const below = tierAt(table, edge);
          const above = tierAt(table, edge.plus('1e-9'));
          const mmBelow = edge.times(below.mmr).minus(below.maintAmount);
          const mmAbove = edge.times(above.mmr).minus(above.maintAmount);
          expect(mmBelow.minus(mmAbove).abs().lte('1e-6'), `${table.symbol} at ${tier.cap}`).toBe(true);
        }
      }
    }
  });

  it('position maintenance margin is continuous in mark price across bracket edges', () => {
    fc.assert(
      fc.property(dec(0.01, 30, 3), fc.constantFrom(...binance.BTCUSDT!.tiers.slice(0, -1).map((t) => t.cap!)), (size, cap) => {
        const edgePrice = new D(cap).div(size).toDecimalPlaces(8);
        const mmAt = (price: D) =>
          new D(evaluate(account({ positions: [pos({ symbol: 'BTCUSDT', size, entryPrice: '90000', markPrice: price.toFixed() })] }), binance).positions[0]!.maintenanceMargin!);
        const eps = new D('1e-6');
        const jump = mmAt(edgePrice.plus(eps)).minus(mmAt(edgePrice.minus(eps))).abs();
        // Across 2e-6 of price the MM may move by at most size × 2e-6 × highest MMR, plus output rounding.
        expect(jump.lte(new D(size).times('2e-6').plus('2e-8'))).toBe(true);
      }),
      SEED,
    );
  });

  it('float64-guided tier lookup picks exactly the decimal tier, also a hair from an edge', () => {
    const table = binance.BTCUSDT!;
    const caps = table.tiers.slice(0, -1).map((t) => t.cap!);
    fc.assert(
      fc.property(fc.constantFrom(...caps), fc.constantFrom('-1e-9', '-1e-12', '0', '1e-12', '1e-9', '-0.5', '0.5'), (cap, delta) => {
        const value = new D(cap).plus(delta);
        const exact = tierAt(table, value);
        const guided = tierAt(table, () => value, value.toNumber());
        expect(guided.index).toBe(exact.index);
      }),
      { seed: 7, numRuns: 200 },
    );
  });

  it('a what-if with an empty scenario changes nothing', () => {
    fc.assert(
      fc.property(crossAccount, (s) => {
        const w = whatIf(s, { moves: [] }, binance);
        expect(w.after).toEqual(w.before);
        for (const d of w.deltas) expect(d.change === null || new D(d.change).isZero()).toBe(true);
      }),
      { ...SEED, numRuns: 50 },
    );
  });

  it('hedge legs of one symbol share one cross liquidation price', () => {
    fc.assert(
      fc.property(dec(0.01, 5, 3), dec(0.01, 5, 3), (longSize, shortSize) => {
        fc.pre(longSize !== shortSize);
        const s = account({
          positionMode: 'hedge',
          walletBalance: '20000',
          positions: [
            pos({ symbol: 'BTCUSDT', side: 'long', size: longSize, entryPrice: '90000', markPrice: '90000' }),
            pos({ symbol: 'BTCUSDT', side: 'short', size: shortSize, entryPrice: '91000', markPrice: '90000' }),
          ],
        });
        const [a, b] = evaluate(s, binance).positions;
        expect(a!.liquidationPrice).toBe(b!.liquidationPrice);
      }),
      SEED,
    );
  });
});
