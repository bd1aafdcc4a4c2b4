/**
 * The supported exchange accounts. A module of its own so that UI code (options, popup) can
 * import the list without pulling in the snapshot schema.
 */
export const EXCHANGES = ['binance-usdm', 'binance-coinm', 'bybit', 'okx', 'hyperliquid'] as const;
export type ExchangeId = (typeof EXCHANGES)[number];
