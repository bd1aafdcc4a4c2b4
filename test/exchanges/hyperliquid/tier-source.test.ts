import { describe, expect, it } from 'vitest';
import { hyperliquidTierSource, hyperliquidTierTable } from '@/lib/exchanges/hyperliquid/tier-source';
import { defaultTierTables } from '@/lib/exchanges/tiers';

// Shape of POST /info {"type":"meta"} (mainnet tables 56 = BTC, 55 = ETH), see lib/exchanges/hyperliquid/tiers.ts.
const META = {
  universe: [
    { name: 'BTC', szDecimals: 5, maxLeverage: 40, marginTableId: 56 },
    { name: 'ETH', szDecimals: 4, maxLeverage: 25, marginTableId: 55 },
    { name: 'NEWCOIN', szDecimals: 0, maxLeverage: 3, marginTableId: 3 },
  ],
  marginTables: [
    [56, { description: 'tiered 40x', marginTiers: [{ lowerBound: '0.0', maxLeverage: 40 }, { lowerBound: '150000000.0', maxLeverage: 20 }] }],
    [55, { description: 'tiered 25x', marginTiers: [{ lowerBound: '0.0', maxLeverage: 25 }, { lowerBound: '100000000.0', maxLeverage: 15 }] }],
  ],
};

describe('Hyperliquid meta tier source', () => {
  it('reproduces the bundled BTC and ETH tables from meta (mmr = 1/(2·maxLeverage), deduction recurrence)', () => {
    const bundled = defaultTierTables('hyperliquid');
    expect(hyperliquidTierTable('BTC', META as never, 'now', 's')!.tiers).toEqual(bundled.BTC!.tiers);
    expect(hyperliquidTierTable('ETH', META as never, 'now', 's')!.tiers).toEqual(bundled.ETH!.tiers);
  });
  it('gives a single tier to an asset whose table is not listed, and null for unknown coins', () => {
    expect(hyperliquidTierTable('NEWCOIN', META as never, 'now', 's')!.tiers).toEqual([
      { floor: '0', cap: null, mmr: '0.166666666666666666', maintAmount: '0', maxLeverage: '3' },
    ]);
    expect(hyperliquidTierTable('NOPE', META as never, 'now', 's')).toBeNull();
  });
  it('POSTs {type:"meta"} and rejects malformed responses', async () => {
    const bodies: string[] = [];
    const f = (async (_u: string, init?: RequestInit) => {
      bodies.push(String(init?.body));
      return new Response(JSON.stringify(META));
    }) as typeof fetch;
    const t = await hyperliquidTierSource.fetchTables(['BTC', 'ETH-USD'], { fetch: f, url: (p) => `https://api.hyperliquid.xyz${p}` });
    expect(bodies).toEqual(['{"type":"meta"}']);
    expect(t.map((x) => x.symbol)).toEqual(['BTC', 'ETH-USD']);
    const bad = (async () => new Response('{"universe":"nope"}')) as unknown as typeof fetch;
    await expect(hyperliquidTierSource.fetchTables(['BTC'], { fetch: bad, url: (p) => p })).rejects.toThrow(/hyperliquid meta: /);
  });
});
