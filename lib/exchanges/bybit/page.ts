/**
 * Bybit derivatives trading page for USDT perpetuals: `https://www.bybit.com/trade/usdt/<SYMBOL>`
 * (an optional locale segment such as `/en/` is accepted). Pure; tested with the examples below.
 */
import { isHttpsPageOn } from '../common/url';

/** True for `https://www.bybit.com[/<locale>]/trade/usdt/<SYMBOL>`; not inverse, spot, options, or other hosts. */
export function isBybitPage(url: string | URL): boolean {
  return isHttpsPageOn(url, 'www.bybit.com', /^(?:\/[a-z]{2}(?:-[A-Za-z]{2,4})?)?\/trade\/usdt\/[A-Z0-9]{2,30}USDT\/?$/);
}

export const BYBIT_EXAMPLES = {
  match: [
    'https://www.bybit.com/trade/usdt/BTCUSDT',
    'https://www.bybit.com/trade/usdt/ETHUSDT?tab=positions',
    'https://www.bybit.com/en/trade/usdt/SOLUSDT',
  ],
  noMatch: [
    'https://www.bybit.com/trade/inverse/BTCUSD',
    'https://www.bybit.com/trade/spot/BTC/USDT',
    'https://www.bybit.com/trade/option/usdc/BTC',
    'https://www.bybit.com/trade/usdt/',
    'https://bybit.com.evil.example/trade/usdt/BTCUSDT',
    'https://www.bybit-com.example/trade/usdt/BTCUSDT',
    'https://www.bybit.com.tr/trade/usdt/BTCUSDT',
    'http://www.bybit.com/trade/usdt/BTCUSDT',
  ],
};
