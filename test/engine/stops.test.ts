// @vitest-environment node
/**
 * Stop-loss awareness: example tables (isolated, cross, hedge, a stop that becomes
 * beyond-liquidation after another position moves, no stop, partial, unknown) and laws.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { D } from '../../lib/engine/decimal';
import { evaluate, withMarks, type AccountSnapshot } from '../../lib/engine';
import { positionStops } from '../../lib/engine/stops';
import type { OrderSnapshot } from '../../lib/engine/snapshot';
import { account, pos } from './helpers';

const T = { mmr: '0.004', maintAmount: '0' };
const stop = (o: Partial<OrderSnapshot> & Pick<OrderSnapshot, 'triggerPrice'>): OrderSnapshot => ({
  symbol: 'BTCUSDT',
  side: 'sell',
  type: 'stop-market',
  closePosition: true,
  reduceOnly: true,
  ...o,
});

/** Bybit isolated long 1 BTC @ 20,000, 50x, MMR 0.5 %, margin 400: LP 19,700 (help centre example). */
const isolated = (orders: OrderSnapshot[] | undefined): AccountSnapshot =>
  account({
    exchange: 'bybit',
    takerFeeRate: '0',
    positions: [pos({ symbol: 'BTCUSDT', size: '1', entryPrice: '20000', markPrice: '20000', leverage: '50', marginMode: 'isolated', isolatedMargin: '400', tier: { mmr: '0.005', maintAmount: '0' } })],
    ...(orders && { orders }),
  });

describe('stop before liquidation: isolated (LP 19,700)', () => {
  it.each([
    // trigger, status, gap to LP / mark, margin left at the trigger = 400 + (S − 20,000) − 100 (MM on entry value)
    ['19800', 'fires-first', '0.005', '100'],
    ['19701', 'fires-first', '0.00005', '1'],
    ['19700', 'never-fires', '0', '0'],
    ['19650', 'never-fires', '0.0025', '-50'],
  ])('stop at %s → %s', (trigger, status, gap, left) => {
    const [s] = positionStops(isolated([stop({ triggerPrice: trigger })]), {});
    expect(s!.status).toBe(status);
    expect(s!.liquidationPrice).toBe('19700');
    expect(s!.gapToLiquidation).toBe(gap);
    expect(s!.marginLeftAtStop).toBe(left);
    expect(s!.distanceFromMark).toBe(new D(20000).minus(trigger).div(20000).toFixed());
    if (status === 'never-fires') expect(s!.reasons.map((r) => r.reason).join()).toMatch(/never fire/);
  });

  it('the nearest stop on the losing side is the one; take-profits and stops on the wrong side are not', () => {
    const orders = [
      stop({ triggerPrice: '19600' }),
      stop({ triggerPrice: '19900' }), // nearest below the mark
      stop({ triggerPrice: '21000', type: 'take-profit-market' }), // winning side
      stop({ triggerPrice: '19950', side: 'buy' }), // would open/close a short, not this long
      stop({ triggerPrice: '19950', reduceOnly: false, closePosition: false, size: '1' }), // not reduce-only
      stop({ triggerPrice: '19950', symbol: 'ETHUSDT' }),
    ];
    const [s] = positionStops(isolated(orders), {});
    expect(s!.order).toBe(1);
    expect(s!.triggerPrice).toBe('19900');
    expect(s!.status).toBe('fires-first');
  });

  it('no stop: orders read, none closes the position', () => {
    const [s] = positionStops(isolated([stop({ triggerPrice: '21000', type: 'take-profit-market' })]), {});
    expect(s!.status).toBe('no-stop');
    expect(s!.order).toBeNull();
  });

  it('orders not read: unknown, never "no stop"', () => {
    const [s] = positionStops(isolated(undefined), {});
    expect(s!.status).toBe('unknown');
    expect(s!.reasons[0]!.reason).toMatch(/not read/);
  });

  it('a closing stop whose trigger is not shown makes the status unknown', () => {
    const [s] = positionStops(isolated([stop({ triggerPrice: null, type: 'trailing-stop' })]), {});
    expect(s!.status).toBe('unknown');
  });

  it('partial size: coverage and a reason', () => {
    const [s] = positionStops(isolated([stop({ triggerPrice: '19800', closePosition: undefined, size: '0.25' })]), {});
    expect(s!.status).toBe('fires-first');
    expect(s!.coverage).toBe('0.25');
    expect(s!.partial).toBe(true);
    expect(s!.reasons.map((r) => r.reason).join()).toMatch(/only 25 %/);
  });

  it('a stop larger than the position covers it fully', () => {
    const [s] = positionStops(isolated([stop({ triggerPrice: '19800', closePosition: undefined, size: '3' })]), {});
    expect(s!.coverage).toBe('1');
    expect(s!.partial).toBe(false);
  });
});

