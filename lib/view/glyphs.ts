/**
 * Characters in names we show that many systems' fonts lack, and what to write instead.
 * "Ⓢ" (U+24C8 CIRCLED LATIN CAPITAL LETTER S, Binance's "USDⓈ-M") is missing from DejaVu and
 * Liberation (a bare Linux) and renders there as an empty box; "USDS-M" says the same thing.
 * Pure: whether a glyph renders is the caller's question (components/GlyphText.tsx measures it).
 */

/** Glyph → plain fallback. */
export const GLYPH_FALLBACKS: Readonly<Record<string, string>> = { 'Ⓢ': 'S' };

/**
 * `text` with every character in {@link GLYPH_FALLBACKS} that `renders(ch)` says cannot be drawn
 * replaced by its fallback; other characters unchanged.
 * @example withGlyphFallbacks('Binance USDⓈ-M', () => false) === 'Binance USDS-M'
 */
export function withGlyphFallbacks(text: string, renders: (ch: string) => boolean): string {
  let out = '';
  for (const ch of text) out += ch in GLYPH_FALLBACKS && !renders(ch) ? GLYPH_FALLBACKS[ch] : ch;
  return out;
}

/** The characters of `text` that have a fallback (to measure once each). */
export function fallbackGlyphsIn(text: string): string[] {
  return [...new Set([...text].filter((ch) => ch in GLYPH_FALLBACKS))];
}
