/**
 * Public REST endpoints the extension may call on the exchange hosts the harness serves, in
 * the exchanges' own response formats (reference: exchange-pages.md §7).
 *
 * Only OKX needs one: the extension bundles no OKX tier table and reads
 * `GET https://www.okx.com/api/v5/public/position-tiers?instType=SWAP&tdMode=cross&instFamily=…`
 * (https://www.okx.com/docs-v5/en/#public-data-rest-api-get-position-tiers). The tier values
 * below are ILLUSTRATIVE (shape as documented; numbers chosen for the tests, not copied from OKX):
 * sizes in contracts, `mmr`/`imr` fractions. Binance and Hyperliquid fall back to their bundled
 * tables (the Binance brackets path gets a 404 here); api.bybit.com is not mapped at all.
 */
import type { ExchangeServer } from './exchange-server';

const OKX_TIERS: Record<string, { maxSz: string; mmr: string; imr: string; maxLever: string }[]> = {
  'BTC-USDT': [
    { maxSz: '20000', mmr: '0.004', imr: '0.01', maxLever: '100' },
    { maxSz: '40000', mmr: '0.005', imr: '0.0133', maxLever: '75' },
    { maxSz: '100000', mmr: '0.01', imr: '0.02', maxLever: '50' },
  ],
  'ETH-USDT': [
    { maxSz: '50000', mmr: '0.005', imr: '0.01', maxLever: '100' },
    { maxSz: '100000', mmr: '0.0075', imr: '0.0133', maxLever: '75' },
  ],
};

/** Serve OKX position tiers for the instrument families above; other families get OKX's empty answer. */
export function serveOkxPositionTiers(server: ExchangeServer): void {
  server.setApi('www.okx.com', '/api/v5/public/position-tiers', (url) => {
    const family = url.searchParams.get('instFamily') ?? '';
    const rows = OKX_TIERS[family] ?? [];
    let minSz = '0';
    const data = rows.map((r, i) => {
      const row = {
        uly: family, instFamily: family, instId: '', tier: String(i + 1), minSz, maxSz: r.maxSz, mmr: r.mmr, imr: r.imr,
        maxLever: r.maxLever, optMgnFactor: '0', quoteMaxLoan: '', baseMaxLoan: '',
      };
      minSz = String(Number(r.maxSz) + 1);
      return row;
    });
    return { code: '0', msg: '', data };
  });
}
