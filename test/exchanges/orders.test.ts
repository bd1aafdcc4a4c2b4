// @vitest-environment happy-dom
/**
 * Position stops read from the positions tables' TP/SL (and Bybit Trailing Stop) cells, true or
 * unknown: the saved pages, the orders variants in test/fixtures/pages/orders/ (their header
 * comments say what is guessed), and damaged variants. Expected orders are written out from the
 * fixtures' comments, not read back from the reader.
 */
import { describe, expect, it } from 'vitest';
import { positionStops } from '../../lib/engine/stops';
import { safeParseSnapshot, type AccountSnapshot, type OrderSnapshot } from '../../lib/engine/snapshot';
import { EXCHANGE_PAGES } from '../../lib/exchanges/pages';
import { defaultTierTables } from '../../lib/exchanges/tiers';
import { FIXTURES, fixtureHtml, loadFixture, parseHtml, removeColumn, replaceText } from './helpers';

type Ex = keyof typeof FIXTURES;
const NOW = 1_790_000_000_000;
const STOPS: Record<Ex, string> = {
  'binance-usdm': 'orders/binance-usdm-stops.html',
  bybit: 'orders/bybit-linear-stops.html',
  okx: 'orders/okx-swap-stops.html',
  hyperliquid: 'orders/hyperliquid-stops.html',
};
const read = (ex: Ex, doc: Document) => EXCHANGE_PAGES.find((p) => p.id === ex)!.read(doc, FIXTURES[ex].url, { now: NOW });
const stopsDoc = (ex: Ex) => parseHtml(fixtureHtml(STOPS[ex]), FIXTURES[ex].url);
function valid(s: AccountSnapshot | null): AccountSnapshot {
  const r = safeParseSnapshot(s);
  expect(r.ok, r.ok ? '' : r.errors.map((e) => e.message).join('; ')).toBe(true);
  return s!;
}
const sl = (symbol: string, side: 'buy' | 'sell', triggerPrice: string): OrderSnapshot => ({ symbol, side, type: 'stop-market', triggerPrice, closePosition: true, reduceOnly: true });
const tp = (symbol: string, side: 'buy' | 'sell', triggerPrice: string): OrderSnapshot => ({ symbol, side, type: 'take-profit-market', triggerPrice, closePosition: true, reduceOnly: true });

describe('saved pages: orders from the TP/SL column', () => {
  it.each([
    // ETH short TP 2,800 / SL 3,100 on Binance, Bybit and OKX; open-orders tab says 0 → complete
    ['binance-usdm', [tp('ETHUSDT', 'buy', '2800'), sl('ETHUSDT', 'buy', '3100')], true],
    ['bybit', [tp('ETHUSDT', 'buy', '2800'), sl('ETHUSDT', 'buy', '3100')], true],
    ['okx', [tp('ETH-USDT-SWAP', 'buy', '2800'), sl('ETH-USDT-SWAP', 'buy', '3100')], true],
    // "View Orders": prices not shown → no order claimed, never complete
    ['hyperliquid', [], false],
  ] as const)('%s', (ex, orders, complete) => {
    const s = valid(read(ex, loadFixture(ex)).snapshot);
    expect(s.orders).toEqual(orders);
    expect(s.ordersComplete).toBe(complete);
  });
});

