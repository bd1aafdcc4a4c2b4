/** The account-API path of each exchange (lib/exchanges/<id>/api.ts), by connection id. */
import { BINANCE_API } from '../exchanges/binance-usdm/api';
import { BYBIT_API } from '../exchanges/bybit/api';
import { OKX_API } from '../exchanges/okx/api';
import type { ApiExchange } from './exchanges';
import type { ApiConnector } from './types';

export const API_CONNECTORS: Readonly<Record<ApiExchange, ApiConnector>> = { binance: BINANCE_API, bybit: BYBIT_API, okx: OKX_API };
