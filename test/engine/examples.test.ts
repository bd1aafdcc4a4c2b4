// @vitest-environment node
/**
 * Worked examples published by the exchanges (formulas.md), each with the tolerance its
 * source allows: prices are shown to a tick (0.01) or rounded by the source's calculator.
 */
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../lib/engine';
import { account, pos } from './helpers';

const lp = (r: ReturnType<typeof evaluate>, i = 0) => Number(r.positions[i]!.liquidationPrice);
const bp = (r: ReturnType<typeof evaluate>, i = 0) => Number(r.positions[i]!.bankruptcyPrice);

describe('Binance USDⓈ-M (FAQ b3c689c1f50a44cabb3a84e663b81d93)', () => {
  // Official two-position cross example; expected values pinned by freqtrade tests/exchange/test_binance.py.
  const snap = account({
    walletBalance: '1535443.01',
    positions: [
      pos({ symbol: 'BTCUSDT', size: '109.488', entryPrice: '32481.98', markPrice: '31967.27', leverage: '20', tier: { mmr: '0.025', maintAmount: '16300' } }),
      pos({ symbol: 'ETHUSDT', size: '3683.979', entryPrice: '1456.84', markPrice: '1335.18', leverage: '10', tier: { mmr: '0.1', maintAmount: '135365' } }),
    ],
  });
  const r = evaluate(snap, {});

  it('cross one-way, two positions: MM of each at mark', () => {
    expect(r.positions[0]!.maintenanceMargin).toBe('71200.811444'); // 109.488 × 31967.27 × 2.5 % − 16300
    expect(r.positions[1]!.maintenanceMargin).toBe('356512.508122');
  });
  it.each([
    ['ETHUSDT', 1, 1153.26],
    ['BTCUSDT', 0, 26316.89],
  ])('cross LP %s = %d within a tick', (_s, i, expected) => {
    expect(Math.abs(lp(r, i) - expected)).toBeLessThanOrEqual(0.01);
  });

  it.each([
    // One-way isolated, WB = IM = Q·EP/L, cum 0 → long EP(1−1/L)/(1−MMR), short EP(1+1/L)/(1+MMR) (formulas.md §8)
    ['long', 54216.87],
    ['short', 65737.05],
  ] as const)('isolated %s 60,000 / 10x / 0.4 %% → %d', (side, expected) => {
    const s = account({
      positions: [pos({ symbol: 'BTCUSDT', side, size: '1', entryPrice: '60000', markPrice: '60000', marginMode: 'isolated', isolatedMargin: '6000', tier: { mmr: '0.004', maintAmount: '0' } })],
    });
    expect(Math.abs(lp(evaluate(s, {})) - expected)).toBeLessThanOrEqual(0.01);
  });

  it('negative liquidation price is "no liquidation price", never a number', () => {
    const s = account({ walletBalance: '1000000', positions: [pos({ symbol: 'BTCUSDT', size: '1', entryPrice: '60000', markPrice: '60000', tier: { mmr: '0.004', maintAmount: '0' } })] });
    const row = evaluate(s, {}).positions[0]!;
    expect(row.liquidationPrice).toBeNull();
    expect(row.reasons.map((x) => x.field)).toContain('liquidationPrice');
  });
});

describe('Binance COIN-M (FAQ ceccfcfb4e3a45e3b48b0b1bb1a8ae46, calculator)', () => {
  it('WB 101 BTC, 100,000 × 100 USD long @ 45,000, MMR 12.5 %, cum 11.605 BTC → LP 33,599.40', () => {
    const s = account({
      exchange: 'binance-coinm',
      walletBalance: '101',
      positions: [pos({ symbol: 'BTCUSD_PERP', contract: 'inverse', contractSize: '100', size: '100000', entryPrice: '45000', markPrice: '45000', tier: { mmr: '0.125', maintAmount: '11.605' } })],
    });
    // The calculator shows 2 dp of a value it computes with its own rounding of intermediate coin amounts.
    expect(Math.abs(lp(evaluate(s, {})) - 33599.4)).toBeLessThanOrEqual(0.05);
  });
  it('stale cum 11.81 moves the LP to 33,578.86 (the pitfall in formulas.md §10.4)', () => {
    const s = account({
      exchange: 'binance-coinm',
      walletBalance: '101',
      positions: [pos({ symbol: 'BTCUSD_PERP', contract: 'inverse', contractSize: '100', size: '100000', entryPrice: '45000', markPrice: '45000', tier: { mmr: '0.125', maintAmount: '11.81' } })],
    });
    expect(Math.abs(lp(evaluate(s, {})) - 33578.86)).toBeLessThanOrEqual(0.05);
  });
  it('100 contracts at mark 25,000 → notional 0.4 BTC, MM 0.0016 BTC at 0.4 %', () => {
    const s = account({
      exchange: 'binance-coinm',
      walletBalance: '1',
      positions: [pos({ symbol: 'BTCUSD_PERP', contract: 'inverse', contractSize: '100', size: '100', entryPrice: '25000', markPrice: '25000', tier: { mmr: '0.004', maintAmount: '0' } })],
    });
    const row = evaluate(s, {}).positions[0]!;
    expect(row.notional).toBe('0.4');
    expect(row.maintenanceMargin).toBe('0.0016');
  });
});

