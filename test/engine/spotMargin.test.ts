// @vitest-environment node
/**
 * Spot margin engine: worked examples from Binance's own pages, then property laws.
 * Sources of each example are in the table rows.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { D } from '../../lib/engine/decimal';
import { SnapshotError, parseAnySnapshot, type SpotMarginSnapshot } from '../../lib/engine/snapshot';
import { evaluateSpotMargin } from '../../lib/engine/spotMargin';
import type { SpotMarginCrossRisk, SpotMarginIsolatedRisk } from '../../lib/engine/spotMarginTypes';
import { SpotMarginScenarioError, applySpotMarginMoves, spotMarginWhatIf } from '../../lib/engine/spotMarginWhatIf';

type AssetIn = SpotMarginSnapshot['assets'][number];
const asset = (a: Partial<AssetIn> & Pick<AssetIn, 'asset'>): AssetIn => ({ free: '0', locked: '0', borrowed: '0', interest: '0', price: null, ...a });
const cross = (assets: AssetIn[], extra: Partial<SpotMarginSnapshot> = {}): SpotMarginSnapshot =>
  ({ kind: 'spot-margin', exchange: 'binance-margin', mode: 'cross', assets, ...extra }) as SpotMarginSnapshot;
const evalCross = (s: unknown) => evaluateSpotMargin(s) as SpotMarginCrossRisk;
const rel = (a: string | null, b: string) => Math.abs(new D(a!).minus(b).div(b).toNumber());

describe('worked examples', () => {
  it('Query Cross Margin Account Details example: 6.82728457 / 0.58633215 ≈ the printed marginLevel 11.64405625; net asset exact', () => {
    // https://developers.binance.com/docs/margin_trading/account/Query-Cross-Margin-Account-Details
    // (totals in BTC: an account quoted in BTC whose one asset carries the doc's totals).
    const r = evalCross(cross([asset({ asset: 'BTC', free: '6.82728457', borrowed: '0.58633215', price: '1' })], { quoteAsset: 'BTC', displayed: { marginLevel: '11.64405625' } }));
    expect(rel(r.marginLevel, '11.64405625')).toBeLessThan(1e-6);
    expect(r.totalAssetValue).toBe('6.82728457');
    expect(r.totalLiability).toBe('0.58633215');
    expect(r.netAsset).toBe('6.24095242');
    expect(r.reconciliation.find((x) => x.field === 'marginLevel')?.mismatch).toBe(false);
  });

  it('same doc, BNB row: netAsset = free + locked − borrowed − interest = 2144.83333328', () => {
    const r = evalCross(cross([asset({ asset: 'BNB', free: '2346.5', borrowed: '201.66666672', price: '600' })]));
    expect(r.assets[0]!.netAsset).toBe('2144.83333328');
  });

  // Margin call and liquidation bars, https://binance.com/en-TR/support/faq/binance-margin-level-and-risk-control-360030493931:
  // 3x: margin call 1.1 < level ≤ 1.3, liquidation ≤ 1.1; 5x: margin call 1.1 < level ≤ 1.16.
  // Level = BTC value / USDT debt, debt 1000 USDT, so the BTC value sets the level.
  it.each([
    ['3', '1301', 'normal'],
    ['3', '1300', 'margin-call'],
    ['3', '1101', 'margin-call'],
    ['3', '1100', 'liquidation'],
    ['5', '1300', 'normal'],
    ['5', '1161', 'normal'],
    ['5', '1160', 'margin-call'],
    ['5', '1100', 'liquidation'],
  ] as const)('Cross %sx at level %s/1000: %s', (lev, btcValue, status) => {
    const r = evalCross(cross([asset({ asset: 'USDT', borrowed: '1000', price: '1' }), asset({ asset: 'BTC', free: '1', price: btcValue })], { maxLeverage: lev }));
    expect(r.status).toBe(status);
    expect(r.liquidated).toBe(status === 'liquidation');
    expect(r.riskRatio).toBe(new D('1.1').div(new D(btcValue).div(1000)).toDecimalPlaces(8).toFixed());
  });

  // Derived from the FAQ definition (by hand): 1000 USDT own + 2000 USDT borrowed buy 0.06 BTC at 50 000.
  // Level = 3000 / 2000 = 1.5. BTC liquidation price: 0.06 p = 1.1 × 2000 → p = 36 666.67 (rounded toward the price).
  it('long BTC on borrowed USDT: level 1.5, BTC liquidation price 36666.66666667, uniform move −26.67 %', () => {
    const r = evalCross(cross([asset({ asset: 'USDT', borrowed: '2000', price: '1' }), asset({ asset: 'BTC', free: '0.06', price: '50000' })], { maxLeverage: '3' }));
    expect(r.marginLevel).toBe('1.5');
    expect(r.assets[1]!.liquidationPrice).toBe('36666.66666667');
    expect(r.assets[1]!.liquidationSide).toBe('below');
    expect(r.liquidationMove.down).toBe('-0.26666667');
    expect(r.liquidationMove.up).toBeNull();
    expect(r.assets[0]!.liquidationPrice).toBeNull(); // USDT is the quote: held fixed
    expect(r.firstToLiquidate).toBe(1);
  });

  // Short: borrow 0.04 BTC at 50 000 and sell it: 3000 USDT held, 0.04 BTC owed. Level 1.5; liquidation
  // when 3000 = 1.1 × 0.04 p → p = 68 181.82 (rounded toward the price).
  it('short BTC (borrowed BTC sold for USDT): liquidation price above, 68181.81818181', () => {
    const r = evalCross(cross([asset({ asset: 'USDT', free: '3000', price: '1' }), asset({ asset: 'BTC', borrowed: '0.04', price: '50000' })]));
    expect(r.marginLevel).toBe('1.5');
    expect(r.assets[1]!.liquidationPrice).toBe('68181.81818181');
    expect(r.assets[1]!.liquidationSide).toBe('above');
    expect(r.liquidationMove.up).toBe('0.36363636');
  });

  it('Isolated pair BTCUSDT: its own level and liquidation price, reconciled with the displayed one', () => {
    const r = evaluateSpotMargin({
      kind: 'spot-margin', exchange: 'binance-margin', mode: 'isolated',
      pairs: [
        { symbol: 'BTCUSDT', base: { asset: 'BTC', free: '0.06', locked: '0', borrowed: '0', interest: '0' }, quote: { asset: 'USDT', free: '0', locked: '0', borrowed: '2000', interest: '0' }, price: '50000', displayed: { marginLevel: '1.5', liquidationPrice: '36666.67' } },
        { symbol: 'ETHUSDT', base: { asset: 'ETH', free: '1', locked: '0', borrowed: '0', interest: '0' }, quote: { asset: 'USDT', free: '0', locked: '0', borrowed: '1000', interest: '0' }, price: '3000' },
      ],
    }) as SpotMarginIsolatedRisk;
    expect(r.pairs[0]!.marginLevel).toBe('1.5');
    expect(r.pairs[0]!.liquidationPrice).toBe('36666.66666667');
    expect(r.pairs[0]!.reconciliation.every((x) => !x.mismatch)).toBe(true);
    expect(r.pairs[1]!.marginLevel).toBe('3');
    expect(r.worstPair).toBe(0);
    expect(r.marginLevel).toBe('1.5');
    expect(r.pairs[0]!.reasons.some((x) => x.field === 'thresholds.liquidation')).toBe(true); // isolated bars are assumed, and said so
  });

  it('interest counts as liability (Total Liabilities + Outstanding Interest)', () => {
    const r = evalCross(cross([asset({ asset: 'USDT', borrowed: '1990', interest: '10', price: '1' }), asset({ asset: 'BTC', free: '0.06', price: '50000' })]));
    expect(r.marginLevel).toBe('1.5');
    expect(r.totalLiability).toBe('2000');
  });
});

describe('unknown is not zero', () => {
  it('an unpriced asset with a balance makes the totals, level and liquidation prices unknown, naming it', () => {
    const r = evalCross(cross([asset({ asset: 'USDT', borrowed: '1000', price: '1' }), asset({ asset: 'ETH', free: '1', price: null }), asset({ asset: 'BTC', free: '0.1', price: '50000' })]));
    expect(r.marginLevel).toBeNull();
    expect(r.riskRatio).toBeNull();
    expect(r.status).toBeNull();
    expect(r.assets[2]!.liquidationPrice).toBeNull();
    expect(r.reasons.some((x) => x.reason.includes('ETH'))).toBe(true);
  });
  it('an unpriced asset with nothing in it does not matter', () => {
    const r = evalCross(cross([asset({ asset: 'USDT', borrowed: '1000', price: '1' }), asset({ asset: 'ETH', price: null }), asset({ asset: 'BTC', free: '0.1', price: '50000' })]));
    expect(r.marginLevel).toBe('5');
  });
  it('no liabilities: level unbounded (null, none), risk 0, no liquidation price', () => {
    const r = evalCross(cross([asset({ asset: 'BTC', free: '1', price: '50000' })]));
    expect(r.marginLevel).toBeNull();
    expect(r.noLiabilities).toBe(true);
    expect(r.riskRatio).toBe('0');
    expect(r.status).toBe('no-liabilities');
    expect(r.assets[0]!.liquidationPrice).toBeNull();
    expect(r.assets[0]!.reasons[0]!.none).toBe(true);
  });
  it('Cross Margin Pro: our level unknown (different definition); the displayed level drives the risk at liquidation 1.0', () => {
    const r = evalCross(cross([asset({ asset: 'USDT', borrowed: '2000', price: '1' }), asset({ asset: 'BTC', free: '0.06', price: '50000' })], { variant: 'pro', displayed: { marginLevel: '2' } }));
    expect(r.marginLevel).toBeNull();
    expect(r.thresholds.liquidation).toBe('1');
    expect(r.riskRatio).toBe('0.5');
    expect(r.convention.definition).toContain('Pro');
  });
  it('the account\'s own bars override the defaults', () => {
    const r = evalCross(cross([asset({ asset: 'USDT', borrowed: '1000', price: '1' }), asset({ asset: 'BTC', free: '1', price: '1400' })], { thresholds: { marginCall: '1.5', liquidation: '1.2' } }));
    expect(r.thresholds).toMatchObject({ marginCall: '1.5', liquidation: '1.2', source: 'snapshot' });
    expect(r.status).toBe('margin-call');
    expect(r.assets[1]!.liquidationPrice).toBe('1200');
  });
});

describe('snapshot schema', () => {
  it('futures snapshots still parse as before; spot-margin input is told apart by kind', () => {
    const fut = parseAnySnapshot({ exchange: 'binance-usdm', positionMode: 'one-way', walletBalance: '1', positions: [] });
    expect('positions' in fut).toBe(true);
    const sm = parseAnySnapshot(cross([asset({ asset: 'BTC', free: '1', price: '1' })]));
    expect('kind' in sm && sm.kind).toBe('spot-margin');
  });
  it.each([
    [{ assets: [asset({ asset: 'BTC', free: '-1', price: '1' })] }, 'assets[0].free'],
    [{ assets: [asset({ asset: 'BTC', price: '1' }), asset({ asset: 'BTC', price: '1' })] }, 'assets[1]'],
    [{ assets: [], thresholds: { marginCall: '1.1', liquidation: '1.1' } }, 'thresholds.marginCall'],
    [{ mode: 'isolated', assets: [asset({ asset: 'BTC', price: '1' })] }, 'assets'],
  ])('rejects %j naming %s', (extra, field) => {
    let err: unknown;
    try {
      evaluateSpotMargin({ ...cross([]), ...extra });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SnapshotError);
    expect((err as SnapshotError).field).toBe(field);
  });
});

describe('what-if', () => {
  const base = cross([asset({ asset: 'USDT', borrowed: '2000', interest: '0', free: '500', price: '1' }), asset({ asset: 'BTC', free: '0.05', price: '50000' })]);
  // TA = 500 + 2500 = 3000, TL = 2000 → 1.5
  it.each([
    [{ kind: 'repay', asset: 'USDT', amount: '500' }, '1.66666667'], // 2500 / 1500
    [{ kind: 'transfer-in', asset: 'USDT', amount: '1000' }, '2'], // 4000 / 2000
    [{ kind: 'borrow', asset: 'USDT', amount: '1000' }, '1.33333333'], // 4000 / 3000
    [{ kind: 'shift-price', asset: 'BTC', percent: '-20' }, '1.25'], // 2500 / 2000
    [{ kind: 'set-price', asset: 'BTC', price: '60000' }, '1.75'], // 3500 / 2000
    [{ kind: 'shift-price', percent: '10' }, '1.625'], // 3250 / 2000, USDT held
  ])('%j → level %s', (move, level) => {
    const r = spotMarginWhatIf(base, { moves: [move] });
    expect(r.before.marginLevel).toBe('1.5');
    expect(r.after.marginLevel).toBe(level);
    expect(r.deltas.marginLevel).toBe(new D(level).minus('1.5').toFixed());
  });
  it('repay pays interest before principal', () => {
    const s = applySpotMarginMoves(cross([asset({ asset: 'USDT', borrowed: '100', interest: '3', free: '50', price: '1' })]), [{ kind: 'repay', asset: 'USDT', amount: '10' }]);
    expect(s.assets[0]).toMatchObject({ interest: '0', borrowed: '93', free: '40' });
  });
  it.each([
    [{ kind: 'repay', asset: 'USDT', amount: '501' }, 'free balance'],
    [{ kind: 'transfer-in', asset: 'BTC', amount: '-1' }, 'free balance'],
    [{ kind: 'borrow', asset: 'ETH', amount: '1' }, 'price is unknown'],
    [{ kind: 'nope' }, 'kind'],
  ])('refuses %j', (move, msg) => {
    expect(() => spotMarginWhatIf(base, { moves: [move] })).toThrow(SpotMarginScenarioError);
    expect(() => spotMarginWhatIf(base, { moves: [move] })).toThrow(msg);
  });
});

// ------------------------------------------------------------------------------------------
const SEED = { seed: 20261205, numRuns: 200 };
const dec = (min: number, max: number, dp = 4) =>
  fc.integer({ min: Math.round(min * 10 ** dp), max: Math.round(max * 10 ** dp) }).map((n) => new D(n).div(10 ** dp).toFixed());

/** A random cross account quoted in USDT with 1–4 non-stable assets, some debt, level above 1.1. */
const account = fc
  .record({
    usdtFree: dec(0, 50_000, 2),
    usdtDebt: dec(0, 50_000, 2),
    coins: fc.uniqueArray(
      fc.record({ asset: fc.constantFrom('BTC', 'ETH', 'BNB', 'SOL'), held: dec(0, 20), owed: dec(0, 5), interest: dec(0, 0.01), price: dec(1, 90_000, 2) }),
      { minLength: 1, maxLength: 4, selector: (c) => c.asset },
    ),
  })
  .map((r) =>
    cross([
      asset({ asset: 'USDT', free: r.usdtFree, borrowed: r.usdtDebt, price: '1' }),
      ...r.coins.map((c) => asset({ asset: c.asset, free: c.held, borrowed: c.owed, interest: c.interest, price: c.price })),
    ]),
  )
  .filter((s) => {
    const r = evalCross(s);
    return r.marginLevel !== null && new D(r.marginLevel).gt('1.1') && new D(r.marginLevel).lt(1000);
  });

