import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TIER_MAX_AGE_MS, TierService } from '../../lib/background/tiers';
import { D } from '../../lib/engine/decimal';
import { EXCHANGES, type ExchangeId } from '../../lib/engine/exchanges';
import type { TierTable } from '../../lib/engine/tiers';
import { BYBIT_TIER_BATCH } from '../../lib/exchanges/bybit/tier-source';
import { MAX_SYMBOLS_PER_EXCHANGE } from '../../lib/exchanges/common/stream';
import { LIVE_MMR_FLOOR_FACTOR, tierTableProblem } from '../../lib/exchanges/common/tier-source';
import { TIER_SOURCES } from '../../lib/exchanges/tier-sources';
import { BUNDLED_TIER_SOURCES, defaultTierTables } from '../../lib/exchanges/tiers';
import { startStreamServer, type StreamServer } from '../../harness/stream-server';

/** How each exchange spells the perpetual of a base coin. */
const SYMBOL: Record<ExchangeId, (coin: string) => string> = {
  'binance-usdm': (c) => `${c}USDT`,
  'binance-coinm': (c) => `${c}USD_PERP`,
  bybit: (c) => `${c}USDT`,
  okx: (c) => `${c}-USDT-SWAP`,
  hyperliquid: (c) => c,
};
const MAJORS = ['BTC', 'ETH', 'SOL', 'XRP', 'DOGE'];

/** What the report documents as not found; a change here must be a deliberate data change. */
const EXPECTED_UNAVAILABLE: Record<ExchangeId, string[]> = {
  'binance-usdm': [],
  'binance-coinm': [],
  bybit: ['ETHUSDT', 'SOLUSDT', 'XRPUSDT', 'DOGEUSDT'],
  okx: ['BTC-USDT-SWAP', 'ETH-USDT-SWAP', 'SOL-USDT-SWAP', 'XRP-USDT-SWAP', 'DOGE-USDT-SWAP'],
  hyperliquid: [],
};

/** |MM| mismatch allowed at a tier edge (settlement asset). Only Hyperliquid's 18-place 1/30 needs any. */
const EDGE_TOLERANCE = new D('1e-9');

const allTables: TierTable[] = EXCHANGES.flatMap((ex) => Object.values(defaultTierTables(ex)));

describe('bundled tier tables: coverage', () => {
  it.each(EXCHANGES)('%s has BTC/ETH/SOL/XRP/DOGE or lists exactly the missing ones', (ex) => {
    const tables = defaultTierTables(ex);
    const missing = MAJORS.map(SYMBOL[ex]).filter((s) => !(s in tables));
    expect(missing).toEqual(EXPECTED_UNAVAILABLE[ex]);
    expect([...BUNDLED_TIER_SOURCES[ex].unavailable]).toEqual(EXPECTED_UNAVAILABLE[ex]);
  });

  it('binance-usdm bundles all 19 symbols of the 2024-10 extract', () => {
    expect(Object.keys(defaultTierTables('binance-usdm')).sort()).toEqual(
      ['1000PEPEUSDT', 'ADAUSDT', 'ARBUSDT', 'AVAXUSDT', 'BNBUSDT', 'BTCUSDT', 'DOGEUSDT', 'DOTUSDT', 'ETHUSDT',
        'LINKUSDT', 'LTCUSDT', 'NEARUSDT', 'OPUSDT', 'SOLUSDT', 'SUIUSDT', 'TONUSDT', 'TRXUSDT', 'WIFUSDT', 'XRPUSDT'],
    );
  });

  it('every table is keyed under its own exchange and symbol, with a source and a date', () => {
    for (const ex of EXCHANGES) {
      for (const [key, t] of Object.entries(defaultTierTables(ex))) {
        expect(t.exchange).toBe(ex);
        expect(t.symbol).toBe(key);
        expect(t.source).toMatch(/^bundled: /);
        expect(t.asOf).toMatch(/^20\d\d/);
        expect(t.tiers.length).toBeGreaterThan(0);
      }
    }
  });
});

