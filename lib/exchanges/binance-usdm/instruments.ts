/**
 * Bundled fallback instrument specs, Binance USDⓈ-M perpetuals: used until the live
 * `GET /fapi/v1/exchangeInfo` (./instrument-source.ts) has answered.
 *
 * Source: ccxt/ccxt `ts/src/test/static/markets/binance.json` @ 0dca8ac0a3ce97d642fd9973b3121c2d6e3e3063,
 * the recorded `exchangeInfo` rows (`info.filters`: PRICE_FILTER.tickSize, LOT_SIZE.stepSize). Capture date:
 * 2023 (the file still lists the BTCUSDT_231229 quarterly; no date is given). SOLUSDT is not in that file
 * and is not bundled. Tick sizes rarely change; the live source replaces these within a refresh.
 */
import type { InstrumentSpec } from '../../engine/instruments';

const source = 'bundled: ccxt/ccxt ts/src/test/static/markets/binance.json @ 0dca8ac (recorded /fapi/v1/exchangeInfo)';
const asOf = '2023 (before 2023-12-29)';

export const INSTRUMENTS: Readonly<Record<string, InstrumentSpec>> = {
  BTCUSDT: { tickSize: '0.10', lotSize: '0.001', source, asOf },
  ETHUSDT: { tickSize: '0.01', lotSize: '0.001', source, asOf },
  XRPUSDT: { tickSize: '0.0001', lotSize: '0.1', source, asOf },
  DOGEUSDT: { tickSize: '0.000010', lotSize: '1', source, asOf },
};