describe('orders variants', () => {
  it('Binance: ETH short SL 3,300 beyond its liquidation price (3,232.07); Open Orders(3) → not complete', () => {
    const r = read('binance-usdm', stopsDoc('binance-usdm'));
    const s = valid(r.snapshot);
    expect(r.health.status).toBe('ok');
    expect(s.orders).toEqual([sl('BTCUSDT', 'sell', '70000'), tp('ETHUSDT', 'buy', '2800'), sl('ETHUSDT', 'buy', '3300')]);
    expect(s.ordersComplete).toBe(false);
    const stops = positionStops(s, defaultTierTables('binance-usdm'));
    expect(stops.map((x) => x.status)).toEqual(['fires-first', 'never-fires']);
    expect(stops[0]!.triggerPrice).toBe('70000');
    expect(stops[1]!.triggerPrice).toBe('3300');
    expect(stops[1]!.liquidationPrice).toBe('3232.07171314');
  });
  it('Bybit: BTC SL 70,000; ETH trailing stop with no trigger shown → ETH stops partly unknown', () => {
    const s = valid(read('bybit', stopsDoc('bybit')).snapshot);
    expect(s.orders).toEqual([
      sl('BTCUSDT', 'sell', '70000'),
      tp('ETHUSDT', 'buy', '2800'),
      sl('ETHUSDT', 'buy', '3100'),
      { symbol: 'ETHUSDT', side: 'buy', type: 'trailing-stop', triggerPrice: null, size: null, reduceOnly: true },
    ]);
    expect(s.ordersComplete).toBe(true);
    const stops = positionStops(s, defaultTierTables('bybit'));
    expect(stops[0]!.status).toBe('fires-first'); // the cross account covers BTC falling to 0
    // no bundled ETHUSDT tier table on Bybit: liquidation price unknown, so the stop is unknown
    expect(stops[1]!.status).toBe('unknown');
    expect(stops[1]!.reasons.map((r) => r.reason).join()).toMatch(/no trigger price shown may fire earlier/);
  });
  it('OKX: BTC SL 60,000 read, open orders 0 → complete', () => {
    const s = valid(read('okx', stopsDoc('okx')).snapshot);
    expect(s.orders).toEqual([sl('BTC-USDT-SWAP', 'sell', '60000'), tp('ETH-USDT-SWAP', 'buy', '2800'), sl('ETH-USDT-SWAP', 'buy', '3100')]);
    expect(s.ordersComplete).toBe(true);
  });
  it('Hyperliquid: ETH short SL 3,500 read; BTC "View Orders" stays unknown', () => {
    const s = valid(read('hyperliquid', stopsDoc('hyperliquid')).snapshot);
    expect(s.orders).toEqual([sl('ETH', 'buy', '3500')]);
    expect(s.ordersComplete).toBe(false);
    const stops = positionStops(s, defaultTierTables('hyperliquid'));
    expect(stops[0]!.triggerPrice).toBe('3500');
    expect(stops[1]!.status).toBe('unknown');
  });
});

describe('damaged variants: unknown, never a wrong order', () => {
  it.each(Object.keys(FIXTURES) as Ex[])('%s: TP/SL column hidden → orders not read at all', (ex) => {
    const doc = stopsDoc(ex);
    removeColumn(doc, ex, ex === 'binance-usdm' ? 'TP/SL for position' : 'TP/SL');
    const s = valid(read(ex, doc).snapshot);
    expect(s.orders).toBeUndefined();
    expect(positionStops(s, defaultTierTables(ex)).every((x) => x.status === 'unknown')).toBe(true);
  });
  it('Binance: a garbled SL makes the orders incomplete and claims no order for that row', () => {
    const doc = stopsDoc('binance-usdm');
    replaceText(doc.body, '70,000.00', '7O,000.00');
    const s = valid(read('binance-usdm', doc).snapshot);
    expect(s.orders!.some((o) => o.symbol === 'BTCUSDT')).toBe(false);
    expect(s.ordersComplete).toBe(false);
  });
  it('OKX: an SL on the winning side (TP and SL swapped in the cell) is not trusted', () => {
    const doc = stopsDoc('okx');
    replaceText(doc.body, '2,800.00 / 3,100.00', '3,100.00 / 2,800.00');
    const s = valid(read('okx', doc).snapshot);
    expect(s.orders!.some((o) => o.symbol === 'ETHUSDT')).toBe(false);
    expect(s.ordersComplete).toBe(false);
  });
  it('OKX: the open-orders count gone → not complete', () => {
    const doc = stopsDoc('okx');
    replaceText(doc.body, 'Open orders (0)', 'Open orders');
    expect(valid(read('okx', doc).snapshot).ordersComplete).toBe(false);
  });
  it('Bybit: a trailing-stop cell with words only is unreadable → incomplete', () => {
    const doc = stopsDoc('bybit');
    replaceText(doc.body, '150.00', 'Edit');
    const s = valid(read('bybit', doc).snapshot);
    expect(s.ordersComplete).toBe(false);
    expect(s.orders!.some((o) => o.type === 'trailing-stop')).toBe(false);
  });
});
