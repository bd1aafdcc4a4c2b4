import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TierService } from '@/lib/background/tiers';
import { bybitTierSource, bybitTierTable } from '@/lib/exchanges/bybit/tier-source';
import { restUrl } from '@/lib/exchanges/endpoints';
import { defaultTierTables } from '@/lib/exchanges/tiers';
import { startStreamServer, type StreamServer } from '../../../harness/stream-server';

// Shape of https://bybit-exchange.github.io/docs/v5/market/risk-limit (response example), first three BTCUSDT tiers.
const RESPONSE = {
  retCode: 0,
  retMsg: 'OK',
  result: {
    category: 'linear',
    list: [
      { id: 1, symbol: 'BTCUSDT', riskLimitValue: '2000000', maintenanceMargin: '0.005', initialMargin: '0.01', isLowestRisk: 1, maxLeverage: '100.00', mmDeduction: '' },
      { id: 2, symbol: 'BTCUSDT', riskLimitValue: '2600000', maintenanceMargin: '0.0056', initialMargin: '0.0111', isLowestRisk: 0, maxLeverage: '90.00', mmDeduction: '1200' },
      { id: 3, symbol: 'BTCUSDT', riskLimitValue: '3200000', maintenanceMargin: '0.0063', initialMargin: '0.0125', isLowestRisk: 0, maxLeverage: '80.00', mmDeduction: '' },
    ],
    nextPageCursor: '',
  },
  retExtInfo: {},
  time: 1672054488010,
};

let server: StreamServer;
beforeAll(async () => {
  server = await startStreamServer();
});
afterAll(async () => {
  await server.close();
});

describe('Bybit risk-limit tier source', () => {
  it('converts tiers and derives missing deductions by the recurrence (matches the bundled BTCUSDT table)', () => {
    const t = bybitTierTable('BTCUSDT', RESPONSE.result.list as never, 'now', 'src');
    expect(t.tiers).toEqual(defaultTierTables('bybit').BTCUSDT!.tiers.slice(0, 3));
  });

  it('fetches through the endpoints module from a loopback server, caches with fetch time, and falls back on errors', async () => {
    server.setRest('bybit', '/v5/market/risk-limit', RESPONSE, { match: (u) => u.searchParams.get('symbol') === 'BTCUSDT' && u.searchParams.get('category') === 'linear' });
    let saved: unknown = null;
    const svc = new TierService({}, { now: () => 1000, override: () => ({ rest: server.httpOrigin }), save: async (c) => void (saved = c) });
    expect(svc.due('bybit', ['BTCUSDT'])).toBe(true);
    const entry = await svc.refresh('bybit', ['BTCUSDT']);
    expect(entry).toMatchObject({ fetchedAt: 1000, error: null });
    expect(svc.used('bybit', 'BTCUSDT')).toMatchObject({ kind: 'live', source: restUrl('bybit', '/v5/market/risk-limit', '', { rest: server.httpOrigin }) });
    expect(saved).toMatchObject({ bybit: { fetchedAt: 1000 } });
    expect(svc.due('bybit', ['BTCUSDT'])).toBe(false);

    // Malformed response: error names the field, cached table kept.
    server.setRest('bybit', '/v5/market/risk-limit', { retCode: 0, result: { list: [{ symbol: 'ETHUSDT', riskLimitValue: 'x' }] } });
    const e2 = await svc.refresh('bybit', ['ETHUSDT']);
    expect(e2?.error).toMatch(/bybit risk-limit ETHUSDT: .*/);
    expect(svc.tablesFor('bybit').BTCUSDT?.source).toContain('/v5/market/risk-limit');
    expect(svc.used('bybit', 'ETHUSDT')).toEqual({ source: null, asOf: null, kind: 'none' });
  });

  it('the real default URL is the public Bybit host', () => {
    expect(restUrl('bybit', '/v5/market/risk-limit', 'category=linear&symbol=BTCUSDT')).toBe('https://api.bybit.com/v5/market/risk-limit?category=linear&symbol=BTCUSDT');
    expect(bybitTierSource.exchange).toBe('bybit');
  });
});
