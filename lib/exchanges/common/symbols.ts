/** Symbol-cell helpers shared by the exchange readers. */
import type { NumberFormat } from './number';
import { leverageIn, marginModeIn } from './fields';
import type { SymbolCell } from './reader/config';

const QUOTES = ['USDT', 'USDC', 'FDUSD', 'BUSD'] as const;

/**
 * Concatenated linear-perp symbol (`BTCUSDT`, `1000PEPEUSDT`) → base and quote, or null.
 * Only USDⓈ-margined quotes are accepted (the readers cover linear contracts only).
 */
export function splitConcatSymbol(text: string): { symbol: string; base: string; quote: string } | null {
  const m = /^([A-Z0-9]{1,20})(USDT|USDC|FDUSD|BUSD)$/.exec(text.trim());
  if (!m || !QUOTES.includes(m[2] as (typeof QUOTES)[number])) return null;
  return { symbol: m[0], base: m[1]!, quote: m[2]! };
}

/**
 * Symbol cell written as `BTCUSDT` + `Perp` + `Cross 20x` (Binance) or `BTCUSDT` + `Cross 20.00x` (Bybit):
 * the first figure that is a concatenated symbol, plus margin mode and leverage tags.
 */
export function parseConcatSymbolCell(figs: readonly string[], format: NumberFormat): SymbolCell | null {
  let sym: ReturnType<typeof splitConcatSymbol> = null;
  for (const f of figs) {
    const s = splitConcatSymbol(f.replace(/\s+(?:Perp|Perpetual)$/i, ''));
    if (s) {
      if (sym && sym.symbol !== s.symbol) return null;
      sym = s;
    }
  }
  if (!sym) return null;
  return { ...sym, marginMode: marginModeIn(figs), leverage: leverageIn(figs, format) };
}