const levelOf = (s: SpotMarginSnapshot) => new D(evalCross(s).marginLevel!);

describe('laws', () => {
  it('at each asset\'s liquidation price (others held) the margin level equals the liquidation level', () => {
    fc.assert(
      fc.property(account, (s) => {
        const r = evalCross(s);
        for (const a of r.assets) {
          if (a.liquidationPrice === null) continue;
          const moved = applySpotMarginMoves(s, [{ kind: 'set-price', asset: a.asset, price: a.liquidationPrice }]);
          const level = levelOf(moved);
          // the price is rounded to 8 dp toward the current price: the level is at or just above 1.1
          expect(level.minus('1.1').abs().lt('1e-6')).toBe(true);
        }
      }),
      SEED,
    );
  });

  it('after the uniform move to liquidation the level equals the liquidation level', () => {
    fc.assert(
      fc.property(account, (s) => {
        const r = evalCross(s);
        const x = r.liquidationMove.down ?? r.liquidationMove.up;
        // x is rounded to 8 dp: skip moves that leave under 1 % of the price (rounding then dominates)
        if (x === null || new D(x).plus(1).lt('0.01')) return;
        const moved = applySpotMarginMoves(s, [{ kind: 'shift-price', percent: new D(x).times(100).toFixed() }]);
        expect(levelOf(moved).minus('1.1').abs().lt('1e-5')).toBe(true);
      }),
      SEED,
    );
  });

  it('repaying debt from free balance raises the margin level (level > 1)', () => {
    fc.assert(
      fc.property(account, fc.double({ min: 0.01, max: 1, noNaN: true }), (s, frac) => {
        const usdt = s.assets[0]!;
        const amt = D.min(usdt.free, usdt.borrowed).times(frac.toFixed(4)).toDecimalPlaces(2, D.ROUND_DOWN);
        if (amt.lte(0)) return;
        const after = applySpotMarginMoves(s, [{ kind: 'repay', asset: 'USDT', amount: amt.toFixed() }]);
        const la = evalCross(after);
        if (la.noLiabilities) return; // fully repaid: unbounded
        expect(new D(la.marginLevel!).gt(levelOf(s))).toBe(true);
      }),
      SEED,
    );
  });

  it('transferring collateral in raises the margin level', () => {
    fc.assert(
      fc.property(account, dec(0.01, 10_000, 2), fc.constantFrom('USDT', 'BTC', 'ETH', 'BNB', 'SOL'), (s, amt, a) => {
        if (!s.assets.some((x) => x.asset === a)) return;
        const after = applySpotMarginMoves(s, [{ kind: 'transfer-in', asset: a, amount: amt }]);
        expect(levelOf(after).gt(levelOf(s))).toBe(true);
      }),
      SEED,
    );
  });

  it('the margin level falls monotonically as a borrowed (net-short) asset\'s price rises, and as a held (net-long) asset\'s price falls', () => {
    fc.assert(
      fc.property(account, fc.array(fc.integer({ min: 1, max: 60 }), { minLength: 2, maxLength: 6 }), (s, steps) => {
        for (const a of s.assets.slice(1)) {
          const owedOnly = new D(a.free).isZero() && new D(a.borrowed).plus(a.interest).gt(0);
          const heldOnly = new D(a.borrowed).plus(a.interest).isZero() && new D(a.free).gt(0);
          if (!owedOnly && !heldOnly) continue;
          let prev = levelOf(s);
          let snap = s;
          for (const pct of steps) {
            snap = applySpotMarginMoves(snap, [{ kind: 'shift-price', asset: a.asset, percent: owedOnly ? String(pct) : String(-Math.min(pct, 50)) }]);
            const l = evalCross(snap).marginLevel;
            if (l === null) break;
            expect(new D(l).lte(prev)).toBe(true);
            prev = new D(l);
          }
        }
      }),
      SEED,
    );
  });

  it('risk ratio = liquidation level / margin level, and liquidated exactly when risk ≥ 1', () => {
    fc.assert(
      fc.property(account, dec(-60, 60, 1), (s, pct) => {
        const r = evalCross(applySpotMarginMoves(s, [{ kind: 'shift-price', percent: pct }]));
        if (r.marginLevel === null || r.riskRatio === null) return;
        expect(new D(r.riskRatio).minus(new D('1.1').div(r.marginLevel)).abs().lt('1e-8')).toBe(true);
        expect(r.liquidated).toBe(new D(r.marginLevel).lte('1.1'));
      }),
      SEED,
    );
  });
});

