// @vitest-environment node
/**
 * The volatility service against a loopback HTTP server speaking each exchange's candle format
 * (shapes as documented; the closes are a deterministic synthetic series): the URLs the real
 * code composes (through the loopback override of lib/exchanges/endpoints.ts), the parsing,
 * the open candle left out, OKX paging, the hourly refresh limit, failures kept as unknown.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { realizedVolatility, type Candle } from '../../lib/engine/volatility';
import { checkVolatilityCache, VolatilityService, VOLATILITY_MAX_AGE_MS, VOLATILITY_RETRY_MS, type VolatilityCache } from '../../lib/background/volatility';

const H = 3_600_000;
const NOW = Date.UTC(2026, 11, 5, 4, 30); // 04:30: the 04:00 candle is still open
const FIRST = Date.UTC(2026, 11, 5, 4) - 172 * H;

/** 173 hourly closes from FIRST to the open 04:00 candle. */
function series(seed: number): Candle[] {
  let x = 50000 + seed;
  let s = seed;
  return Array.from({ length: 173 }, (_, i) => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    x = Math.round(x * (1 + (s / 2 ** 31 - 0.5) * 0.015) * 100) / 100;
    return { openTime: FIRST + i * H, close: x.toFixed(2) };
  });
}
const SERIES: Record<string, Candle[]> = { BTCUSDT: series(1), 'BTC-USDT-SWAP': series(2), BTC: series(3) };
const closedOnly = (c: Candle[]) => c.filter((x) => x.openTime + H <= NOW);

let server: Server;
let origin = '';
const hits: string[] = [];
let failNext: number | null = null;
let badShape = false;

async function body(req: IncomingMessage): Promise<string> {
  let b = '';
  for await (const chunk of req) b += chunk;
  return b;
}

