/**
 * Bybit instruments: `GET https://api.bybit.com/v5/market/instruments-info?category=<linear|inverse>&symbol=<SYMBOL>`
 * (public) → `{retCode:0, result:{list:[{symbol, priceFilter:{tickSize}, lotSizeFilter:{qtyStep}}]}}`.
 * Symbols ending in `USD` (BTCUSD) are inverse, every other one linear.
 * Docs: https://bybit-exchange.github.io/docs/v5/market/instrument
 */
import * as v from 'valibot';
import type { InstrumentSpec } from '../../engine/instruments';
import type { InstrumentSource } from '../common/instrument-source';
import { fetchJson, parseResponse } from '../common/rest';
import { BYBIT_TIER_BATCH } from './tier-source';

const Text = v.pipe(v.string(), v.regex(/^\d+(\.\d+)?$/, 'must be a non-negative decimal'));

const InstrumentsInfo = v.object({
  retCode: v.literal(0, 'retCode must be 0'),
  result: v.object({
    list: v.array(v.object({ symbol: v.string(), priceFilter: v.object({ tickSize: Text }), lotSizeFilter: v.object({ qtyStep: v.optional(Text) }) })),
  }),
});

/** Bybit's category for a snapshot symbol: `inverse` for coin-margined (…USD), else `linear`. */
export function bybitCategory(symbol: string): 'linear' | 'inverse' {
  return /USD$/.test(symbol) ? 'inverse' : 'linear';
}

/**
 * Validate one instruments-info answer and return the spec of `symbol` (null when not listed).
 * @throws Error naming the first invalid field
 */
export function bybitInstrument(raw: unknown, symbol: string, source: string, asOf: string): InstrumentSpec | null {
  const r = parseResponse(InstrumentsInfo, raw, `bybit instruments-info ${symbol}`);
  const row = r.result.list.find((x) => x.symbol === symbol);
  if (!row) return null;
  return { tickSize: row.priceFilter.tickSize, ...(row.lotSizeFilter.qtyStep !== undefined && { lotSize: row.lotSizeFilter.qtyStep }), source, asOf };
}

/** One request per symbol, in batches of {@link BYBIT_TIER_BATCH}; any failed or invalid response fails the refresh. */
export const bybitInstrumentSource: InstrumentSource = {
  exchange: 'bybit',
  async fetchInstruments(symbols, ctx) {
    const asOf = new Date().toISOString();
    const out: Record<string, InstrumentSpec> = {};
    const one = async (symbol: string) => {
      const url = ctx.url('/v5/market/instruments-info', `category=${bybitCategory(symbol)}&symbol=${encodeURIComponent(symbol)}`);
      const spec = bybitInstrument(await fetchJson(ctx.fetch, url, `bybit instruments-info ${symbol}`), symbol, url, asOf);
      if (spec) out[symbol] = spec;
    };
    for (let i = 0; i < symbols.length; i += BYBIT_TIER_BATCH) await Promise.all(symbols.slice(i, i + BYBIT_TIER_BATCH).map(one));
    return out;
  },
};