describe('stop before liquidation: cross, other positions held at mark', () => {
  // Binance cross, wallet 1,000; BTC long 0.1 @ 60,000 and ETH long 1 @ 3,000, MMR 0.4 % flat.
  // BTC LP with ETH at its mark m: (6000 − W') / 0.0996 with W' = 1000 + (m − 3000) − 0.004·m.
  const snap = (ethMark: string, trigger = '53000'): AccountSnapshot =>
    account({
      walletBalance: '1000',
      positions: [
        pos({ symbol: 'BTCUSDT', size: '0.1', entryPrice: '60000', markPrice: '60000', tier: T }),
        pos({ symbol: 'ETHUSDT', size: '1', entryPrice: '3000', markPrice: ethMark, tier: T }),
      ],
      orders: [stop({ triggerPrice: trigger })],
    });
  const lpOf = (m: number) => (6000 - (1000 + (m - 3000) - 0.004 * m)) / 0.0996;

  it('ETH at 3,000: LP ≈ 50,321.29, the stop at 53,000 fires first', () => {
    const [s] = positionStops(snap('3000'), {});
    expect(Number(s!.liquidationPrice)).toBeCloseTo(lpOf(3000), 6);
    expect(s!.status).toBe('fires-first');
    expect(Number(s!.gapToLiquidation)).toBeCloseTo((53000 - lpOf(3000)) / 60000, 7);
    // margin left at 53,000 = 1000 + 0.1·(53,000 − 60,000) − 0.004·(5,300 + 3,000)
    expect(s!.marginLeftAtStop).toBe('266.8');
  });

  it('after ETH falls to 2,500 the BTC LP rises to ≈ 55,321.29: the same stop becomes beyond liquidation', () => {
    const [s] = positionStops(snap('2500'), {});
    expect(Number(s!.liquidationPrice)).toBeCloseTo(lpOf(2500), 6);
    expect(s!.status).toBe('never-fires');
    expect(Number(s!.marginLeftAtStop)).toBeLessThan(0);
  });
});

describe('stop before liquidation: hedge mode (legs share one liquidation price)', () => {
  // BTC long 0.2 and short 0.1 @ 60,000, wallet 1,000, MMR 0.4 %:
  // 1000 + 0.1·(P − 60,000) − 0.004·0.3·P = 0 → P = 5000 / 0.0988 ≈ 50,607.29 (net long).
  const hedge = (orders: OrderSnapshot[]) =>
    account({
      positionMode: 'hedge',
      positions: [
        pos({ symbol: 'BTCUSDT', side: 'long', size: '0.2', entryPrice: '60000', markPrice: '60000', tier: T }),
        pos({ symbol: 'BTCUSDT', side: 'short', size: '0.1', entryPrice: '60000', markPrice: '60000', tier: T }),
      ],
      orders,
    });
  it('the long leg: sell stop at 51,000 fires first; at 50,500 never fires', () => {
    expect(Number(positionStops(hedge([stop({ triggerPrice: '51000' })]), {})[0]!.liquidationPrice)).toBeCloseTo(5000 / 0.0988, 6);
    expect(positionStops(hedge([stop({ triggerPrice: '51000' })]), {})[0]!.status).toBe('fires-first');
    expect(positionStops(hedge([stop({ triggerPrice: '50500' })]), {})[0]!.status).toBe('never-fires');
  });
  it('the short leg (against the net long): its buy stop above the mark fires first, the LP is on its winning side', () => {
    const [long, short] = positionStops(hedge([stop({ triggerPrice: '65000', side: 'buy' })]), {});
    expect(long!.status).toBe('no-stop');
    expect(short!.status).toBe('fires-first');
    expect(short!.order).toBe(0);
    expect(short!.reasons.map((r) => r.reason).join()).toMatch(/winning side/);
  });
});

describe('stop laws', () => {
  it('isolated: a stop closer to the mark than the liquidation price always fires first; beyond it never', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('long' as const, 'short' as const),
        fc.integer({ min: 2, max: 100 }), // leverage
        fc.double({ min: 0.001, max: 0.999, noNaN: true }), // where between mark and LP the stop sits
        fc.boolean(),
        (side, lev, where, beyond) => {
          const margin = new D(20000).div(lev).toFixed();
          const snap = isolated(undefined);
          snap.positions[0] = { ...snap.positions[0]!, side, leverage: String(lev), isolatedMargin: margin };
          const lp = evaluate(snap, {}).positions[0]!.liquidationPrice;
          fc.pre(lp !== null && new D(lp).gt(0));
          const mark = new D(20000);
          const gap = new D(lp!).minus(mark);
          const trigger = beyond ? mark.plus(gap.times(1 + where)) : mark.plus(gap.times(where));
          fc.pre(trigger.gt(0) && !trigger.eq(mark) && !trigger.eq(lp!));
          const s = positionStops({ ...snap, orders: [stop({ side: side === 'long' ? 'sell' : 'buy', triggerPrice: trigger.toDecimalPlaces(8).toFixed() })] }, {})[0]!;
          expect(s.status).toBe(beyond ? 'never-fires' : 'fires-first');
          // margin left at the stop agrees in sign with "fires first"
          expect(new D(s.marginLeftAtStop!).gt(0)).toBe(!beyond);
        },
      ),
      { seed: 20261205, numRuns: 200 },
    );
  });

  it('the status agrees with evaluating the account at the trigger price', () => {
    const base = account({
      walletBalance: '1000',
      positions: [pos({ symbol: 'BTCUSDT', size: '0.1', entryPrice: '60000', markPrice: '60000', tier: T }), pos({ symbol: 'ETHUSDT', size: '1', entryPrice: '3000', markPrice: '3000', tier: T })],
    });
    fc.assert(
      fc.property(fc.integer({ min: 45000, max: 59999 }), (trigger) => {
        const s = positionStops({ ...base, orders: [stop({ triggerPrice: String(trigger) })] }, {})[0]!;
        const at = evaluate(withMarks(base, { BTCUSDT: String(trigger) }), {});
        expect(s.status === 'fires-first').toBe(at.liquidated === false);
      }),
      { seed: 7, numRuns: 100 },
    );
  });
});
