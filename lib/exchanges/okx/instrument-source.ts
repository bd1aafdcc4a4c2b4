/**
 * OKX instruments: `GET https://www.okx.com/api/v5/public/instruments?instType=SWAP` (public, one request
 * for every perpetual) → `{code:"0", data:[{instId, tickSz, lotSz, ctVal}]}`.
 * Docs: https://www.okx.com/docs-v5/en/#public-data-rest-api-get-instruments
 */
import * as v from 'valibot';
import type { InstrumentSpec } from '../../engine/instruments';
import type { InstrumentSource } from '../common/instrument-source';
import { fetchJson, parseResponse } from '../common/rest';

const Text = v.pipe(v.string(), v.regex(/^\d+(\.\d+)?$/, 'must be a non-negative decimal'));

const Instruments = v.object({
  code: v.literal('0', 'code must be "0"'),
  data: v.array(v.object({ instId: v.string(), tickSz: Text, lotSz: v.optional(Text), ctVal: v.optional(v.union([Text, v.literal('')])) })),
});

/**
 * Validate an instruments answer and return the specs of the wanted instruments.
 * @throws Error naming the first invalid field
 */
export function okxInstruments(raw: unknown, symbols: readonly string[], source: string, asOf: string): Record<string, InstrumentSpec> {
  const r = parseResponse(Instruments, raw, 'okx instruments');
  const want = new Set(symbols);
  const out: Record<string, InstrumentSpec> = {};
  for (const i of r.data) {
    if (!want.has(i.instId)) continue;
    out[i.instId] = {
      tickSize: i.tickSz,
      ...(i.lotSz !== undefined && { lotSize: i.lotSz }),
      ...(i.ctVal !== undefined && i.ctVal !== '' && { contractValue: i.ctVal }),
      source,
      asOf,
    };
  }
  return out;
}

export const okxInstrumentSource: InstrumentSource = {
  exchange: 'okx',
  async fetchInstruments(symbols, ctx) {
    const url = ctx.url('/api/v5/public/instruments', 'instType=SWAP');
    return okxInstruments(await fetchJson(ctx.fetch, url, 'okx instruments'), symbols, url, new Date().toISOString());
  },
};
