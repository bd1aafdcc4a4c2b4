/**
 * Bundled fallback instrument specs, Bybit perpetuals (linear USDT, and the BTCUSD inverse): used until
 * the live `GET /v5/market/instruments-info` (./instrument-source.ts) has answered.
 *
 * Source: ccxt/ccxt `ts/src/test/static/markets/bybit.json` @ 1f8d53ec6ee5e019956c2fd2dc204102b924716d,
 * the recorded instruments-info rows (`info.priceFilter.tickSize`, `info.lotSizeFilter.qtyStep`). Capture
 * date: 2025-04 or -05 (it lists options launched 2025-04-07 and expiring 2025-05-30). SOLUSDT is not in
 * that file and is not bundled.
 */
import type { InstrumentSpec } from '../../engine/instruments';

const source = 'bundled: ccxt/ccxt ts/src/test/static/markets/bybit.json @ 1f8d53e (recorded /v5/market/instruments-info)';
const asOf = '2025-04';

export const INSTRUMENTS: Readonly<Record<string, InstrumentSpec>> = {
  BTCUSDT: { tickSize: '0.10', lotSize: '0.001', source, asOf },
  ETHUSDT: { tickSize: '0.01', lotSize: '0.01', source, asOf },
  XRPUSDT: { tickSize: '0.0001', lotSize: '1', source, asOf },
  DOGEUSDT: { tickSize: '0.00001', lotSize: '1', source, asOf },
  BTCUSD: { tickSize: '0.10', lotSize: '1', contractValue: '1', source, asOf },
};
