import { describe, expect, it } from 'vitest';
import { okxTierSource, okxTierTable } from '@/lib/exchanges/okx/tier-source';

// Shape of https://www.okx.com/docs-v5/en/#public-data-rest-api-get-position-tiers (response example).
const RESPONSE = {
  code: '0',
  msg: '',
  data: [
    { baseMaxLoan: '', imr: '0.01', instFamily: 'BTC-USDT', instId: '', maxLever: '100', maxSz: '2000', minSz: '0', mmr: '0.004', optMgnFactor: '0', quoteMaxLoan: '', tier: '1', uly: 'BTC-USDT' },
    { baseMaxLoan: '', imr: '0.0133', instFamily: 'BTC-USDT', instId: '', maxLever: '75', maxSz: '4000', minSz: '2001', mmr: '0.005', optMgnFactor: '0', quoteMaxLoan: '', tier: '2', uly: 'BTC-USDT' },
  ],
};

describe('OKX position-tiers source', () => {
  it('converts contract-based tiers, contiguous, with no deduction', () => {
    expect(okxTierTable('BTC-USDT-SWAP', RESPONSE.data, 'now', 'src')).toMatchObject({
      basis: 'contracts',
      tiers: [
        { floor: '0', cap: '2000', mmr: '0.004', maintAmount: '0', maxLeverage: '100' },
        { floor: '2000', cap: '4000', mmr: '0.005', maintAmount: '0', maxLeverage: '75' },
      ],
    });
  });
  it('requests the instrument family and validates the response', async () => {
    const urls: string[] = [];
    const fetchOk = (async (u: string) => {
      urls.push(u);
      return new Response(JSON.stringify(RESPONSE));
    }) as typeof fetch;
    const tables = await okxTierSource.fetchTables(['BTCUSDT'], { fetch: fetchOk, url: (p, q) => `https://www.okx.com${p}?${q}` });
    expect(urls).toEqual(['https://www.okx.com/api/v5/public/position-tiers?instType=SWAP&tdMode=cross&instFamily=BTC-USDT']);
    expect(tables[0]!.symbol).toBe('BTCUSDT');
    const fetchBad = (async () => new Response(JSON.stringify({ code: '51000', msg: 'Parameter instFamily error', data: [] }))) as unknown as typeof fetch;
    await expect(okxTierSource.fetchTables(['BTCUSDT'], { fetch: fetchBad, url: (p) => p })).rejects.toThrow(/okx position-tiers BTC-USDT: .*code/);
  });
});
