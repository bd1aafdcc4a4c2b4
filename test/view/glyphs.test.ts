import { describe, expect, it } from 'vitest';
import { fallbackGlyphsIn, GLYPH_FALLBACKS, withGlyphFallbacks } from '../../lib/view/glyphs';
import { EXCHANGE_NAMES } from '../../lib/engine/exchanges';

describe('glyph fallbacks', () => {
  it('writes USDS-M where Ⓢ cannot be drawn, keeps USDⓈ-M where it can', () => {
    expect(withGlyphFallbacks(EXCHANGE_NAMES['binance-usdm'], () => false)).toBe('Binance USDS-M');
    expect(withGlyphFallbacks(EXCHANGE_NAMES['binance-usdm'], () => true)).toBe('Binance USDⓈ-M');
  });
  it('asks only about characters that have a fallback, and leaves the rest alone', () => {
    const asked: string[] = [];
    expect(withGlyphFallbacks('OKX Ⓢ ⓧ', (ch) => (asked.push(ch), false))).toBe('OKX S ⓧ');
    expect(asked).toEqual(['Ⓢ']);
    expect(fallbackGlyphsIn('Bybit')).toEqual([]);
    expect(fallbackGlyphsIn('USDⓈ-M USDⓈ')).toEqual(['Ⓢ']);
  });
  it('every exchange name is covered: its unusual characters all have a fallback', () => {
    for (const name of Object.values(EXCHANGE_NAMES)) {
      for (const ch of name) if (ch.codePointAt(0)! > 0x2000) expect(Object.keys(GLYPH_FALLBACKS), `${name}: ${ch}`).toContain(ch);
    }
  });
});