describe('Bybit isolated USDT (help: Liquidation Price USDT Contract; UTA isolated)', () => {
  const bybit = (side: 'long' | 'short', entry: string, lev: string, mmr: string, margin: string, taker = '0') =>
    account({
      exchange: 'bybit',
      takerFeeRate: taker,
      positions: [pos({ symbol: 'BTCUSDT', side, size: '1', entryPrice: entry, markPrice: entry, leverage: lev, marginMode: 'isolated', isolatedMargin: margin, tier: { mmr, maintAmount: '0' } })],
    });
  it.each([
    ['long 1 BTC @ 20,000, 50x, MMR 0.5 % → 19,700', bybit('long', '20000', '50', '0.005', '400'), 19700],
    ['short with 3,000 added → 23,300', bybit('short', '20000', '50', '0.005', '3400'), 23300],
    ['long after 200 funding paid from position margin → 19,900', bybit('long', '20000', '50', '0.005', '200'), 19900],
    ['classic: long 1 BTC @ 10,000, 50x → 9,850', bybit('long', '10000', '50', '0.005', '200'), 9850],
    ['classic: short @ 8,000, 40x → 8,160', bybit('short', '8000', '40', '0.005', '200'), 8160],
  ])('%s', (_name, snap, expected) => {
    expect(lp(evaluate(snap, {}))).toBeCloseTo(expected, 6);
  });
  it('the estimated close fee is in both IM and MM and cancels in the isolated LP', () => {
    // fee to close = 1 × 20,000 × (1 − 1/50) × 0.055 % = 10.78, carried in the position margin too.
    const r = evaluate(bybit('long', '20000', '50', '0.005', '410.78', '0.00055'), {});
    expect(lp(r)).toBeCloseTo(19700, 6);
    expect(r.positions[0]!.maintenanceMargin).toBe('110.78');
  });
  it('inverse isolated long: EP / (1 + 1/L − MMR)', () => {
    const s = account({
      exchange: 'bybit',
      takerFeeRate: '0',
      // 20,000 USD contracts @ 20,000 = 1 BTC, 50x → IM 0.02 BTC
      positions: [pos({ symbol: 'BTCUSD', contract: 'inverse', contractSize: '1', size: '20000', entryPrice: '20000', markPrice: '20000', leverage: '50', marginMode: 'isolated', isolatedMargin: '0.02', tier: { mmr: '0.005', maintAmount: '0' } })],
    });
    expect(lp(evaluate(s, {}))).toBeCloseTo(20000 / (1 + 1 / 50 - 0.005), 6);
  });
});

describe('BitMEX example (isolatedMarginExamples): MM fixed on entry value', () => {
  // Wallet 10,000 USDT, long 20 ETHUSDT @ 1,000, MM 1 % of entry value = 200 → LP 510, BP 500.
  // Bybit's isolated convention values MM at entry too, so the same solver reproduces it.
  it('LP 510, BP 500', () => {
    const s = account({
      exchange: 'bybit',
      takerFeeRate: '0',
      positions: [pos({ symbol: 'ETHUSDT', size: '20', entryPrice: '1000', markPrice: '1000', leverage: '50', marginMode: 'isolated', isolatedMargin: '10000', tier: { mmr: '0.01', maintAmount: '0' } })],
    });
    const r = evaluate(s, {});
    expect(lp(r)).toBe(510);
    expect(bp(r)).toBe(500);
  });
});

