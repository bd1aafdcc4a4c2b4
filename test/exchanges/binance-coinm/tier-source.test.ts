import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { binanceCoinmTierSource } from '@/lib/exchanges/binance-coinm/tier-source';
import { restUrl } from '@/lib/exchanges/endpoints';
import { tierTableProblem } from '@/lib/exchanges/common/tier-source';
import { defaultTierTables } from '@/lib/exchanges/tiers';

// The BTCUSD_PERP entry of a real response of POST https://www.binance.com/bapi/futures/v1/friendly/delivery/common/brackets
// (komekome898-web/trade docs/DATA/probes/20260917_binance_cm_brackets_BTCUSD_PERP.json), cum as the binary floats it sends,
// plus a quarterly contract that must not be taken for the perpetual.
const BTCUSD_PERP = {
  symbol: 'BTCUSD_PERP',
  updateTime: 1778489456820,
  notionalLimit: 100,
  riskBrackets: [
    [0, 5, 0.004, 0, 101, 125], [5, 10, 0.005, 0.005000000000000000104083408558608425664715468883514404296875, 51, 100],
    [10, 25, 0.01, 0.055000000000000000277555756156289135105907917022705078125, 21, 50], [25, 150, 0.025, 0.429999999999999993338661852249060757458209991455078125, 11, 20],
    [150, 400, 0.05, 4.17999999999999971578290569595992565155029296875, 6, 10], [400, 950, 0.1, 24.17999999999999971578290569595992565155029296875, 5, 5],
    [950, 1200, 0.125, 47.92999999999999971578290569595992565155029296875, 4, 4], [1200, 1600, 0.15, 77.93000000000000682121026329696178436279296875, 3, 3],
    [1600, 2400, 0.25, 237.93000000000000682121026329696178436279296875, 2, 2], [2400, 3500, 0.5, 837.9299999999999499777914024889469146728515625, 1, 1],
  ].map(([floor, cap, mmr, cum, minLev, maxLev], i) => ({
    bracketSeq: i + 1, bracketNotionalFloor: floor, bracketNotionalCap: cap, bracketMaintenanceMarginRate: mmr,
    cumFastMaintenanceAmount: cum, minOpenPosLeverage: minLev, maxOpenPosLeverage: maxLev,
  })),
};
const QUARTERLY = { ...BTCUSD_PERP, symbol: 'BTCUSD_260925', riskBrackets: BTCUSD_PERP.riskBrackets.slice(0, 1) };

let server: Server;
let origin = '';
const requests: { method: string; path: string; body: string }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      requests.push({ method: req.method ?? '', path: req.url ?? '', body });
      if (req.url === '/binance-coinm/bapi/futures/v1/friendly/delivery/common/brackets' && req.method === 'POST') {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ code: '000000', message: null, messageDetail: null, data: { brackets: [QUARTERLY, BTCUSD_PERP] } }));
      } else {
        res.statusCode = 404;
        res.end();
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('Binance COIN-M public brackets source (loopback server, real response shape)', () => {
  it('POSTs {} to the delivery brackets path through the endpoint override and returns the perpetual held', async () => {
    const tables = await binanceCoinmTierSource.fetchTables(['BTCUSD_PERP'], {
      fetch: globalThis.fetch.bind(globalThis),
      url: (path, query) => restUrl('binance-coinm', path, query, { rest: origin }),
    });
    expect(requests.at(-1)).toEqual({ method: 'POST', path: '/binance-coinm/bapi/futures/v1/friendly/delivery/common/brackets', body: '{}' });
    expect(tables).toHaveLength(1);
    const t = tables[0]!;
    expect(t).toMatchObject({ exchange: 'binance-coinm', symbol: 'BTCUSD_PERP', basis: 'notional' });
    // the binary floats come out as the decimals the bundled table holds
    expect(t.tiers).toEqual(defaultTierTables('binance-coinm').BTCUSD_PERP!.tiers);
    expect(tierTableProblem(t, defaultTierTables('binance-coinm').BTCUSD_PERP)).toBeNull();
  });

  it('the production URL is on www.binance.com (already a permitted host)', () => {
    expect(restUrl('binance-coinm', '/bapi/futures/v1/friendly/delivery/common/brackets')).toBe(
      'https://www.binance.com/bapi/futures/v1/friendly/delivery/common/brackets',
    );
  });

  it('an error answer is refused, naming the endpoint', async () => {
    const f = (async () => new Response(JSON.stringify({ code: '100001', message: 'blocked', data: null }))) as typeof fetch;
    await expect(binanceCoinmTierSource.fetchTables(['BTCUSD_PERP'], { fetch: f, url: (p) => p })).rejects.toThrow(/binance coin-m brackets: .*code/);
  });
});
