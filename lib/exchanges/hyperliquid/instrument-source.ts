/**
 * Hyperliquid instruments from `POST https://api.hyperliquid.xyz/info {"type":"meta"}` →
 * `{universe:[{name, szDecimals, maxLeverage}]}`. Hyperliquid has no fixed tick: a perp price carries
 * "up to 5 significant figures, and no more than MAX_DECIMALS − szDecimals decimal places", MAX_DECIMALS
 * = 6 for perps; the lot size is 10^−szDecimals
 * (https://hyperliquid.gitbook.io/hyperliquid-docs/for-developers/api/tick-and-lot-size). So the spec is
 * `tickSize` = 10^−(6 − szDecimals) with `significantFigures` 5 (lib/engine/instruments.ts `tickAt`).
 */
import * as v from 'valibot';
import { D } from '../../engine/decimal';
import type { InstrumentSpec } from '../../engine/instruments';
import type { InstrumentSource } from '../common/instrument-source';
import { fetchJson, parseResponse } from '../common/rest';

/** Hyperliquid perps: at most this many price decimals before `szDecimals` is taken off. */
export const HYPERLIQUID_PERP_MAX_DECIMALS = 6;
/** Hyperliquid prices: at most this many significant figures. */
export const HYPERLIQUID_SIG_FIGS = 5;

const Meta = v.object({ universe: v.array(v.object({ name: v.string(), szDecimals: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(HYPERLIQUID_PERP_MAX_DECIMALS)) })) });

/**
 * Validate a `meta` answer and return the specs of the wanted coins.
 * @throws Error naming the first invalid field
 */
export function hyperliquidInstruments(raw: unknown, symbols: readonly string[], source: string, asOf: string): Record<string, InstrumentSpec> {
  const meta = parseResponse(Meta, raw, 'hyperliquid meta');
  const want = new Set(symbols);
  const out: Record<string, InstrumentSpec> = {};
  for (const a of meta.universe) {
    if (!want.has(a.name)) continue;
    out[a.name] = {
      tickSize: new D(10).pow(-(HYPERLIQUID_PERP_MAX_DECIMALS - a.szDecimals)).toFixed(),
      significantFigures: HYPERLIQUID_SIG_FIGS,
      lotSize: new D(10).pow(-a.szDecimals).toFixed(),
      source,
      asOf,
    };
  }
  return out;
}

export const hyperliquidInstrumentSource: InstrumentSource = {
  exchange: 'hyperliquid',
  async fetchInstruments(symbols, ctx) {
    const url = ctx.url('/info');
    return hyperliquidInstruments(await fetchJson(ctx.fetch, url, 'hyperliquid meta', { type: 'meta' }), symbols, `${url} meta`, new Date().toISOString());
  },
};
