/**
 * The supported exchange accounts. A module of its own so that UI code (options, popup) can
 * import the list without pulling in the snapshot schema.
 */
export const EXCHANGES = ['binance-usdm', 'binance-coinm', 'bybit', 'okx', 'hyperliquid'] as const;
export type ExchangeId = (typeof EXCHANGES)[number];

/** Exchange names as traders know them: the one text used by notifications, popup, options and the engine. */
export const EXCHANGE_NAMES: Readonly<Record<ExchangeId, string>> = {
  'binance-usdm': 'Binance USDⓈ-M',
  'binance-coinm': 'Binance COIN-M',
  bybit: 'Bybit',
  okx: 'OKX',
  hyperliquid: 'Hyperliquid',
};