describe.each(allTables.map((t) => [`${t.exchange} ${t.symbol}`, t] as const))('%s', (_name, table) => {
  const tiers = table.tiers;

  it('starts at 0, is sorted and contiguous (each floor = previous cap), only the last cap may be open', () => {
    expect(new D(tiers[0]!.floor).isZero()).toBe(true);
    tiers.forEach((t, i) => {
      if (t.cap !== null) expect(new D(t.cap).gt(t.floor)).toBe(true);
      else expect(i).toBe(tiers.length - 1);
      if (i > 0) expect(new D(t.floor).eq(tiers[i - 1]!.cap!)).toBe(true);
    });
  });

  it('mmr is a fraction, non-decreasing; maxLeverage is non-increasing; maintAmount starts at 0', () => {
    expect(new D(tiers[0]!.maintAmount).isZero()).toBe(true);
    tiers.forEach((t, i) => {
      expect(new D(t.mmr).gt(0) && new D(t.mmr).lt(1)).toBe(true);
      expect(new D(t.maxLeverage).gte(1)).toBe(true);
      if (i > 0) {
        expect(new D(t.mmr).gte(tiers[i - 1]!.mmr)).toBe(true);
        expect(new D(t.maxLeverage).lte(tiers[i - 1]!.maxLeverage)).toBe(true);
      }
    });
  });

  it('MM = notional × mmr − maintAmount is continuous at every edge (the deduction recurrence)', () => {
    for (let i = 1; i < tiers.length; i++) {
      const [prev, cur] = [tiers[i - 1]!, tiers[i]!];
      const edge = new D(cur.floor);
      const below = edge.times(prev.mmr).minus(prev.maintAmount);
      const above = edge.times(cur.mmr).minus(cur.maintAmount);
      expect(above.minus(below).abs().lte(EDGE_TOLERANCE), `edge ${cur.floor}: ${below} vs ${above}`).toBe(true);
      // The published/derived deduction must also be non-negative and non-decreasing.
      expect(new D(cur.maintAmount).gte(prev.maintAmount)).toBe(true);
    }
  });
});

describe('binance-usdm cum', () => {
  it.each(Object.values(defaultTierTables('binance-usdm')).map((t) => [t.symbol, t] as const))(
    '%s: cum_n = floor_n × (MMR_n − MMR_{n−1}) + cum_{n−1} exactly',
    (_s, table) => {
      table.tiers.forEach((t, i) => {
        const expected =
          i === 0
            ? new D(0)
            : new D(t.floor).times(new D(t.mmr).minus(table.tiers[i - 1]!.mmr)).plus(table.tiers[i - 1]!.maintAmount);
        expect(new D(t.maintAmount).eq(expected), `bracket ${i + 1}: ${t.maintAmount} vs ${expected}`).toBe(true);
        expect(t.maintAmount).not.toMatch(/\.0$/);
      });
    },
  );

  it('BTCUSDT and ETHUSDT are the perpetual brackets (125x from 0), not the quarterly contracts', () => {
    const tables = defaultTierTables('binance-usdm');
    for (const s of ['BTCUSDT', 'ETHUSDT']) {
      expect(tables[s]!.tiers[0]).toEqual({ floor: '0', cap: '50000', mmr: '0.004', maintAmount: '0', maxLeverage: '125' });
      expect(tables[s]!.tiers).toHaveLength(12);
    }
    // FAQ worked number (formulas.md §1.2): 50,000 × (0.5 % − 0.4 %) = 50 at the second bracket.
    expect(tables.BTCUSDT!.tiers[1]!.maintAmount).toBe('50');
  });
});

describe('hyperliquid mmr', () => {
  it.each(Object.values(defaultTierTables('hyperliquid')).map((t) => [t.symbol, t] as const))(
    '%s: mmr = 1 / (2 × maxLeverage), exact or to 18 places',
    (_s, table) => {
      for (const t of table.tiers) {
        const exact = new D(1).div(new D(2).times(t.maxLeverage));
        expect(new D(t.mmr).eq(exact.toDecimalPlaces(18, D.ROUND_HALF_UP))).toBe(true);
      }
    },
  );

  it('matches the docs tiers (BTC 40x to 150M then 20x)', () => {
    expect(defaultTierTables('hyperliquid').BTC!.tiers).toEqual([
      { floor: '0', cap: '150000000', mmr: '0.0125', maintAmount: '0', maxLeverage: '40' },
      { floor: '150000000', cap: null, mmr: '0.025', maintAmount: '1875000', maxLeverage: '20' },
    ]);
  });
});

describe('bybit BTCUSDT', () => {
  it('has the 20 published tiers with the published deductions', () => {
    const t = defaultTierTables('bybit').BTCUSDT!.tiers;
    expect(t).toHaveLength(20);
    expect(t.map((x) => x.maintAmount).slice(0, 4)).toEqual(['0', '1200', '3020', '4300']);
    expect(t[19]).toEqual({ floor: '75000000', cap: '80000000', mmr: '0.045', maintAmount: '1482000', maxLeverage: '14' });
  });
});

