/**
 * Binance USDⓈ-M instruments: `GET https://www.binance.com/fapi/v1/exchangeInfo` (public, keyless; the
 * same answer as fapi.binance.com, served on the host the extension already may reach). Per symbol:
 * `filters[filterType=PRICE_FILTER].tickSize`, `filters[filterType=LOT_SIZE].stepSize`, and on COIN-M
 * (`/dapi/v1/exchangeInfo`, ../binance-coinm/instrument-source.ts) `contractSize` (USD per contract).
 * Docs: https://developers.binance.com/docs/derivatives/usds-margined-futures/market-data/rest-api/Exchange-Information
 */
import * as v from 'valibot';
import type { InstrumentSpec } from '../../engine/instruments';
import type { InstrumentSource } from '../common/instrument-source';
import { fetchJson, parseResponse } from '../common/rest';

const Text = v.pipe(v.union([v.string(), v.number()]), v.transform(String), v.regex(/^\d+(\.\d+)?$/, 'must be a non-negative decimal'));

const ExchangeInfo = v.object({
  symbols: v.array(
    v.object({
      symbol: v.string(),
      contractSize: v.optional(Text),
      filters: v.array(v.looseObject({ filterType: v.string(), tickSize: v.optional(Text), stepSize: v.optional(Text) })),
    }),
  ),
});

/**
 * Validate an `exchangeInfo` answer (fapi or dapi) and return the specs of the wanted symbols.
 * @param inverse true for COIN-M: `contractSize` becomes the contract value (USD per contract)
 * @throws Error naming the first invalid field
 */
export function binanceInstruments(raw: unknown, symbols: readonly string[], source: string, asOf: string, inverse = false): Record<string, InstrumentSpec> {
  const info = parseResponse(ExchangeInfo, raw, inverse ? 'binance coin-m exchangeInfo' : 'binance exchangeInfo');
  const want = new Set(symbols);
  const out: Record<string, InstrumentSpec> = {};
  for (const s of info.symbols) {
    if (!want.has(s.symbol)) continue;
    const tick = s.filters.find((f) => f.filterType === 'PRICE_FILTER')?.tickSize;
    if (tick === undefined) continue;
    const lot = s.filters.find((f) => f.filterType === 'LOT_SIZE')?.stepSize;
    out[s.symbol] = {
      tickSize: tick,
      ...(lot !== undefined && { lotSize: lot }),
      ...(inverse && s.contractSize !== undefined && { contractValue: s.contractSize }),
      source,
      asOf,
    };
  }
  return out;
}

export const binanceUsdmInstrumentSource: InstrumentSource = {
  exchange: 'binance-usdm',
  async fetchInstruments(symbols, ctx) {
    const url = ctx.url('/fapi/v1/exchangeInfo');
    return binanceInstruments(await fetchJson(ctx.fetch, url, 'binance exchangeInfo'), symbols, url, new Date().toISOString());
  },
};
