/**
 * Text that may contain a glyph the system's fonts lack (lib/view/glyphs.ts, e.g. "Ⓢ" in
 * "USDⓈ-M"): written as is where the page's font stack can draw it, with its plain fallback
 * ("USDS-M") where it would render as an empty box. The full text stays in `title`.
 *
 * Whether a glyph renders is measured once per glyph and font: drawn on a canvas next to a code
 * point no font has (U+10FFFD, private use); identical pixels mean both are the missing-glyph box.
 * Where no canvas is available (tests in happy-dom) the text is left as is.
 */
import { fallbackGlyphsIn, withGlyphFallbacks } from '../lib/view/glyphs';

const cache = new Map<string, boolean>();
const NO_GLYPH = '\u{10FFFD}';

function pixels(ctx: CanvasRenderingContext2D, ch: string): string {
  ctx.clearRect(0, 0, 32, 32);
  ctx.fillText(ch, 2, 24);
  return Array.from(ctx.getImageData(0, 0, 32, 32).data).join(',');
}

/** Whether `ch` draws as a real glyph in `font` (CSS font shorthand); true when it cannot be told. */
export function glyphRenders(ch: string, font: string): boolean {
  const key = `${font}|${ch}`;
  const known = cache.get(key);
  if (known !== undefined) return known;
  let ok = true;
  try {
    const ctx = document.createElement('canvas').getContext('2d', { willReadFrequently: true }) as CanvasRenderingContext2D | null;
    if (ctx && typeof ctx.measureText === 'function') {
      ctx.canvas.width = 32;
      ctx.canvas.height = 32;
      ctx.font = font;
      ctx.fillStyle = '#000';
      ok = ctx.measureText(ch).width !== ctx.measureText(NO_GLYPH).width || pixels(ctx, ch) !== pixels(ctx, NO_GLYPH);
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
