/**
 * Bundled fallback instrument specs, Binance COIN-M perpetuals: used until the live
 * `GET /dapi/v1/exchangeInfo` (./instrument-source.ts) has answered. `contractValue` = USD per contract.
 *
 * Source: ccxt/ccxt `ts/src/test/static/markets/binance.json` @ 0dca8ac0a3ce97d642fd9973b3121c2d6e3e3063,
 * the recorded `dapi/v1/exchangeInfo` rows (PRICE_FILTER.tickSize, LOT_SIZE.stepSize, contractSize).
 * Capture date: 2023 (no date given). SOL/XRP/DOGE USD perpetuals are not in that file and are not bundled.
 */
import type { InstrumentSpec } from '../../engine/instruments';

const source = 'bundled: ccxt/ccxt ts/src/test/static/markets/binance.json @ 0dca8ac (recorded /dapi/v1/exchangeInfo)';
const asOf = '2023 (before 2023-12-29)';

export const INSTRUMENTS: Readonly<Record<string, InstrumentSpec>> = {
  BTCUSD_PERP: { tickSize: '0.1', lotSize: '1', contractValue: '100', source, asOf },
  ETHUSD_PERP: { tickSize: '0.01', lotSize: '1', contractValue: '10', source, asOf },
};
