/**
 * Binance COIN-M instruments: `GET https://www.binance.com/dapi/v1/exchangeInfo` (public, keyless),
 * parsed like USDⓈ-M (../binance-usdm/instrument-source.ts) plus `contractSize` (USD per contract).
 * Docs: https://developers.binance.com/docs/derivatives/coin-margined-futures/market-data/rest-api/Exchange-Information
 */
import { binanceInstruments } from '../binance-usdm/instrument-source';
import type { InstrumentSource } from '../common/instrument-source';
import { fetchJson } from '../common/rest';

export const binanceCoinmInstrumentSource: InstrumentSource = {
  exchange: 'binance-coinm',
  async fetchInstruments(symbols, ctx) {
    const url = ctx.url('/dapi/v1/exchangeInfo');
    return binanceInstruments(await fetchJson(ctx.fetch, url, 'binance coin-m exchangeInfo'), symbols, url, new Date().toISOString(), true);
  },
};
