// @vitest-environment node
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { D } from '../../lib/engine/decimal';
import {
  UNKNOWN,
  formatAge,
  formatDecimal,
  formatPercent,
  formatPercentValue,
  formatPrice,
  parseDecimal,
  percentToFraction,
  plainDecimal,
  signOf,
} from '../../components/format';

describe('formatDecimal', () => {
  it.each([
    ['1234567.891', { dp: 2 }, '1,234,567.89'],
    ['-1234567.895', { dp: 2 }, '\u22121,234,567.90'],
    ['999.995', { dp: 2 }, '1,000.00'],
    ['0.004', { dp: 2 }, '0.00'],
    ['-0.004', { dp: 2 }, '0.00'],
    ['-0', {}, '0'],
    ['12', { dp: 3 }, '12.000'],
    ['1e3', {}, '1,000'],
    ['1.5e-3', {}, '0.0015'],
    ['.5', { dp: 1 }, '0.5'],
    ['+7', { plus: true }, '+7'],
    ['0', { plus: true }, '0'],
    ['1234.5', { group: false, dp: 2 }, '1234.50'],
    ['1.2300', { dp: 4, trim: true }, '1.23'],
    ['000123.4500', {}, '123.45'],
  ])('%s %o → %s', (input, f, want) => {
    expect(formatDecimal(input, f)).toBe(want);
  });

  it.each([null, undefined, '', 'abc', '1,234', 'NaN', '1.2.3', '--1'])('%s is unknown, never 0', (bad) => {
    expect(formatDecimal(bad as string | null)).toBe(UNKNOWN);
  });

  describe('properties', () => {
    const dec = fc
      .tuple(fc.boolean(), fc.bigInt({ min: 0n, max: 10n ** 18n }), fc.integer({ min: 0, max: 12 }))
      .map(([neg, n, scale]) => {
        const s = n.toString().padStart(scale + 1, '0');
        return (neg ? '-' : '') + (scale ? `${s.slice(0, -scale)}.${s.slice(-scale)}` : s);
      });

    it('rounding at dp matches decimal.js ROUND_HALF_UP (half away from zero)', () => {
      fc.assert(
        fc.property(dec, fc.integer({ min: 0, max: 8 }), (s, dp) => {
          const want = new D(s).toDecimalPlaces(dp, D.ROUND_HALF_UP);
          const got = formatDecimal(s, { dp, group: false }).replace('\u2212', '-');
          expect(new D(got).eq(want)).toBe(true);
          expect(got.split('.')[1]?.length ?? 0).toBe(dp);
        }),
      );
    });

    it('formatting without grouping then parsing is the identity', () => {
      fc.assert(
        fc.property(dec, (s) => {
          const got = formatDecimal(s, { group: false }).replace('\u2212', '-');
          expect(new D(got).eq(new D(s))).toBe(true);
        }),
      );
    });

    it('grouping only inserts commas', () => {
      fc.assert(
        fc.property(dec, (s) => {
          expect(formatDecimal(s, { dp: 2 }).replace(/,/g, '')).toBe(formatDecimal(s, { dp: 2, group: false }));
        }),
      );
    });
  });
});

describe('formatPrice', () => {
  it.each([
    ['61240.123', '61,240.12'],
    ['2920', '2,920.00'],
    ['1.23456', '1.2346'],
    ['0.000123456', '0.0001235'],
    ['0.5', '0.5000'],
    [null, UNKNOWN],
  ])('%s → %s', (input, want) => {
    expect(formatPrice(input)).toBe(want);
  });
});

describe('percent', () => {
  it('formats a fraction as percent', () => {
    expect(formatPercent('0.0382')).toBe('3.82 %');
    expect(formatPercent('0.0382', 1)).toBe('3.8 %');
    expect(formatPercent('-0.038', 1, true)).toBe('\u22123.8 %');
    expect(formatPercent('2.5', 0)).toBe('250 %');
    expect(formatPercent(null)).toBe(UNKNOWN);
  });
  it('formats a percent value with its sign', () => {
    expect(formatPercentValue('-3.84')).toBe('\u22123.8 %');
    expect(formatPercentValue('2')).toBe('+2.0 %');
    expect(formatPercentValue(null)).toBe(UNKNOWN);
  });
  it('converts typed percent to a fraction string', () => {
    expect(percentToFraction('50')).toBe('0.5');
    expect(percentToFraction('-5')).toBe('-0.05');
    expect(percentToFraction('0.25')).toBe('0.0025');
    expect(percentToFraction('x')).toBeNull();
  });
});

describe('helpers', () => {
  it('plainDecimal and signOf', () => {
    expect(plainDecimal('1e-3')).toBe('0.001');
    expect(plainDecimal('-0.0')).toBe('0');
    expect(signOf('-0.001')).toBe(-1);
    expect(signOf('0.000')).toBe(0);
    expect(signOf('3')).toBe(1);
    expect(signOf(null)).toBeNull();
    expect(parseDecimal('1,2')).toBeNull();
  });
  it('formatAge', () => {
    expect(formatAge(500)).toBe('just now');
    expect(formatAge(12_000)).toBe('12 s');
    expect(formatAge(4 * 60_000 + 5000)).toBe('4 min');
    expect(formatAge(125 * 60_000)).toBe('2 h 5 min');
    expect(formatAge(3 * 86_400_000)).toBe('3 d');
    expect(formatAge(null)).toBe(UNKNOWN);
  });
});
