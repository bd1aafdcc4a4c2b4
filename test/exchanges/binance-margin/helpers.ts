/** Test helpers for the Binance margin reader: the reconstructed fixtures as happy-dom documents. */
import { Window } from 'happy-dom';
import type { SpotMarginSnapshot } from '../../../lib/engine/snapshot';
import { fixtureHtml } from '../helpers';

export const MARGIN_FIXTURES = {
  cross: { file: 'binance-margin-cross.html', url: 'https://www.binance.com/en/trade/BTC_USDT?type=cross' },
  wallet: { file: 'binance-margin-wallet.html', url: 'https://www.binance.com/en/my/wallet/account/margin' },
  isolated: { file: 'binance-margin-isolated.html', url: 'https://www.binance.com/en/trade/BTC_USDT?type=isolated' },
} as const;
export type MarginFixture = keyof typeof MARGIN_FIXTURES;

let win: Window | null = null;
let parsed = 0;
/** A fresh document of a fixture (a new happy-dom window every 100 documents). */
export function marginDoc(file: string): Document {
  if (!win || ++parsed % 100 === 0) {
    win?.close();
    win = new Window({ url: 'https://www.binance.com/' });
  }
  const doc = new win.DOMParser().parseFromString(fixtureHtml(file), 'text/html');
  return doc as unknown as Document;
}

/** The snapshot with prices set for the named assets. */
export function withPrices(s: SpotMarginSnapshot, prices: Record<string, string>): SpotMarginSnapshot {
  return { ...s, assets: s.assets.map((a) => (prices[a.asset] ? { ...a, price: prices[a.asset]! } : a)) };
}