describe('unread rows', () => {
  it('an asset the page listed but the reader could not read makes the cross level unknown', () => {
    const r = evalCross(cross([asset({ asset: 'USDT', borrowed: '1000', price: '1' }), asset({ asset: 'BTC', free: '0.1', price: '50000' })], { unread: ['ETH'] }));
    expect(r.marginLevel).toBeNull();
    expect(r.riskRatio).toBeNull();
    expect(r.assets[1]!.liquidationPrice).toBeNull();
    expect(r.reasons.some((x) => x.reason.includes('ETH'))).toBe(true);
  });
  it('an unread isolated pair leaves the others known but the account\'s worst unknown', () => {
    const r = evaluateSpotMargin({
      kind: 'spot-margin', exchange: 'binance-margin', mode: 'isolated', unread: ['ETHUSDT'],
      pairs: [{ symbol: 'BTCUSDT', base: { asset: 'BTC', free: '0.06', locked: '0', borrowed: '0', interest: '0' }, quote: { asset: 'USDT', free: '0', locked: '0', borrowed: '2000', interest: '0' }, price: '50000' }],
    }) as SpotMarginIsolatedRisk;
    expect(r.pairs[0]!.marginLevel).toBe('1.5');
    expect(r.riskRatio).toBeNull();
    expect(r.liquidated).toBeNull();
  });
});
