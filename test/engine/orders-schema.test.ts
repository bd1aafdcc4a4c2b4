// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { safeParseSnapshot } from '../../lib/engine';
import { account, pos } from './helpers';

const withOrders = (orders: unknown[]) => ({ ...account({ positions: [pos({ symbol: 'BTCUSDT' })] }), orders });
const firstError = (orders: unknown[]) => {
  const r = safeParseSnapshot(withOrders(orders));
  return r.ok ? null : r.errors[0]!.message;
};

describe('snapshot orders[]', () => {
  it('absent and empty are both valid (unknown vs. none)', () => {
    expect(safeParseSnapshot(account({ positions: [] })).ok).toBe(true);
    expect(firstError([])).toBeNull();
  });
  it('accepts a close-position stop, a sized limit, and a trailing stop whose trigger is not shown', () => {
    expect(
      firstError([
        { symbol: 'BTCUSDT', side: 'sell', type: 'stop-market', triggerPrice: '55000', closePosition: true, reduceOnly: true },
        { symbol: 'BTCUSDT', side: 'buy', type: 'limit', price: '58000', size: '0.01', reduceOnly: false },
        { symbol: 'BTCUSDT', side: 'sell', type: 'trailing-stop', triggerPrice: null, size: null, reduceOnly: null },
      ]),
    ).toBeNull();
  });
  it.each([
    [{ symbol: 'BTCUSDT', side: 'short', type: 'limit', price: '1', size: '1', reduceOnly: false }, 'orders[0].side: must be "buy" or "sell"'],
    [{ symbol: 'BTCUSDT', side: 'buy', type: 'iceberg', price: '1', size: '1', reduceOnly: false }, 'orders[0].type'],
    [{ symbol: 'BTCUSDT', side: 'buy', type: 'limit', triggerPrice: '1', size: '1', reduceOnly: false }, 'orders[0].triggerPrice: is only allowed on trigger orders'],
    [{ symbol: 'BTCUSDT', side: 'sell', type: 'stop-market', size: '1', reduceOnly: true }, 'orders[0].triggerPrice: is required'],
    [{ symbol: 'BTCUSDT', side: 'sell', type: 'stop-market', triggerPrice: '1', size: '1', closePosition: true, reduceOnly: true }, 'orders[0].size: give size or closePosition'],
    [{ symbol: 'BTCUSDT', side: 'sell', type: 'stop-market', triggerPrice: '1', reduceOnly: true }, 'orders[0].size: is required'],
    [{ symbol: 'BTCUSDT', side: 'sell', type: 'stop-market', triggerPrice: '-1', size: '1', reduceOnly: true }, 'orders[0].triggerPrice: must be > 0'],
  ])('refuses %j naming the field', (order, message) => {
    expect(firstError([order])).toContain(message);
  });
});
