/**
 * Bundled fallback instrument specs, OKX perpetual swaps: used until the live
 * `GET /api/v5/public/instruments?instType=SWAP` (./instrument-source.ts) has answered. `lotSize` is in
 * contracts; `contractValue` = ctVal (base units per contract, linear; USD per contract, inverse).
 *
 * Source: ccxt/ccxt `ts/src/test/static/markets/okx.json` @ 3802e1a243497a0ffd025df7a97023315217391f, the
 * recorded instruments rows (`info.tickSz`, `info.lotSz`, `info.ctVal`). Capture date: 2024 (it lists the
 * BTC-USD-241227 options; no date given). SOL-USDT-SWAP is not in that file and is not bundled.
 */
import type { InstrumentSpec } from '../../engine/instruments';

const source = 'bundled: ccxt/ccxt ts/src/test/static/markets/okx.json @ 3802e1a (recorded /api/v5/public/instruments)';
const asOf = '2024 (before 2024-12-27)';

export const INSTRUMENTS: Readonly<Record<string, InstrumentSpec>> = {
  'BTC-USDT-SWAP': { tickSize: '0.1', lotSize: '0.1', contractValue: '0.01', source, asOf },
  'ETH-USDT-SWAP': { tickSize: '0.01', lotSize: '0.1', contractValue: '0.1', source, asOf },
  'XRP-USDT-SWAP': { tickSize: '0.0001', lotSize: '0.1', contractValue: '100', source, asOf },
  'DOGE-USDT-SWAP': { tickSize: '0.00001', lotSize: '0.1', contractValue: '1000', source, asOf },
  'BTC-USD-SWAP': { tickSize: '0.1', lotSize: '1', contractValue: '100', source, asOf },
};
