/**
 * Text that may contain a glyph the system's fonts lack (lib/view/glyphs.ts, e.g. "Ⓢ" in
 * "USDⓈ-M"): written as is where the page's font stack can draw it, with its plain fallback
 * ("USDS-M") where it would render as an empty box. The full text stays in `title`.
 *
 * Whether a glyph renders is measured once per glyph (in the page's font), on a canvas, against code points
 * no font has (private use U+E000 and U+10FFFD): the same advance width as one of them means the
 * missing-glyph box. Chromium draws one box for every missing character; Firefox draws a box with
 * the code point in hex, as wide for every 4-digit (BMP) code point as for U+E000.
 * Where no canvas is available (tests in happy-dom) the text is left as is.
 */
import { withGlyphFallbacks } from '../lib/view/glyphs';

const known: Record<string, boolean> = {};

/** Whether `ch` draws as a real glyph in the page's font (measured once per glyph); true when it cannot be told. */
export function glyphRenders(ch: string): boolean {
  if (ch in known) return known[ch]!;
  let ok = true;
  try {
    const ctx = document.createElement('canvas').getContext('2d');
    if (ctx?.measureText) {
      const s = getComputedStyle(document.body);
      ctx.font = `${s.fontSize} ${s.fontFamily}`;
      const w = ctx.measureText(ch).width;
      ok = w !== ctx.measureText('\uE000').width && w !== ctx.measureText('\u{10FFFD}').width;
    }
  } catch {
    // no canvas: leave the text as is
  }
  return (known[ch] = ok);
}

export function GlyphText({ text }: { text: string }) {
  const shown = withGlyphFallbacks(text, glyphRenders);
  return shown === text ? <>{text}</> : <span title={text}>{shown}</span>;
}
