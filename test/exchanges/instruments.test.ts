// @vitest-environment node
/**
 * Instrument sources (tick size, lot size, contract value) against a loopback HTTP server speaking each
 * exchange's real response shape (rows as recorded in ccxt/ccxt ts/src/test/static/markets/*.json `info`,
 * trimmed to the fields around the ones read), through lib/exchanges/endpoints.ts's override; and the
 * bundled specs (every one sourced, dated and plausible).
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { D } from '@/lib/engine/decimal';
import { EXCHANGES, type ExchangeId } from '@/lib/engine/exchanges';
import { tickAt } from '@/lib/engine/instruments';
import { instrumentProblem } from '@/lib/exchanges/common/instrument-source';
import { restUrl } from '@/lib/exchanges/endpoints';
import { INSTRUMENT_SOURCES } from '@/lib/exchanges/instrument-sources';
import { bundledInstruments } from '@/lib/exchanges/instruments';
import { exchange } from '@/lib/exchanges/registry';
import { InstrumentService, INSTRUMENT_MAX_AGE_MS, INSTRUMENT_RETRY_MS } from '@/lib/background/instruments';

const BINANCE_FAPI = {
  timezone: 'UTC',
  serverTime: 1700000000000,
  symbols: [
    {
      symbol: 'BTCUSDT', pair: 'BTCUSDT', contractType: 'PERPETUAL', status: 'TRADING', pricePrecision: 2, quantityPrecision: 3,
      filters: [
        { tickSize: '0.10', minPrice: '556.80', filterType: 'PRICE_FILTER', maxPrice: '4529764' },
        { filterType: 'LOT_SIZE', stepSize: '0.001', minQty: '0.001', maxQty: '1000' },
        { stepSize: '0.001', maxQty: '120', minQty: '0.001', filterType: 'MARKET_LOT_SIZE' },
        { filterType: 'MIN_NOTIONAL', notional: '5' },
      ],
    },
    { symbol: 'DOGEUSDT', pair: 'DOGEUSDT', contractType: 'PERPETUAL', filters: [{ tickSize: '0.000010', filterType: 'PRICE_FILTER' }, { stepSize: '1', filterType: 'LOT_SIZE' }] },
  ],
};
const BINANCE_DAPI = {
  symbols: [
    {
      symbol: 'BTCUSD_PERP', pair: 'BTCUSD', contractType: 'PERPETUAL', contractStatus: 'TRADING', contractSize: 100,
      filters: [{ minPrice: '1000', maxPrice: '4520958', filterType: 'PRICE_FILTER', tickSize: '0.1' }, { stepSize: '1', filterType: 'LOT_SIZE', maxQty: '1000000', minQty: '1' }],
    },
  ],
};
const bybitRow = (symbol: string, tickSize: string, qtyStep: string, contractType: string) => ({
  symbol, contractType, status: 'Trading', priceScale: '2',
  leverageFilter: { minLeverage: '1', maxLeverage: '100.00', leverageStep: '0.01' },
  priceFilter: { minPrice: tickSize, maxPrice: '1999999.80', tickSize },
  lotSizeFilter: { maxOrderQty: '1190.000', minOrderQty: qtyStep, qtyStep, postOnlyMaxOrderQty: '1190.000', maxMktOrderQty: '119.000', minNotionalValue: '5' },
});
const OKX_SWAPS = {
  code: '0',
  msg: '',
  data: [
    { instFamily: 'BTC-USDT', instId: 'BTC-USDT-SWAP', instType: 'SWAP', ctType: 'linear', ctVal: '0.01', ctValCcy: 'BTC', lotSz: '0.1', minSz: '0.1', tickSz: '0.1', uly: 'BTC-USDT', state: 'live' },
    { instFamily: 'ETH-USDT', instId: 'ETH-USDT-SWAP', instType: 'SWAP', ctType: 'linear', ctVal: '0.1', ctValCcy: 'ETH', lotSz: '0.1', minSz: '0.1', tickSz: '0.01', uly: 'ETH-USDT', state: 'live' },
  ],
};
const HL_META = { universe: [{ name: 'BTC', szDecimals: 5, maxLeverage: 40, marginTableId: 56 }, { name: 'DOGE', szDecimals: 0, maxLeverage: 10 }], marginTables: [] };

let server: Server;
let origin = '';
const seen: { method: string; path: string; body: string }[] = [];
let answer: (req: IncomingMessage, path: string, body: string) => { status?: number; json: unknown } = () => ({ status: 404, json: null });

function route(req: IncomingMessage, path: string, body: string): { status?: number; json: unknown } {
  const u = new URL(path, 'http://x');
  switch (u.pathname) {
    case '/binance-usdm/fapi/v1/exchangeInfo':
      return { json: BINANCE_FAPI };
    case '/binance-coinm/dapi/v1/exchangeInfo':
      return { json: BINANCE_DAPI };
    case '/bybit/v5/market/instruments-info': {
      const sym = u.searchParams.get('symbol');
      const cat = u.searchParams.get('category');
      const rows = [bybitRow('BTCUSDT', '0.10', '0.001', 'LinearPerpetual'), bybitRow('BTCUSD', '0.10', '1', 'InversePerpetual')];
      const list = rows.filter((r) => r.symbol === sym && (cat === 'inverse') === r.contractType.startsWith('Inverse'));
      return { json: { retCode: 0, retMsg: 'OK', result: { category: cat, list, nextPageCursor: '' }, retExtInfo: {}, time: 1 } };
    }
    case '/okx/api/v5/public/instruments':
      return u.searchParams.get('instType') === 'SWAP' ? { json: OKX_SWAPS } : { status: 400, json: { code: '51000' } };
    case '/hyperliquid/info':
      return req.method === 'POST' && JSON.parse(body).type === 'meta' ? { json: HL_META } : { status: 400, json: null };
  }
  return { status: 404, json: null };
}

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', path: req.url ?? '', body });
      const a = answer(req, req.url ?? '', body);
      res.statusCode = a.status ?? 200;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(a.json));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
beforeEach(() => {
  seen.length = 0;
  answer = route;
});

const ctx = (ex: ExchangeId) => ({ fetch: globalThis.fetch.bind(globalThis), url: (p: string, q?: string) => restUrl(ex, p, q, { rest: origin }) });

describe('live instrument sources (loopback, real response shapes)', () => {
  it('Binance USDⓈ-M: PRICE_FILTER.tickSize and LOT_SIZE.stepSize of the symbols held, from /fapi/v1/exchangeInfo', async () => {
    const got = await INSTRUMENT_SOURCES['binance-usdm'].fetchInstruments(['BTCUSDT', 'NOPEUSDT'], ctx('binance-usdm'));
    expect(Object.keys(got)).toEqual(['BTCUSDT']);
    expect(got.BTCUSDT).toMatchObject({ tickSize: '0.10', lotSize: '0.001' });
    expect(got.BTCUSDT!.source).toBe(`${origin}/binance-usdm/fapi/v1/exchangeInfo`);
    expect(seen).toEqual([{ method: 'GET', path: '/binance-usdm/fapi/v1/exchangeInfo', body: '' }]);
  });

  it('Binance COIN-M: contractSize (a JSON number) becomes the contract value', async () => {
    const got = await INSTRUMENT_SOURCES['binance-coinm'].fetchInstruments(['BTCUSD_PERP'], ctx('binance-coinm'));
    expect(got.BTCUSD_PERP).toMatchObject({ tickSize: '0.1', lotSize: '1', contractValue: '100' });
  });

  it('Bybit: one request per symbol, category inverse for …USD', async () => {
    const got = await INSTRUMENT_SOURCES.bybit.fetchInstruments(['BTCUSDT', 'BTCUSD'], ctx('bybit'));
    expect(got).toMatchObject({ BTCUSDT: { tickSize: '0.10', lotSize: '0.001' }, BTCUSD: { tickSize: '0.10', lotSize: '1' } });
    expect(seen.map((s) => s.path).sort()).toEqual([
      '/bybit/v5/market/instruments-info?category=inverse&symbol=BTCUSD',
      '/bybit/v5/market/instruments-info?category=linear&symbol=BTCUSDT',
    ]);
  });

  it('OKX: one request for every swap, ctVal as the contract value', async () => {
    const got = await INSTRUMENT_SOURCES.okx.fetchInstruments(['ETH-USDT-SWAP'], ctx('okx'));
    expect(got).toEqual({ 'ETH-USDT-SWAP': expect.objectContaining({ tickSize: '0.01', lotSize: '0.1', contractValue: '0.1' }) });
    expect(seen.map((s) => s.path)).toEqual(['/okx/api/v5/public/instruments?instType=SWAP']);
  });

  it('Hyperliquid: meta szDecimals → finest tick 10^−(6 − szDecimals), 5 significant figures', async () => {
    const got = await INSTRUMENT_SOURCES.hyperliquid.fetchInstruments(['BTC', 'DOGE'], ctx('hyperliquid'));
    expect(got.BTC).toMatchObject({ tickSize: '0.1', lotSize: '0.00001', significantFigures: 5 });
    expect(got.DOGE).toMatchObject({ tickSize: '0.000001', lotSize: '1', significantFigures: 5 });
    expect(seen[0]).toMatchObject({ method: 'POST', body: '{"type":"meta"}' });
    // BTC at 97,123: 5 figures → step 1; at 9,712: 0.1. DOGE at 0.12: 5 figures → 0.00001; at 0.0012 the
    // 6-decimal limit is coarser than 5 figures → 0.000001
    expect(tickAt(got.BTC, new D('97123.4'))!.toFixed()).toBe('1');
    expect(tickAt(got.BTC, new D('9712.34'))!.toFixed()).toBe('0.1');
    expect(tickAt(got.DOGE, new D('0.123456'))!.toFixed()).toBe('0.00001');
    expect(tickAt(got.DOGE, new D('0.00123456'))!.toFixed()).toBe('0.000001');
  });

  it.each([
    ['binance-usdm', { symbols: [{ symbol: 'BTCUSDT', filters: [{ filterType: 'PRICE_FILTER', tickSize: '-1' }] }] }, /binance exchangeInfo: .*decimal/],
    ['okx', { code: '50011', msg: 'Too Many Requests', data: [] }, /okx instruments: .*code/],
    ['bybit', { retCode: 10001, retMsg: 'params error', result: {} }, /bybit instruments-info BTCUSDT: .*retCode/],
    ['hyperliquid', { universe: [{ name: 'BTC', szDecimals: 'five' }] }, /hyperliquid meta: /],
  ] as const)('%s: a malformed answer is refused naming the endpoint', async (ex, body, message) => {
    answer = () => ({ json: body });
    await expect(INSTRUMENT_SOURCES[ex].fetchInstruments(['BTCUSDT', 'BTC'].filter((s) => ex !== 'hyperliquid' || s === 'BTC').slice(0, 1), ctx(ex))).rejects.toThrow(message);
  });
});

describe('InstrumentService (worker cache)', () => {
  it('live specs override the bundled ones; the table object is stable until a refresh; due after the max age', async () => {
    let now = 1_000_000;
    const svc = new InstrumentService({ now: () => now, override: () => ({ rest: origin }) });
    const before = svc.tableFor('okx');
    expect(before['BTC-USDT-SWAP']!.source).toMatch(/^bundled: /);
    expect(svc.due('okx', ['ETH-USDT-SWAP'])).toBe(true);
    await svc.refresh('okx', ['ETH-USDT-SWAP', 'BTC-USDT-SWAP']);
    const after = svc.tableFor('okx');
    expect(after).not.toBe(before);
    expect(svc.tableFor('okx')).toBe(after);
    expect(after['ETH-USDT-SWAP']!.source).toBe(`${origin}/okx/api/v5/public/instruments?instType=SWAP`);
    expect(after['DOGE-USDT-SWAP']!.source).toMatch(/^bundled: /); // not held: bundled stays
    expect(svc.due('okx', ['ETH-USDT-SWAP'])).toBe(false);
    now += INSTRUMENT_MAX_AGE_MS;
    expect(svc.due('okx', ['ETH-USDT-SWAP'])).toBe(true);
  });

  it('a failure keeps what is cached, records the error and waits the retry time; an implausible spec is refused', async () => {
    let now = 5_000_000;
    const svc = new InstrumentService({ now: () => now, override: () => ({ rest: origin }) });
    answer = () => ({ status: 503, json: null });
    await svc.refresh('binance-usdm', ['BTCUSDT']);
    expect(svc.error('binance-usdm')).toContain('HTTP 503');
    expect(svc.tableFor('binance-usdm').BTCUSDT!.source).toMatch(/^bundled: /);
    expect(svc.due('binance-usdm', ['BTCUSDT'])).toBe(false);
    now += INSTRUMENT_RETRY_MS;
    expect(svc.due('binance-usdm', ['BTCUSDT'])).toBe(true);
    answer = () => ({ json: { symbols: [{ symbol: 'BTCUSDT', filters: [{ filterType: 'PRICE_FILTER', tickSize: '0' }] }] } });
    await svc.refresh('binance-usdm', ['BTCUSDT']);
    expect(svc.error('binance-usdm')).toMatch(/refused: BTCUSDT: tick size 0/);
    expect(svc.tableFor('binance-usdm').BTCUSDT!.tickSize).toBe('0.10');
  });

  it('production URLs stay on the hosts already permitted', () => {
    expect(restUrl('binance-usdm', '/fapi/v1/exchangeInfo')).toBe('https://www.binance.com/fapi/v1/exchangeInfo');
    expect(restUrl('binance-coinm', '/dapi/v1/exchangeInfo')).toBe('https://www.binance.com/dapi/v1/exchangeInfo');
    expect(restUrl('bybit', '/v5/market/instruments-info')).toBe('https://api.bybit.com/v5/market/instruments-info');
    expect(restUrl('okx', '/api/v5/public/instruments')).toBe('https://www.okx.com/api/v5/public/instruments');
  });
});

describe('bundled instrument specs', () => {
  it.each(EXCHANGES)('%s: every spec is plausible, sourced and dated, and reachable through the registry', (ex) => {
    const table = bundledInstruments(ex);
    expect(exchange(ex).bundledInstruments).toBe(table);
    expect(exchange(ex).instrumentSource.exchange).toBe(ex);
    for (const [symbol, spec] of Object.entries(table)) {
      expect(instrumentProblem(spec), symbol).toBeNull();
      expect(spec.source).toMatch(/^bundled: ccxt\/ccxt ts\/src\/test\/static\/markets\/\w+\.json @ [0-9a-f]{7}/);
      expect(spec.asOf).toMatch(/^20\d\d/);
    }
  });

  it('the majors found in the recorded markets are bundled', () => {
    expect(Object.keys(bundledInstruments('binance-usdm')).sort()).toEqual(['BTCUSDT', 'DOGEUSDT', 'ETHUSDT', 'XRPUSDT']);
    expect(Object.keys(bundledInstruments('binance-coinm')).sort()).toEqual(['BTCUSD_PERP', 'ETHUSD_PERP']);
    expect(Object.keys(bundledInstruments('bybit')).sort()).toEqual(['BTCUSD', 'BTCUSDT', 'DOGEUSDT', 'ETHUSDT', 'XRPUSDT']);
    expect(Object.keys(bundledInstruments('okx')).sort()).toEqual(['BTC-USD-SWAP', 'BTC-USDT-SWAP', 'DOGE-USDT-SWAP', 'ETH-USDT-SWAP', 'XRP-USDT-SWAP']);
    expect(bundledInstruments('hyperliquid')).toEqual({});
  });

  it('instrumentProblem names what is wrong', () => {
    expect(instrumentProblem({ tickSize: 'abc', source: '', asOf: '' })).toMatch(/tick size "abc" is not a decimal/);
    expect(instrumentProblem({ tickSize: '0.1', lotSize: '0', source: '', asOf: '' })).toMatch(/lot size 0/);
    expect(instrumentProblem({ tickSize: '0.1', significantFigures: 0, source: '', asOf: '' })).toMatch(/significant figures/);
  });
});
