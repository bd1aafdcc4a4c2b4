// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { evaluate, whatIf } from '../../lib/engine';
import { ifOrdersFill, ordersAsFills } from '../../lib/engine/ordersFill';
import type { OrderSnapshot } from '../../lib/engine/snapshot';
import { account, pos } from './helpers';

const T = { mmr: '0.004', maintAmount: '0' };
const base = (orders: OrderSnapshot[] | undefined) =>
  account({
    walletBalance: '1000',
    positions: [pos({ symbol: 'BTCUSDT', size: '0.1', entryPrice: '60000', markPrice: '60000', tier: T })],
    ...(orders && { orders }),
  });

describe('liquidation if my orders fill', () => {
  it('a buy limit adds to the long at its limit price: same result as the what-if add-position move', () => {
    const orders: OrderSnapshot[] = [{ symbol: 'BTCUSDT', side: 'buy', type: 'limit', price: '58000', size: '0.05', reduceOnly: false }];
    const r = ifOrdersFill(base(orders), {});
    expect(r.applied).toEqual([0]);
    const direct = whatIf(base(orders), { moves: [{ kind: 'add-position', symbol: 'BTCUSDT', side: 'long', size: '0.05', price: '58000', leverage: '10', marginMode: 'cross' }] }, {});
    expect(r.after.positions[0]!.liquidationPrice).toBe(direct.after.positions[0]!.liquidationPrice);
    // closed form: 1000 + 0.15·(P − 59,333.33…) − 0.0006·P = 0 → P = (0.15·EP − 1000) / 0.1494, EP·0.15 = 8,900
    expect(Number(r.after.positions[0]!.liquidationPrice)).toBeCloseTo((8900 - 1000) / 0.1494, 6);
    expect(r.after.positions[0]!.size).toBe('0.15');
  });

  it('a stop-market that opens fills at its trigger; a sell in one-way mode reduces the long', () => {
    const orders: OrderSnapshot[] = [{ symbol: 'BTCUSDT', side: 'sell', type: 'stop-market', triggerPrice: '62000', size: '0.04', reduceOnly: false }];
    const r = ifOrdersFill(base(orders), {});
    expect(r.after.positions[0]!.size).toBe('0.06');
    // realized 0.04 × 2,000 = 80 into the wallet
    expect(r.snapshot.walletBalance).toBe('1080');
  });

  it('reduce-only, close-position, market, unknown size/price and orders on symbols without a position are skipped with a reason', () => {
    const orders: OrderSnapshot[] = [
      { symbol: 'BTCUSDT', side: 'sell', type: 'stop-market', triggerPrice: '55000', closePosition: true, reduceOnly: true },
      { symbol: 'BTCUSDT', side: 'buy', type: 'market', size: '0.1', reduceOnly: false },
      { symbol: 'BTCUSDT', side: 'buy', type: 'limit', price: '59000', size: null, reduceOnly: false },
      { symbol: 'BTCUSDT', side: 'buy', type: 'limit', price: '59000', size: '0.1', reduceOnly: null },
      { symbol: 'ETHUSDT', side: 'buy', type: 'limit', price: '3000', size: '1', reduceOnly: false },
    ];
    const r = ifOrdersFill(base(orders), {});
    expect(r.applied).toEqual([]);
    expect(r.skipped.map((s) => s.order)).toEqual([0, 1, 2, 3, 4]);
    expect(r.skipped[4]!.reason).toMatch(/no position on ETHUSDT/);
    expect(r.after.positions[0]!.liquidationPrice).toBe(evaluate(base(orders), {}).positions[0]!.liquidationPrice);
  });

  it('no orders read: nothing applied', () => {
    expect(ordersAsFills(base(undefined))).toEqual({ moves: [], applied: [], skipped: [] });
  });

  it('hedge mode: a buy adds to the long leg, a sell to the short leg', () => {
    const s = account({
      positionMode: 'hedge',
      positions: [
        pos({ symbol: 'BTCUSDT', side: 'long', size: '0.2', tier: T, entryPrice: '60000', markPrice: '60000' }),
        pos({ symbol: 'BTCUSDT', side: 'short', size: '0.1', tier: T, entryPrice: '60000', markPrice: '60000' }),
      ],
      orders: [
        { symbol: 'BTCUSDT', side: 'buy', type: 'limit', price: '60000', size: '0.1', reduceOnly: false },
        { symbol: 'BTCUSDT', side: 'sell', type: 'limit', price: '60000', size: '0.3', reduceOnly: false },
      ],
    });
    const r = ifOrdersFill(s, {});
    expect(r.after.positions.map((p) => `${p.side} ${p.size}`)).toEqual(['long 0.3', 'short 0.4']);
  });
});
