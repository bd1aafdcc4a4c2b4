/**
 * Binance COIN-M default brackets from the website's public, keyless endpoint behind
 * https://www.binance.com/en/futures/trading-rules/perpetual/leverage-margin (COIN-M tab):
 * `POST https://www.binance.com/bapi/futures/v1/friendly/delivery/common/brackets` with body `{}`.
 * Same response shape as the USDⓈ-M endpoint (../binance-usdm/tier-source.ts); floors, caps and
 * `cumFastMaintenanceAmount` are in the base coin, symbols as `BTCUSD_PERP`. A stored response:
 * komekome898-web/trade docs/DATA/probes/20260917_binance_cm_brackets_full.json (the bundled tables'
 * source, ./tiers.ts). The signed `/dapi/v2/leverageBracket` is not used: it needs an API key.
 */
import { binanceTierTables } from '../binance-usdm/tier-source';
import { fetchJson } from '../common/rest';
import type { TierSource } from '../common/tier-source';

export const binanceCoinmTierSource: TierSource = {
  exchange: 'binance-coinm',
  async fetchTables(symbols, ctx) {
    const url = ctx.url('/bapi/futures/v1/friendly/delivery/common/brackets');
    return binanceTierTables(await fetchJson(ctx.fetch, url, 'binance coin-m brackets', {}), symbols, new Date().toISOString(), url, 'binance-coinm');
  },
};
