/**
 * Binance COIN-M (inverse) public mark-price stream: `wss://dstream.binance.com/stream?streams=btcusd_perp@markPrice@1s`.
 * Same combined-stream message format as USDⓈ-M (see ../binance/stream.ts), `s` = `BTCUSD_PERP`, `p` = mark (USD).
 * Source: https://developers.binance.com/docs/derivatives/coin-margined-futures/websocket-market-streams/Mark-Price-Stream.
 */
import { makeBinanceAdapter } from '../binance/stream';

/** COIN-M (inverse) mark prices, symbols such as `BTCUSD_PERP` or dated `BTCUSD_251226`. */
export const binanceCoinmStream = makeBinanceAdapter('binance-coinm', /^[A-Z0-9]{2,20}_[A-Z0-9]{4,10}$/);
