import { describe, expect, it } from 'vitest';
import { D } from '../../lib/engine/decimal';
import { EXCHANGES, type ExchangeId } from '../../lib/engine/snapshot';
import type { TierTable } from '../../lib/engine/tiers';
import { BUNDLED_TIER_SOURCES, defaultTierTables } from '../../lib/exchanges/tiers';

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
  'binance-coinm': ['BTCUSD_PERP', 'ETHUSD_PERP', 'SOLUSD_PERP', 'XRPUSD_PERP', 'DOGEUSD_PERP'],
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
