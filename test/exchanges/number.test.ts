/**
 * The page-text number parser: example table plus properties.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  COMMA_DECIMAL_DOT_GROUP,
  COMMA_DECIMAL_SPACE_GROUP,
  DOT_DECIMAL,
  canonicalDecimal,
  numberFormatForLocale,
  parseNumber,
  parseNumberGeneral,
  percentToFraction,
  shiftDecimal,
} from '../../lib/exchanges/common/number';
import { addDec, cmpDec, mulDec, subDec } from '../../lib/exchanges/common/fixed';

const value = (t: string, f = DOT_DECIMAL) => {
  const r = parseNumber(t, f);
  return r.ok ? r.value : `!${r.reason}`;
};

describe('parseNumber (English pages)', () => {
  it.each([
    ['1,474.08', '1474.08'],
    ['199,917.78 USDT', '199917.78'],
    ['0.0100 BTC', '0.01'],
    ['-0.500 ETH', '-0.5'],
    ['\u2212137.50', '-137.5'],
    ['9.3792 ETH', '9.3792'],
    ['12 Cont', '12'],
    ['$1,474.08', '1474.08'],
    ['+$2,771.75', '2771.75'],
    ['-$12.40', '-12.4'],
    ['₮71,451.0', '71451'],
    ['≈20,090.73 USD', '20090.73'],
    ['2.37B', '2370000000'],
    ['1.5K', '1500'],
    ['12M', '12000000'],
    ['1.01%', '1.01'],
    ['9,885.59%', '9885.59'],
    ['\u200E+13.2930 USDT\u200E', '13.2930'.replace(/0$/, '')],
    ['1,2\u200B34.5', '1234.5'],
    ['\uFEFF0', '0'],
    ['-0.00', '0'],
    ['20x', '20'],
    ['1\u00A0234', '!garbled'],
    ['1,234', '1234'],
    ['--', '!placeholder'],
    ['—', '!placeholder'],
    ['-- / --', '!placeholder'],
    ['-- USDT', '!placeholder'],
    ['N/A', '!placeholder'],
    ['******', '!hidden'],
    ['****** USDT', '!hidden'],
    ['', '!empty'],
    ['   ', '!empty'],
    ['Market', '!garbled'],
    ['1.234,56', '!garbled'],
    ['76.500,0', '!garbled'],
    ['1,00', '!garbled'],
    ['0,010', '!garbled'],
    ['0010', '!garbled'],
    ['12,34.5', '!garbled'],
    ['1..5', '!garbled'],
    ['1.2.3', '!garbled'],
    ['+-5', '!garbled'],
    ['5 5', '!garbled'],
    ['.5', '!garbled'],
    ['686BTC', '686'],
  ])('%j → %s', (text, expected) => {
    expect(value(text)).toBe(expected);
  });

  it('reports unit, currency, sign, approx and display decimals', () => {
    expect(parseNumber('+13.2930 USDT')).toEqual({ ok: true, value: '13.293', unit: 'USDT', currency: null, percent: false, sign: '+', approx: false, displayDecimals: 4 });
    expect(parseNumber('≈-$1.50')).toMatchObject({ value: '-1.5', currency: '$', sign: '-', approx: true });
    expect(parseNumber('4.47%')).toMatchObject({ percent: true, unit: null, displayDecimals: 2 });
    // A stray letter reads as a unit word; every reader checks the unit against the meaning of the cell.
    expect(parseNumber('1.5O')).toMatchObject({ value: '1.5', unit: 'O' });
  });
});

describe('decimal-comma locales', () => {
  it.each([
    ['1.234,56', COMMA_DECIMAL_DOT_GROUP, '1234.56'],
    ['-0,500 ETH', COMMA_DECIMAL_DOT_GROUP, '-0.5'],
    ['1,01 %', COMMA_DECIMAL_DOT_GROUP, '1.01'],
    ['1,234.56', COMMA_DECIMAL_DOT_GROUP, '!garbled'],
    ['1\u202F234,56 €', COMMA_DECIMAL_SPACE_GROUP, '!garbled'], // "€" after the number is not a unit word
    ['1\u202F234,56 EUR', COMMA_DECIMAL_SPACE_GROUP, '1234.56'],
    ['1 234 567,8', COMMA_DECIMAL_SPACE_GROUP, '1234567.8'],
  ])('%j → %s', (text, format, expected) => {
    expect(value(text, format)).toBe(expected);
  });

  it('picks a format per locale and refuses unknown locales', () => {
    expect(numberFormatForLocale('en-US')).toBe(DOT_DECIMAL);
    expect(numberFormatForLocale('zh-CN')).toBe(DOT_DECIMAL);
    expect(numberFormatForLocale('de')).toBe(COMMA_DECIMAL_DOT_GROUP);
    expect(numberFormatForLocale('fr-FR')).toBe(COMMA_DECIMAL_SPACE_GROUP);
    expect(numberFormatForLocale('xx')).toBeNull();
  });
});

describe('string decimal helpers', () => {
  it.each([
    ['+007.500', '7.5'],
    ['-0.000', '0'],
    ['100', '100'],
    ['0.10', '0.1'],
  ])('canonicalDecimal(%j) = %s', (a, b) => expect(canonicalDecimal(a)).toBe(b));
  it.each([
    ['2.37', 9, '2370000000'],
    ['1.01', -2, '0.0101'],
    ['9885.59', -2, '98.8559'],
    ['-5', -3, '-0.005'],
    ['0.5', 1, '5'],
  ])('shiftDecimal(%j, %i) = %s', (a, n, b) => expect(shiftDecimal(a, n)).toBe(b));
  it('percentToFraction', () => expect(percentToFraction('0.38')).toBe('0.0038'));
  it('fixed-point add/sub/mul/cmp are exact', () => {
    expect(addDec('0.1', '0.2')).toBe('0.3');
    expect(subDec('1000', '147.5')).toBe('852.5');
    expect(mulDec('-1.5', '0.01')).toBe('-0.015');
    expect(cmpDec('2', '10')).toBe(-1);
  });
});

describe('properties', () => {
  // A decimal as the page would print it: integer part grouped by 3 with the format's separator.
  const decimalArb = fc
    .tuple(fc.boolean(), fc.bigInt({ min: 0n, max: 10n ** 15n }), fc.integer({ min: 0, max: 8 }))
    .map(([neg, n, scale]) => {
      const digits = n.toString().padStart(scale + 1, '0');
      const int = digits.slice(0, digits.length - scale);
      const frac = digits.slice(digits.length - scale);
      return { neg, int, frac };
    });
  const group = (int: string, sep: string) => int.replace(/\B(?=(\d{3})+(?!\d))/g, sep);

  it('formatting then parsing is the identity (dot decimal, with sign, unit, currency)', () => {
    fc.assert(
      fc.property(decimalArb, fc.constantFrom('', ' USDT', ' BTC', ' Cont'), fc.constantFrom('', '$'), ({ neg, int, frac }, unit, cur) => {
        const text = `${neg ? '-' : ''}${cur}${group(int, ',')}${frac ? '.' + frac : ''}${unit}`;
        const expected = canonicalDecimal(`${neg ? '-' : ''}${int}.${frac || '0'}`);
        expect(value(text)).toBe(expected);
      }),
      { seed: 42, numRuns: 500 },
    );
  });

  it('the fast path agrees with the general parser on every text (number-like and damaged)', () => {
    // Pieces of real figures and of damage: digits, separators, signs, currencies, units,
    // abbreviations, spaces, invisible marks. Concatenations cover both paths' edges.
    const piece = fc.constantFrom(
      '0', '1', '7', '12', '345', '1000', ',', ',000', ',12', '.', '.5', '.010', '+', '-', '\u2212', '$', '€', '≈', '~',
      ' ', '%', ' %', 'K', 'k', 'M', 'B', 'T', 'x', ' USDT', 'USDT', ' BTC', 'BTC', ' Cont', 'Kx', 'MB', 'ABCDEFGHIJKLM', '\u200E', '--', '*',
    );
    fc.assert(
      fc.property(fc.array(piece, { minLength: 1, maxLength: 7 }), (parts) => {
        const text = parts.join('');
        expect(parseNumber(text)).toEqual(parseNumberGeneral(text));
      }),
      { seed: 47, numRuns: 20000 },
    );
    for (const text of ['1,234.50 USDT', '-0.010 BTC', '+$2,771.75', '1.01%', '20x', '2.37B', '0,010', '1,2345', '12.', '5 K', '5Kx', '-$0', '0.5', '00.5']) {
      expect(parseNumber(text), text).toEqual(parseNumberGeneral(text));
    }
  });

  it('formatting then parsing is the identity (decimal comma)', () => {
    fc.assert(
      fc.property(decimalArb, ({ neg, int, frac }) => {
        const text = `${neg ? '-' : ''}${group(int, '.')}${frac ? ',' + frac : ''}`;
        expect(value(text, COMMA_DECIMAL_DOT_GROUP)).toBe(canonicalDecimal(`${neg ? '-' : ''}${int}.${frac || '0'}`));
      }),
      { seed: 43, numRuns: 300 },
    );
  });

  it('never returns a number for text without digits, and never a different number when invisible marks are inserted', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }).filter((s) => !/\d/.test(s)), (s) => {
        expect(parseNumber(s).ok).toBe(false);
      }),
      { seed: 44, numRuns: 300 },
    );
    fc.assert(
      fc.property(decimalArb, fc.nat(), fc.constantFrom('\u200E', '\u200F', '\u200B', '\u202A', '\u202C', '\uFEFF'), ({ int, frac }, at, mark) => {
        const text = `${group(int, ',')}${frac ? '.' + frac : ''}`;
        const i = at % (text.length + 1);
        expect(value(text.slice(0, i) + mark + text.slice(i))).toBe(value(text));
      }),
      { seed: 45, numRuns: 300 },
    );
  });
});
