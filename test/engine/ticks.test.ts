// @vitest-environment node
/**
 * Printed liquidation prices (lib/engine/ticks.ts): example tables from the exchanges' own figures,
 * laws over random prices and ticks, and reconciliation against a page that prints the exchange's way.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CONVENTIONS, evaluate, liquidationPriceDisplayed, roundToTick, type DisplayConvention } from '../../lib/engine';
import { D } from '../../lib/engine/decimal';
import { account, pos } from './helpers';

const bybit = CONVENTIONS.bybit.liquidationDisplay.cross;
const binance = CONVENTIONS['binance-usdm'].liquidationDisplay.cross;
const okxIsolated = CONVENTIONS.okx.liquidationDisplay.isolated;
const okxCross = CONVENTIONS.okx.liquidationDisplay.cross;

describe('liquidationPriceDisplayed: example table', () => {
  it.each([
    // Bybit help centre 360039261334: classic inverse cross long, raw 5,739.08 → printed 5,739.50 (0.5 tick)
    ['bybit long, 0.5 tick', '5739.0809', 'long', '0.5', bybit, '5739.5'],
    // Binance API prints 8 dp toward the mark (formulas.md §10.6): the decisive short, and the long
    ['binance short DOGE, 8 dp', '0.2190376680', 'short', '0.00000001', binance, '0.21903766'],
    ['binance long, 8 dp', '0.5494225888', 'long', '0.00000001', binance, '0.54942259'],
    // OKX isolated: conservative rounding, then one tick toward the mark
    ['okx isolated long on the tick', '1860.02', 'long', '0.01', okxIsolated, '1860.03'],
    ['okx isolated long between ticks', '1860.0234', 'long', '0.01', okxIsolated, '1860.04'],
    ['okx isolated short between ticks', '2200.555', 'short', '0.01', okxIsolated, '2200.54'],
    // OKX cross: no shift
    ['okx cross long', '1860.0234', 'long', '0.01', okxCross, '1860.03'],
    ['okx cross short on the tick', '2200.55', 'short', '0.01', okxCross, '2200.55'],
  ] as const)('%s: %s → %s', (_name, raw, side, tick, conv, expected) => {
    expect(liquidationPriceDisplayed(new D(raw), side, new D(tick), conv).toFixed()).toBe(expected);
  });

  it('tick unknown: rounded toward the mark at 8 dp, no shift', () => {
    expect(liquidationPriceDisplayed(new D('1860.123456789'), 'long', null, okxIsolated).toFixed()).toBe('1860.12345679');
    expect(liquidationPriceDisplayed(new D('1860.123456789'), 'short', null, okxIsolated).toFixed()).toBe('1860.12345678');
  });

  it('a short below one tick is never printed as 0', () => {
    expect(liquidationPriceDisplayed(new D('0.004'), 'short', new D('0.01'), okxCross).gt(0)).toBe(true);
  });

  it('roundToTick refuses a tick ≤ 0', () => {
    expect(() => roundToTick(new D(1), new D(0), 'up')).toThrow(/tick size/);
  });
});

describe('liquidationPriceDisplayed: laws', () => {
  const TICKS = ['0.5', '0.1', '0.01', '0.0001', '0.00001', '0.00000001', '1', '5'];
  const arb = fc.record({
    raw: fc.integer({ min: 1, max: 10_000_000_000 }).map((n) => new D(n).div(1e6)),
    side: fc.constantFrom('long' as const, 'short' as const),
    tick: fc.constantFrom(...TICKS).map((t) => new D(t)),
    shiftTicks: fc.constantFrom(0, 1, 2),
  });
  const conv = (shiftTicks: number): DisplayConvention => ({ rounding: 'toward-mark', shiftTicks, evidence: 'test' });
  const RUNS = { seed: 14, numRuns: 400 };

  it('never on the unsafe side of the raw price (a fortiori not by more than one tick), and within (1 + shift) ticks of it', () => {
    fc.assert(
      fc.property(arb, ({ raw, side, tick, shiftTicks }) => {
        const shown = liquidationPriceDisplayed(raw, side, tick, conv(shiftTicks));
        // long: the mark is above, unsafe = lower; short: unsafe = higher
        const towardMark = side === 'long' ? shown.minus(raw) : raw.minus(shown);
        if (raw.gt(tick.times(shiftTicks + 1))) {
          expect(towardMark.gte(0)).toBe(true);
          expect(towardMark.lt(tick.times(shiftTicks + 1))).toBe(true);
          expect(shown.mod(tick).isZero()).toBe(true);
        }
        expect(shown.gt(0)).toBe(true);
      }),
      RUNS,
    );
  });

  it('monotone in the raw price', () => {
    fc.assert(
      fc.property(arb, fc.integer({ min: 0, max: 1_000_000 }), ({ raw, side, tick, shiftTicks }, extra) => {
        const higher = raw.plus(new D(extra).div(1e6));
        const a = liquidationPriceDisplayed(raw, side, tick, conv(shiftTicks));
        const b = liquidationPriceDisplayed(higher, side, tick, conv(shiftTicks));
        if (raw.gt(tick.times(shiftTicks + 1))) expect(a.lte(b)).toBe(true);
      }),
      RUNS,
    );
  });

  it('a raw price on the tick grid is printed unchanged without a shift', () => {
    fc.assert(
      fc.property(arb, ({ raw, side, tick }) => {
        const onGrid = roundToTick(raw, tick, 'up');
        expect(liquidationPriceDisplayed(onGrid, side, tick, conv(0)).eq(onGrid)).toBe(true);
      }),
      RUNS,
    );
  });
});

describe('reconciliation compares the printed price', () => {
  // An OKX isolated USDT swap where one tick is 0.2 % of the price (a low-priced coin): the
  // exchange's one-tick shift alone is beyond the 0.1 % price tolerance.
  const TICK = '0.0001';
  const snapshotShowing = (theirs: string | null) =>
    account({
      exchange: 'okx',
      takerFeeRate: '0.0005',
      walletBalance: '0',
      positions: [
        pos({
          symbol: 'XYZ-USDT-SWAP',
          size: '10000', // base units: 1,000 contracts of 10
          contractSize: '10',
          entryPrice: '0.06',
          markPrice: '0.06',
          marginMode: 'isolated',
          isolatedMargin: '60',
          tier: { mmr: '0.02', maintAmount: '0' },
          displayed: { liquidationPrice: theirs },
        }),
      ],
    });
  const raw = new D(evaluate(snapshotShowing(null), {}).positions[0]!.liquidationPrice!);
  // What OKX prints: up to the tick (a long, the mark is above), then one more tick up.
  const printed = roundToTick(raw, new D(TICK), 'up').plus(TICK).toFixed();
  const instruments = { 'XYZ-USDT-SWAP': { tickSize: TICK, source: 'test', asOf: 'test' } };

  it('the page showing OKX\'s one-tick-shifted price reports no mismatch', () => {
    const row = evaluate(snapshotShowing(printed), {}, { instruments }).positions[0]!;
    expect(row.liquidationPriceDisplayed).toBe(printed);
    expect(row.liquidationPrice).toBe(raw.toFixed());
    const rec = row.reconciliation.find((r) => r.field === 'liquidationPrice')!;
    expect(rec.mismatch).toBe(false);
    expect(rec.diff).toBe('0');
  });

  it('without the tick size the same page is a mismatch, and the unapplied shift is named', () => {
    const row = evaluate(snapshotShowing(printed), {}).positions[0]!;
    expect(row.reconciliation.find((r) => r.field === 'liquidationPrice')!.mismatch).toBe(true);
    expect(row.reasons.some((r) => r.field === 'liquidationPriceDisplayed' && /tick size of XYZ-USDT-SWAP unknown/.test(r.reason))).toBe(true);
  });

  it('a page two ticks off is still a mismatch', () => {
    const off = new D(printed).plus(new D(TICK).times(2)).toFixed();
    const row = evaluate(snapshotShowing(off), {}, { instruments }).positions[0]!;
    expect(row.reconciliation.find((r) => r.field === 'liquidationPrice')!.mismatch).toBe(true);
  });

  it('OKX cross prints without the shift', () => {
    const s = snapshotShowing(null);
    const cross = { ...s, walletBalance: '60', positions: [{ ...s.positions[0]!, marginMode: 'cross' as const, isolatedMargin: undefined }] };
    const row = evaluate(cross, {}, { instruments }).positions[0]!;
    expect(row.liquidationPriceDisplayed).toBe(roundToTick(new D(row.liquidationPrice!), new D(TICK), 'up').toFixed());
  });
});