// ---- live tables: plausibility, caps, batching, request options (issue 12 items 8 and 12) ----

const BTC = () => defaultTierTables('bybit').BTCUSDT!;
const withTiers = (t: TierTable, f: (tiers: TierTable['tiers']) => TierTable['tiers']): TierTable => ({ ...t, tiers: f(t.tiers.map((x) => ({ ...x }))) });

describe('tierTableProblem', () => {
  it('passes every bundled table, against itself too (control)', () => {
    for (const t of allTables) expect(tierTableProblem(t, t), `${t.exchange} ${t.symbol}`).toBeNull();
  });

  it.each([
    ['no tiers', (t: TierTable['tiers']) => [], /no tiers/],
    ['first floor not 0', (t: TierTable['tiers']) => ((t[0]!.floor = '10'), t), /tier 1 floor is 10/],
    ['MMR 0', (t: TierTable['tiers']) => ((t[2]!.mmr = '0'), t), /tier 3 MMR 0 is not a fraction/],
    ['MMR negative', (t: TierTable['tiers']) => ((t[0]!.mmr = '-0.005'), t), /tier 1 MMR/],
    ['MMR ≥ 1', (t: TierTable['tiers']) => ((t[19]!.mmr = '1'), t), /tier 20 MMR 1 /],
    ['MMR text', (t: TierTable['tiers']) => ((t[1]!.mmr = 'abc'), t), /tier table: /],
    ['max leverage 0', (t: TierTable['tiers']) => ((t[0]!.maxLeverage = '0'), t), /tier 1 max leverage/],
    ['negative maintenance amount', (t: TierTable['tiers']) => ((t[1]!.maintAmount = '-1'), t), /tier 2 maintenance amount/],
    ['caps not increasing', (t: TierTable['tiers']) => ((t[3]!.cap = t[2]!.cap), t), /tier 4 cap .* (does not increase|is not above its floor)/],
    ['cap below floor', (t: TierTable['tiers']) => ((t[1]!.cap = '1'), t), /tier 2 cap 1 is not above its floor/],
    ['open cap before the last tier', (t: TierTable['tiers']) => ((t[5]!.cap = null), t), /tier 6 has no cap but is not the last/],
    ['MMR decreasing', (t: TierTable['tiers']) => ((t[4]!.mmr = '0.0051'), t), /tier 5 MMR 0.0051 is below tier 4's/],
  ])('refuses a table with %s', (_what, mutate, why) => {
    expect(tierTableProblem(withTiers(BTC(), mutate))).toMatch(why);
  });

  it(`refuses a table whose MMR is far below the bundled one (under ${LIVE_MMR_FLOOR_FACTOR} ×), accepts a modest cut`, () => {
    const scaled = (k: string) => withTiers(BTC(), (t) => t.map((x) => ({ ...x, mmr: new D(x.mmr).mul(k).toString(), maintAmount: new D(x.maintAmount).mul(k).toString() })));
    expect(tierTableProblem(scaled('0.4'), BTC())).toMatch(/MMR 0.002 at 0 is far below the bundled 0.005/);
    expect(tierTableProblem(scaled('0.4'))).toBeNull(); // plausible on its own: only the bundled table shows it is too low
    expect(tierTableProblem(scaled('0.8'), BTC())).toBeNull();
    // A shorter live table is compared only where it reaches.
    expect(tierTableProblem(withTiers(BTC(), (t) => t.slice(0, 3)), BTC())).toBeNull();
  });
});

describe('TierService with live sources on a loopback server', () => {
  let server: StreamServer;
  beforeAll(async () => {
    server = await startStreamServer();
  });
  afterAll(async () => {
    await server.close();
  });
  beforeEach(() => server.reset());

  /** The real fetch, recording each request's options and how many are in flight. */
  function recordingFetch() {
    const calls: { url: string; init: RequestInit | undefined }[] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    const f = (async (url: string, init?: RequestInit) => {
      calls.push({ url: String(url), init });
      maxInFlight = Math.max(maxInFlight, ++inFlight);
      try {
        return await fetch(url, init);
      } finally {
        inFlight--;
      }
    }) as typeof fetch;
    return { f, calls, max: () => maxInFlight };
  }
  const service = (f: typeof fetch) => new TierService({}, { fetch: f, now: () => 1000, override: () => ({ rest: server.httpOrigin }), save: async () => undefined });

  const bybitList = (symbol: string, mmrs: string[]) => ({
    retCode: 0,
    result: { list: mmrs.map((m, i) => ({ symbol, riskLimitValue: String(2_000_000 * (i + 1)), maintenanceMargin: m, maxLeverage: String(100 - i * 10), mmDeduction: '' })) },
  });

  it('refuses an implausible live table: the bundled table stays in use and the problem is reported', async () => {
    server.setRest('bybit', '/v5/market/risk-limit', bybitList('BTCUSDT', ['0.0001', '0.0002']));
    const svc = service(recordingFetch().f);
    const entry = await svc.refresh('bybit', ['BTCUSDT']);
    expect(entry?.error).toMatch(/live table for BTCUSDT refused: MMR 0.0001 at 0 is far below the bundled 0.005/);
    expect(entry?.tables.BTCUSDT).toBeUndefined();
    expect(svc.used('bybit', 'BTCUSDT').kind).toBe('bundled');
    expect(svc.tablesFor('bybit').BTCUSDT).toBe(BTC());
  });

  it('keeps the cached live table when a later one is implausible, and does not call it fresh', async () => {
    server.setRest('bybit', '/v5/market/risk-limit', bybitList('BTCUSDT', ['0.005', '0.0056']));
    let now = 1000;
    const svc = new TierService({}, { fetch: recordingFetch().f, now: () => now, override: () => ({ rest: server.httpOrigin }), save: async () => undefined });
    expect((await svc.refresh('bybit', ['BTCUSDT']))?.error).toBeNull();
    const good = svc.tablesFor('bybit').BTCUSDT!;
    expect(good.source).toContain('/v5/market/risk-limit');
    server.setRest('bybit', '/v5/market/risk-limit', bybitList('BTCUSDT', ['0.005', '0.5', '1.5'])); // a rate of 150 %
    now = 1000 + TIER_MAX_AGE_MS; // the cached table is now old: the refusal must not make it look live
    expect((await svc.refresh('bybit', ['BTCUSDT']))?.error).toMatch(/refused: tier 3 MMR 1.5 is not a fraction in \(0, 1\)/);
    expect(svc.tablesFor('bybit').BTCUSDT).toEqual(good);
    expect(svc.used('bybit', 'BTCUSDT').kind).toBe('cached');
  });

  it(`asks for at most ${MAX_SYMBOLS_PER_EXCHANGE} symbols per exchange and names the rest`, async () => {
    server.setRest('okx', '/api/v5/public/position-tiers', { code: '0', data: [{ instFamily: 'X', tier: '1', minSz: '0', maxSz: '1', mmr: '0.01', maxLever: '10' }] });
    const rec = recordingFetch();
    const symbols = Array.from({ length: MAX_SYMBOLS_PER_EXCHANGE + 7 }, (_, i) => `C${String(i).padStart(3, '0')}-USDT-SWAP`);
    const entry = await service(rec.f).refresh('okx', symbols);
    expect(rec.calls).toHaveLength(MAX_SYMBOLS_PER_EXCHANGE);
    expect(entry?.error).toMatch(new RegExp(`7 symbols over the cap of ${MAX_SYMBOLS_PER_EXCHANGE} not fetched: C050-USDT-SWAP`));
  });

  it(`sends Bybit risk-limit requests in batches of ${BYBIT_TIER_BATCH}`, async () => {
    const symbols = Array.from({ length: 12 }, (_, i) => `C${i}USDT`);
    for (const s of symbols) server.setRest('bybit', '/v5/market/risk-limit', bybitList(s, ['0.01', '0.02']), { match: (u) => u.searchParams.get('symbol') === s });
    const rec = recordingFetch();
    const entry = await service(rec.f).refresh('bybit', symbols);
    expect(entry?.error).toBeNull();
    expect(Object.keys(entry!.tables).sort()).toEqual([...symbols].sort());
    expect(rec.calls).toHaveLength(12);
    expect(rec.max()).toBe(BYBIT_TIER_BATCH);
  });

  it.each(Object.keys(TIER_SOURCES) as ExchangeId[])('%s: every public request omits credentials and the referrer', async (ex) => {
    const rec = recordingFetch();
    await service(rec.f).refresh(ex, [SYMBOL[ex]('BTC')]); // no route: a 404, reported; the request is what counts
    expect(rec.calls.length).toBeGreaterThan(0);
    for (const c of rec.calls) expect(c.init).toMatchObject({ credentials: 'omit', referrerPolicy: 'no-referrer' });
  });
});