beforeAll(async () => {
  server = createServer(async (req, res) => {
    const url = new URL(req.url!, 'http://x');
    hits.push(`${req.method} ${url.pathname}${url.search}`);
    const json = (x: unknown) => (res.setHeader('content-type', 'application/json'), res.end(JSON.stringify(x)));
    if (failNext !== null) return ((res.statusCode = failNext), res.end('{}'));
    if (url.pathname === '/binance-usdm/fapi/v1/markPriceKlines') {
      const c = SERIES[url.searchParams.get('symbol')!]!.slice(-Number(url.searchParams.get('limit')));
      // [openTime, open, high, low, close, ignore, closeTime, ignore, count, ignore, ignore, ignore]
      return json(badShape ? [[c[0]!.openTime, '1', '1', '1']] : c.map((k) => [k.openTime, k.close, k.close, k.close, k.close, '0', k.openTime + H - 1, '0', 60, '0', '0', '0']));
    }
    if (url.pathname === '/bybit/v5/market/mark-price-kline') {
      const c = SERIES[url.searchParams.get('symbol')!]!.slice(-Number(url.searchParams.get('limit')));
      return json({ retCode: 0, retMsg: 'OK', result: { symbol: url.searchParams.get('symbol'), category: 'linear', list: [...c].reverse().map((k) => [String(k.openTime), k.close, k.close, k.close, k.close]) }, retExtInfo: {}, time: NOW });
    }
    if (url.pathname === '/okx/api/v5/market/mark-price-candles') {
      const after = url.searchParams.get('after');
      const all = SERIES[url.searchParams.get('instId')!]!.filter((k) => after === null || k.openTime < Number(after));
      const page = [...all].reverse().slice(0, Number(url.searchParams.get('limit')));
      return json({ code: '0', msg: '', data: page.map((k) => [String(k.openTime), k.close, k.close, k.close, k.close, k.openTime + H <= NOW ? '1' : '0']) });
    }
    if (url.pathname === '/hyperliquid/info' && req.method === 'POST') {
      const q = JSON.parse(await body(req)) as { type: string; req: { coin: string; interval: string; startTime: number; endTime: number } };
      if (q.type !== 'candleSnapshot' || q.req.interval !== '1h') return ((res.statusCode = 400), res.end('bad'));
      const c = SERIES[q.req.coin]!.filter((k) => k.openTime >= q.req.startTime && k.openTime <= q.req.endTime);
      return json(c.map((k) => ({ t: k.openTime, T: k.openTime + H - 1, s: q.req.coin, i: '1h', o: k.close, c: k.close, h: k.close, l: k.close, v: '1.0', n: 10 })));
    }
    res.statusCode = 404;
    res.end('not found');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
beforeEach(() => {
  hits.length = 0;
  failNext = null;
  badShape = false;
});

function service(now: { t: number }, saved: VolatilityCache[] = []) {
  return new VolatilityService({}, { now: () => now.t, override: () => ({ rest: origin }), save: async (c) => void saved.push(c) });
}

describe('candle sources on loopback, each exchange in its format', () => {
  it.each([
    ['binance-usdm', 'BTCUSDT', /^GET \/binance-usdm\/fapi\/v1\/markPriceKlines\?symbol=BTCUSDT&interval=1h&limit=170$/, 'mark'],
    ['bybit', 'BTCUSDT', /^GET \/bybit\/v5\/market\/mark-price-kline\?category=linear&symbol=BTCUSDT&interval=60&limit=170$/, 'mark'],
    ['okx', 'BTC-USDT-SWAP', /^GET \/okx\/api\/v5\/market\/mark-price-candles\?instId=BTC-USDT-SWAP&bar=1H&limit=100$/, 'mark'],
    ['hyperliquid', 'BTC', /^POST \/hyperliquid\/info$/, 'trade'],
  ] as const)('%s %s: 1-day σ over the last 7 days of closed candles, as the engine computes it', async (ex, symbol, request, price) => {
    const now = { t: NOW };
    const saved: VolatilityCache[] = [];
    const svc = service(now, saved);
    expect(await svc.refresh(ex, [symbol])).toBe(1);
    expect(hits[0]).toMatch(request);
    const est = svc.estimates(ex)[symbol]!;
    expect(est.sigma).not.toBeNull();
    const expected = realizedVolatility(closedOnly(SERIES[symbol]!));
    expect(est).toEqual(expected);
    if (est.sigma !== null) {
      expect(est.returns).toBe(168);
      expect(est.to).toBe(Date.UTC(2026, 11, 5, 3)); // the open 04:00 candle is left out
    }
    expect(svc.snapshot()[ex]![symbol]!.price).toBe(price);
    expect(saved).toHaveLength(1);
  });

  it('OKX pages back with `after` (100 candles per request)', async () => {
    const svc = service({ t: NOW });
    await svc.refresh('okx', ['BTC-USDT-SWAP']);
    expect(hits).toHaveLength(2);
    expect(hits[1]).toMatch(/&after=\d+$/);
  });
});

describe('refresh policy and failures', () => {
  it('at most hourly per symbol', async () => {
    const now = { t: NOW };
    const svc = service(now);
    await svc.refresh('binance-usdm', ['BTCUSDT']);
    now.t += VOLATILITY_MAX_AGE_MS - 1;
    expect(svc.dueSymbols('binance-usdm', ['BTCUSDT'])).toEqual([]);
    expect(await svc.refresh('binance-usdm', ['BTCUSDT'])).toBe(0);
    expect(hits).toHaveLength(1);
    now.t += 1;
    expect(await svc.refresh('binance-usdm', ['BTCUSDT'])).toBe(1);
    expect(hits).toHaveLength(2);
  });

  it('an HTTP error is recorded, no estimate is invented, and the symbol is retried after 10 min', async () => {
    const now = { t: NOW };
    const svc = service(now);
    failNext = 500;
    await svc.refresh('bybit', ['BTCUSDT']);
    expect(svc.estimates('bybit')).toEqual({});
    expect(svc.snapshot().bybit!.BTCUSDT!.error).toMatch(/HTTP 500/);
    failNext = null;
    now.t += VOLATILITY_RETRY_MS - 1;
    expect(await svc.refresh('bybit', ['BTCUSDT'])).toBe(0);
    now.t += 1;
    expect(await svc.refresh('bybit', ['BTCUSDT'])).toBe(1);
    expect(svc.estimates('bybit').BTCUSDT!.sigma).not.toBeNull();
  });

  it('a malformed answer is refused naming the endpoint', async () => {
    const svc = service({ t: NOW });
    badShape = true;
    await svc.refresh('binance-usdm', ['BTCUSDT']);
    expect(svc.snapshot()['binance-usdm']!.BTCUSDT!.error).toMatch(/^binance markPriceKlines BTCUSDT: /);
    expect(svc.estimates('binance-usdm')).toEqual({});
  });

  it('an estimate older than 3 h is no longer used (unknown, not stale)', async () => {
    const now = { t: NOW };
    const svc = service(now);
    await svc.refresh('binance-usdm', ['BTCUSDT']);
    failNext = 503;
    now.t += 3 * VOLATILITY_MAX_AGE_MS;
    await svc.refresh('binance-usdm', ['BTCUSDT']);
    expect(svc.estimates('binance-usdm')).toEqual({});
  });

  it('no source (Binance COIN-M): nothing fetched', async () => {
    const svc = service({ t: NOW });
    expect(await svc.refresh('binance-coinm', ['BTCUSD_PERP'])).toBe(0);
    expect(hits).toEqual([]);
  });

  it('stored cache is checked entry by entry', async () => {
    const svc = service({ t: NOW });
    await svc.refresh('binance-usdm', ['BTCUSDT']);
    const stored = JSON.parse(JSON.stringify(svc.snapshot()));
    stored['binance-usdm'].ETHUSDT = { fetchedAt: 'yesterday' };
    stored.nowhere = { X: {} };
    const checked = checkVolatilityCache(stored);
    expect(Object.keys(checked)).toEqual(['binance-usdm']);
    expect(Object.keys(checked['binance-usdm']!)).toEqual(['BTCUSDT']);
  });
});
