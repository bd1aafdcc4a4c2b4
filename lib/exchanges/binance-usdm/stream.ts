/**
 * Binance USDⓈ-M (linear) public mark-price stream: `wss://fstream.binance.com/market/stream?streams=btcusdt@markPrice@1s`.
 * Message format and adapter factory shared with COIN-M: ../binance/stream.ts.
 * Source: https://developers.binance.com/docs/derivatives/usds-margined-futures/websocket-market-streams/Mark-Price-Stream.
 */
import { makeBinanceAdapter } from '../binance/stream';

/** USDⓈ-M (linear) mark prices, symbols such as `BTCUSDT`. */
export const binanceUsdmStream = makeBinanceAdapter('binance-usdm', /^[A-Z0-9]{2,30}$/);
