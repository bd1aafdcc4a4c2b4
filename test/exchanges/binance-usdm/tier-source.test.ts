import { describe, expect, it } from 'vitest';
import { binanceTierTables, binanceUsdmTierSource } from '@/lib/exchanges/binance-usdm/tier-source';
import { defaultTierTables } from '@/lib/exchanges/tiers';

// Shape from reference exchange-pages.md §7 (public brackets endpoint); rates arrive as bare JSON floats.
const RESPONSE = {
  code: '000000',
  data: {
    brackets: [
      {
        symbol: 'BTCUSDT',
        updateTime: 1,
        notionalLimit: 0,
        riskBrackets: [{ bracketSeq: 1, bracketNotionalFloor: 0, bracketNotionalCap: 1, bracketMaintenanceMarginRate: 0.5, cumFastMaintenanceAmount: 0, minOpenPosLeverage: 1, maxOpenPosLeverage: 1 }],
      },
      {
        symbol: 'BTCUSDT',
        updateTime: 2,
        notionalLimit: 0,
        riskBrackets: [
          { bracketSeq: 2, bracketNotionalFloor: 50000, bracketNotionalCap: 600000, bracketMaintenanceMarginRate: 0.005, cumFastMaintenanceAmount: 50, minOpenPosLeverage: 76, maxOpenPosLeverage: 100 },
          { bracketSeq: 1, bracketNotionalFloor: 0, bracketNotionalCap: 50000, bracketMaintenanceMarginRate: 0.004, cumFastMaintenanceAmount: 0, minOpenPosLeverage: 101, maxOpenPosLeverage: 125 },
        ],
      },
      { symbol: 'ETHUSDT', updateTime: 1, riskBrackets: [{ bracketSeq: 1, bracketNotionalFloor: 0, bracketNotionalCap: 1, bracketMaintenanceMarginRate: 0.004, cumFastMaintenanceAmount: 0, maxOpenPosLeverage: 125 }] },
    ],
  },
};

describe('Binance public brackets source', () => {
  it('keeps the newest duplicate, sorts by bracket, keeps only symbols held, and matches the bundled first tiers', () => {
    const [t, ...rest] = binanceTierTables(RESPONSE as never, ['BTCUSDT'], 'now', 'src');
    expect(rest).toEqual([]);
    expect(t!.tiers).toEqual(defaultTierTables('binance-usdm').BTCUSDT!.tiers.slice(0, 2));
  });
  it('POSTs {} and rejects a response with an error code', async () => {
    const f = (async (_u: string, init?: RequestInit) => {
      expect(init).toMatchObject({ method: 'POST', body: '{}' });
      return new Response(JSON.stringify({ code: '100001', message: 'blocked', data: null }));
    }) as typeof fetch;
    await expect(binanceUsdmTierSource.fetchTables(['BTCUSDT'], { fetch: f, url: (p) => p })).rejects.toThrow(/binance brackets: .*code/);
  });
});