describe('Hyperliquid (docs: Liquidations)', () => {
  // liq_price = price − side × margin_available / position_size / (1 − l × side), l = 1/(2·maxLev),
  // margin_available = account_value − maintenance_margin_required.
  const hl = (side: 'long' | 'short') => {
    const sgn = side === 'long' ? 1 : -1;
    const price = 60000, size = 0.1, maxLev = 40, accountValue = 1000;
    const l = 1 / (2 * maxLev);
    const expected = price - (sgn * (accountValue - price * size * l)) / size / (1 - l * sgn);
    const snap = account({
      exchange: 'hyperliquid',
      walletBalance: String(accountValue),
      positions: [pos({ symbol: 'BTC', side, size: '0.1', entryPrice: '60000', markPrice: '60000', leverage: '20', maxLeverage: '40' })],
    });
    return { expected, r: evaluate(snap, {}) };
  };
  it.each(['long', 'short'] as const)('cross %s matches the docs formula', (side) => {
    const { expected, r } = hl(side);
    expect(Math.abs(lp(r) - expected)).toBeLessThan(1e-6);
    expect(r.positions[0]!.tier?.mmr).toBe('0.0125');
  });
});

describe('OKX (isolated est. LP, freqtrade/OKX help)', () => {
  // LP_long = (EP − margin/(ctVal·contracts)) / (1 − (MMR + taker)); short: (EP + m/(ctVal·n)) / (1 + (MMR + taker))
  it.each(['long', 'short'] as const)('isolated linear %s', (side) => {
    const ep = 90000, contracts = 30, ctVal = 0.01, margin = 270, mmr = 0.004, taker = 0.0005;
    const qty = contracts * ctVal;
    const expected = side === 'long'
      ? (ep - margin / qty) / (1 - (mmr + taker))
      : (ep + margin / qty) / (1 + (mmr + taker));
    const s = account({
      exchange: 'okx',
      takerFeeRate: '0.0005',
      positions: [pos({ symbol: 'BTC-USDT-SWAP', side, size: '0.3', contractSize: '0.01', entryPrice: '90000', markPrice: '90000', leverage: '10', marginMode: 'isolated', isolatedMargin: '270', tier: { mmr: '0.004', maintAmount: '0' } })],
    });
    expect(Math.abs(lp(evaluate(s, {})) - expected)).toBeLessThan(1e-6);
  });
  it('margin ratio is equity / (MM + liquidation fee): higher is safer', () => {
    const s = account({
      exchange: 'okx',
      walletBalance: '1000',
      takerFeeRate: '0.0005',
      positions: [pos({ symbol: 'BTC-USDT-SWAP', size: '0.1', contractSize: '0.01', entryPrice: '90000', markPrice: '90000', tier: { mmr: '0.004', maintAmount: '0' } })],
    });
    const r = evaluate(s, {});
    // MM = 9000 × 0.4 % = 36, fee = 9000 × 0.05 % = 4.5 → 1000 / 40.5
    expect(r.marginRatioConvention.direction).toBe('higher-is-safer');
    expect(Number(r.marginRatio)).toBeCloseTo(1000 / 40.5, 7);
    expect(Number(r.riskRatio)).toBeCloseTo(40.5 / 1000, 9);
  });
});

describe('Bybit classic account, inverse cross (help centre 360039261334)', () => {
  // https://help.bybit.com/hc/en-us/articles/360039261334-How-to-calculate-Liquidation-Price-Inverse-Contract-
  // Balance 0.5 BTC, long 10,000 contracts (USD) at 8,000, MMR 0.5 %, taker 0.075 %, no orders:
  // BP = 1.00075 × 10000 / (10000/8000 + 0.5) = 5,718.57; LP printed 5,739.50 (raw 5,739.08, 0.5 tick).
  const example = (accountType?: 'uta' | 'classic') =>
    account({
      exchange: 'bybit',
      ...(accountType && { accountType }),
      walletBalance: '0.5',
      takerFeeRate: '0.00075',
      positions: [
        pos({ symbol: 'BTCUSD', contract: 'inverse', contractSize: '1', size: '10000', entryPrice: '8000', markPrice: '8000', leverage: null, tier: { mmr: '0.005', maintAmount: '0' } }),
      ],
    });
  const instruments = { BTCUSD: { tickSize: '0.5', source: 'test: the help-centre example prints on 0.5', asOf: 'test' } };

  it.each([
    ['raw liquidation price', (r: ReturnType<typeof evaluate>) => r.positions[0]!.liquidationPrice, '5739.08'],
    ['bankruptcy price (fee-inclusive)', (r: ReturnType<typeof evaluate>) => r.positions[0]!.bankruptcyPrice, '5718.57'],
  ])('%s = %s to the cent', (_what, figure, expected) => {
    const r = evaluate(example('classic'), {}, { instruments });
    expect(Math.abs(Number(figure(r)) - Number(expected))).toBeLessThan(0.005);
  });

  it('printed as Bybit prints it: 5,739.50, and a page showing that reconciles', () => {
    const s = example('classic');
    s.positions[0]!.displayed = { liquidationPrice: '5739.5' };
    const row = evaluate(s, {}, { instruments }).positions[0]!;
    expect(row.liquidationPriceDisplayed).toBe('5739.5');
    expect(row.reconciliation.find((x) => x.field === 'liquidationPrice')).toMatchObject({ diff: '0', mismatch: false });
  });

  it('maintenance margin on the entry value plus the fee at the bankruptcy price (coin)', () => {
    const row = evaluate(example('classic'), {}, { instruments }).positions[0]!;
    // 10000/8000 × 0.5 % + 10000 × 0.075 % / 5718.5714… = 0.00625 + 0.00131153…
    expect(Math.abs(Number(row.maintenanceMargin) - (0.00625 + 7.5 / (10007.5 / 1.75)))).toBeLessThan(1e-8);
  });

  it('the same account as UTA (the default) keeps the mark-based formula: 5,745.94', () => {
    for (const s of [example(), example('uta')]) {
      const lp = Number(evaluate(s, {}).positions[0]!.liquidationPrice);
      expect(Math.abs(lp - 5745.94)).toBeLessThan(0.005);
    }
  });

  it('a classic short mirrors the long: BP = 0.99925 × Qty / (Qty/EP − balance)', () => {
    const s = example('classic');
    s.positions[0] = { ...s.positions[0]!, side: 'short' };
    s.walletBalance = '0.5';
    const row = evaluate(s, {}, { instruments }).positions[0]!;
    expect(Math.abs(Number(row.bankruptcyPrice) - (0.99925 * 10000) / (1.25 - 0.5))).toBeLessThan(0.005);
    // short: printed rounded down to the tick (toward the mark below)
    expect(Number(row.liquidationPriceDisplayed)).toBeLessThanOrEqual(Number(row.liquidationPrice));
    expect(Number(row.liquidationPrice) - Number(row.liquidationPriceDisplayed)).toBeLessThan(0.5);
  });

  it('accountType is refused on other exchanges', () => {
    expect(() => evaluate({ ...example('classic'), exchange: 'okx' }, {})).toThrow(/accountType: is only allowed on Bybit/);
  });
});

