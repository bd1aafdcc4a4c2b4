/**
 * Text that may contain a glyph the system's fonts lack (lib/view/glyphs.ts, e.g. "Ⓢ" in
 * "USDⓈ-M"): written as is where the page's font stack can draw it, with its plain fallback
 * ("USDS-M") where it would render as an empty box. The full text stays in `title`.
 *
 * Whether a glyph renders is measured once per glyph and font, on a canvas, against code points
 * no font has (private use U+E000 and U+10FFFD): the same advance width as one of them means the
 * missing-glyph box. Chromium draws one box for every missing character; Firefox draws a box with
 * the code point in hex, as wide for every 4-digit (BMP) code point as for U+E000.
 * Where no canvas is available (tests in happy-dom) the text is left as is.
 */
import { fallbackGlyphsIn, withGlyphFallbacks } from '../lib/view/glyphs';

const cache = new Map<string, boolean>();
const NO_GLYPH = ['\uE000', '\u{10FFFD}'];

/** Whether `ch` draws as a real glyph in `font` (CSS font shorthand); true when it cannot be told. */
export function glyphRenders(ch: string, font: string): boolean {
  const key = `${font}|${ch}`;
  const known = cache.get(key);
  if (known !== undefined) return known;
  let ok = true;
  try {
    const ctx = document.createElement('canvas').getContext('2d') as CanvasRenderingContext2D | null;
    if (ctx && typeof ctx.measureText === 'function') {
      ctx.font = font;
      const w = ctx.measureText(ch).width;
      ok = !NO_GLYPH.some((none) => ctx.measureText(none).width === w);
    }
  } catch {
    ok = true;
  }
  cache.set(key, ok);
  return ok;
}

function pageFont(): string {
  try {
    const s = getComputedStyle(document.body);
    return `${s.fontSize || '16px'} ${s.fontFamily || 'sans-serif'}`;
  } catch {
    return '16px sans-serif';
  }
}

export function GlyphText({ text }: { text: string }) {
  if (fallbackGlyphsIn(text).length === 0) return <>{text}</>;
  const font = pageFont();
  const shown = withGlyphFallbacks(text, (ch) => glyphRenders(ch, font));
  return shown === text ? <>{text}</> : <span title={text} data-glyph-fallback="true">{shown}</span>;
}
