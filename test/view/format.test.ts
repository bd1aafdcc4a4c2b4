// @vitest-environment node
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import Decimal from 'decimal.js';
import { D } from '../../lib/engine/decimal';
import {
  UNKNOWN,
  formatAge,
  formatDecimal,
  formatPercent,
  formatPercentValue,
  formatPrice,
  MAX_SHOWN_DECIMALS,
  parseDecimal,
  percentToFraction,
  plainDecimal,
  priceDecimals,
  signOf,
  type NumberFormat,
} from '../../lib/view/format';

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

  it.each([
    // Exact halves: half away from zero (what people check by hand; Intl 'halfEven' would give 0.12, 2, 0, 1.00, 0.12 %)
    ['0.125', { dp: 2 }, '0.13'],
    ['-0.125', { dp: 2 }, '\u22120.13'],
    ['2.5', { dp: 0 }, '3'],
    ['0.5', { dp: 0 }, '1'],
    ['1.005', { dp: 2 }, '1.01'], // a binary double would round this to 1.00
    ['-2.5', { dp: 0, plus: true }, '\u22123'],
    ['0.004', { dp: 2, plus: true }, '0.00'], // rounds to zero: no sign either way
    // Exact beyond a double: string input keeps every digit
    ['12345678901234567.895', { dp: 2 }, '12,345,678,901,234,567.90'],
    ['9007199254740993', {}, '9,007,199,254,740,993'],
    ['0.1234567890123456789', {}, '0.1234567890123456789'],
  ])('%s %o → %s (exact, half away from zero)', (input, f, want) => {
    expect(formatDecimal(input, f)).toBe(want);
  });

  it.each(['0x10', 'Infinity', '-Infinity', ' ', '1e', '1e400'])('%j is unknown, although Intl would read it as a number', (bad) => {
    expect(formatDecimal(bad)).toBe(UNKNOWN);
  });

  it('a magnitude just below 1e308 still formats in full', () => {
    expect(formatDecimal('1e307', { group: false })).toBe('1' + '0'.repeat(307));
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

describe('Intl.NumberFormat formatting equals a decimal.js reference', () => {
  /** decimal.js with room for every digit generated here (the engine's `D` keeps 32 significant digits). */
  const X = Decimal.clone({ precision: 200, toExpNeg: -200, toExpPos: 200 });
  /** The display rule written out with decimal.js: round half away from zero, `,` groups, U+2212 minus, no sign on zero. */
  function reference(s: string, f: NumberFormat): string {
    const d = new X(s);
    const dp = f.dp ?? Math.min(d.decimalPlaces(), MAX_SHOWN_DECIMALS);
    const r = d.toDecimalPlaces(dp, X.ROUND_HALF_UP);
    let text = r.abs().toFixed(dp);
    if (f.trim && text.includes('.')) text = text.replace(/\.?0+$/, '');
    const [int, frac] = text.split('.') as [string, string | undefined];
    const grouped = f.group === false ? int : int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
    const sign = r.isZero() ? '' : r.isNeg() ? '\u2212' : f.plus ? '+' : '';
    return sign + grouped + (frac ? `.${frac}` : '');
  }

  /** A string of min…max decimal digits, every length equally likely (fast-check's default favours short strings). */
  const digits = (min: number, max: number) =>
    fc.integer({ min, max }).chain((n) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: n, maxLength: n }));
  /** Plain decimals up to 30 integer and 22 fraction digits, some with an exponent. */
  const anyDecimal = fc
    .tuple(fc.constantFrom('', '-', '+'), digits(1, 30), digits(0, 22), fc.option(fc.integer({ min: -12, max: 12 }), { nil: undefined }))
    .map(([sign, int, frac, exp]) => `${sign}${int}${frac ? `.${frac}` : ''}${exp === undefined ? '' : `e${exp}`}`);
  /** Exact halves at `dp`: n digits, then "5", then zeros (the case where rounding modes differ). */
  const halfAt = (dp: number) =>
    fc
      .tuple(fc.boolean(), digits(1, 20), digits(dp, dp), fc.integer({ min: 0, max: 3 }))
      .map(([neg, int, frac, zeros]) => `${neg ? '-' : ''}${int}.${frac}5${'0'.repeat(zeros)}`);
  const options = fc.record(
    { dp: fc.integer({ min: 0, max: 12 }), group: fc.boolean(), plus: fc.boolean(), trim: fc.boolean() },
    { requiredKeys: [] },
  );

  it('formatDecimal(s, f) is the reference text, for any decimal and options', () => {
    fc.assert(
      fc.property(anyDecimal, options, (s, f) => {
        expect(formatDecimal(s, f)).toBe(reference(s, f));
      }),
      { numRuns: 2000 },
    );
  });

  it('exact halves round away from zero (half-even would differ on about half of them)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10 }).chain((dp) => fc.tuple(fc.constant(dp), halfAt(dp))),
        fc.boolean(),
        ([dp, s], plus) => {
          expect(formatDecimal(s, { dp, plus })).toBe(reference(s, { dp, plus }));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('formatPrice and formatPercent are the reference at their scale', () => {
    fc.assert(
      fc.property(anyDecimal, fc.integer({ min: 0, max: 6 }), (s, dp) => {
        const p = parseDecimal(s)!;
        expect(formatPrice(s)).toBe(reference(s, { dp: priceDecimals(p) }));
        expect(formatPercent(s, dp)).toBe(`${reference(new X(s).times(100).toFixed(), { dp })} %`);
      }),
      { numRuns: 1000 },
    );
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