describe('OKX isolated: the printed liquidation price is one tick toward the mark (record)', () => {
  // GET /api/v5/account/positions record, ETH-USDT-SWAP isolated long, cTime 1764434109835 (2025-11-29), stored in a
  // public Java OKX SDK's response class (com.cs.oksdk.reponse.PositionsRes, code-index file id 52436353321):
  // pos 1 (ctVal 0.1 ETH), avgPx 3011, margin 30.11, lever 10, markPx 3010.54, mmr 1.204216 (= 0.4 % of 301.054),
  // mgnRatio 22.191662920568692, liqPx 2722.159673530889. Tick 0.01 (instruments, ccxt's recorded okx markets).
  const RECORD_LIQ = '2722.159673530889';
  const snap = account({
    exchange: 'okx',
    takerFeeRate: '0.0005',
    walletBalance: '0',
    positions: [
      pos({
        symbol: 'ETH-USDT-SWAP', size: '0.1', contractSize: '0.1', entryPrice: '3011', markPrice: '3010.54', leverage: '10',
        marginMode: 'isolated', isolatedMargin: '30.11', tier: { mmr: '0.004', maintAmount: '0' },
        displayed: { liquidationPrice: RECORD_LIQ, marginRatio: '22.191662920568692' },
      }),
    ],
  });
  const instruments = { 'ETH-USDT-SWAP': { tickSize: '0.01', source: 'bundled okx', asOf: '2024' } };
  const row = evaluate(snap, {}, { instruments }).positions[0]!;

  it('our inputs are the record\'s: its margin ratio reproduces', () => {
    expect(Math.abs(Number(row.marginRatio) - 22.191662920568692)).toBeLessThan(1e-6);
  });
  it('the record prints the price where the margin ratio reaches 100 % plus exactly one tick (toward the mark)', () => {
    // MR = 1: 30.11 + 0.1(P − 3011) = 0.1·P·(0.4 % + 0.05 %) → P = 270.99 / 0.09955
    expect(Math.abs(Number(row.liquidationPrice) - 270.99 / 0.09955)).toBeLessThan(1e-8);
    expect(Math.abs(Number(RECORD_LIQ) - Number(row.liquidationPrice) - 0.01)).toBeLessThan(1e-8);
  });
  it('printed 2,722.16 (up to the tick, then one tick); reconciles with the record, no ⚠', () => {
    expect(row.liquidationPriceDisplayed).toBe('2722.16');
    const rec = row.reconciliation.find((r) => r.field === 'liquidationPrice')!;
    expect(rec.mismatch).toBe(false);
    expect(Math.abs(Number(rec.diff))).toBeLessThan(0.001);
  });
});
