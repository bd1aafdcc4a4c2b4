// @vitest-environment happy-dom
/**
 * The open-orders table (lib/exchanges/common/reader/orders.ts), true or unknown: the open-orders
 * variants in test/fixtures/pages/orders/*-open-orders.html (their header comments say what is
 * guessed), damaged variants, and the carry-over rule (attachOpenOrders). Expected orders are
 * written out from the fixtures' comments, not read back from the reader.
 */
import { describe, expect, it } from 'vitest';
import { positionStops } from '../../lib/engine/stops';
import { OrderSchema, safeParseSnapshot, type OrderSnapshot } from '../../lib/engine/snapshot';
import { attachOpenOrders, OPEN_ORDERS_FRESH_MS, orderType, triggerPrice, type OpenOrdersRead } from '../../lib/exchanges/common/reader/orders';
import { EXCHANGE_PAGES } from '../../lib/exchanges/pages';
import { defaultTierTables } from '../../lib/exchanges/tiers';
import * as v from 'valibot';
import { FIXTURES, fixtureHtml, OPEN_ORDERS, ordersTable, parseHtml, replaceText } from './helpers';

type Ex = keyof typeof FIXTURES;
const NOW = 1_790_000_000_000;
const read = (ex: Ex, doc: Document, now = NOW) => EXCHANGE_PAGES.find((p) => p.id === ex)!.read(doc, FIXTURES[ex].url, { now });
const ordersDoc = (ex: Ex) => parseHtml(fixtureHtml(OPEN_ORDERS[ex]), FIXTURES[ex].url);

const stop = (symbol: string, side: 'buy' | 'sell', trig: string, size: string | null | 'close'): OrderSnapshot =>
  size === 'close' ? { symbol, side, type: 'stop-market', triggerPrice: trig, closePosition: true, reduceOnly: true } : { symbol, side, type: 'stop-market', triggerPrice: trig, size, reduceOnly: true };
const limit = (symbol: string, side: 'buy' | 'sell', price: string, size: string | null): OrderSnapshot => ({ symbol, side, type: 'limit', price, size, reduceOnly: false });

/** From each fixture's header comment, in page order. */
const EXPECTED: Record<Ex, OrderSnapshot[]> = {
  'binance-usdm': [
    stop('BTCUSDT', 'sell', '70000', 'close'),
    { symbol: 'ETHUSDT', side: 'buy', type: 'take-profit-market', triggerPrice: '2800', closePosition: true, reduceOnly: true },
    stop('ETHUSDT', 'buy', '3300', 'close'),
    stop('BTCUSDT', 'sell', '72500', '0.005'),
    limit('BTCUSDT', 'buy', '74000', '0.01'),
  ],
  bybit: [
    stop('BTCUSDT', 'sell', '72000', '0.005'),
    { symbol: 'ETHUSDT', side: 'buy', type: 'take-profit-limit', triggerPrice: '2800', price: '2790', size: '0.5', reduceOnly: true },
    limit('BTCUSDT', 'buy', '74000', '0.01'),
  ],
  okx: [
    // amounts in contracts: the base size is unknown (null), the order still counts
    stop('BTC-USDT-SWAP', 'sell', '71000', null),
    { symbol: 'ETH-USDT-SWAP', side: 'buy', type: 'take-profit-market', triggerPrice: '2850', size: null, reduceOnly: true },
    limit('BTC-USDT-SWAP', 'buy', '74000', null),
  ],
  hyperliquid: [stop('ETH', 'buy', '3500', '0.5'), stop('BTC', 'sell', '70000', '0.005'), limit('BTC', 'buy', '74000', '0.01')],
};
const sortKey = (o: OrderSnapshot) => JSON.stringify(Object.entries(o).sort());
const same = (a: readonly OrderSnapshot[], b: readonly OrderSnapshot[]) => expect(a.map(sortKey)).toEqual(b.map(sortKey));

/** The open-orders tab's count set to `n`. */
function setOrdersCount(doc: Document, n: number): void {
  const re = /^(?:Open Orders|Current Orders|Open orders)/i;
  for (const tab of Array.from(doc.querySelectorAll('[role="tab"]'))) {
    if (!re.test((tab.textContent ?? '').trim())) continue;
    const w = doc.createTreeWalker(tab, 4);
    for (let t = w.nextNode(); t; t = w.nextNode()) t.nodeValue = t.nodeValue!.replace(/\(\d+\)/, `(${n})`);
  }
}

describe.each(Object.keys(OPEN_ORDERS) as Ex[])('%s open-orders table', (ex) => {
  it('reads every order of the fixture, complete (tab count = rows read)', () => {
    const r = read(ex, ordersDoc(ex));
    expect(r.openOrders).toBeTruthy();
    same(r.openOrders!.orders, EXPECTED[ex]);
    for (const o of r.openOrders!.orders) expect(v.safeParse(OrderSchema, o).success).toBe(true);
    expect(r.openOrders!.complete).toBe(true);
    expect(r.openOrders!.count).toBe(EXPECTED[ex].length);
    expect(r.openOrders!.problems).toEqual([]);
    // The positions tab is not open: no position snapshot, the orders table observed.
    expect(r.snapshot).toBeNull();
    expect(r.panels).toContain(r.openOrders!.root);
  });

  it('tab count larger than the rows shown: orders read, list not complete', () => {
    const doc = ordersDoc(ex);
    setOrdersCount(doc, EXPECTED[ex].length + 1);
    const r = read(ex, doc);
    same(r.openOrders!.orders, EXPECTED[ex]);
    expect(r.openOrders!.complete).toBe(false);
    expect(r.openOrders!.problems.join(' ')).toMatch(/says \d+ but the table shows/);
  });

  it('a hidden row: the others read, list not complete', () => {
    const doc = ordersDoc(ex);
    const t = ordersTable(doc);
    const row = ex === 'binance-usdm' ? t.children[1]!.children[0]! : t.querySelector('tbody tr')!;
    row.setAttribute('hidden', '');
    const r = read(ex, doc);
    same(r.openOrders!.orders, EXPECTED[ex].slice(1));
    expect(r.openOrders!.complete).toBe(false);
  });

  it('the open-orders tab not selected: not read (null), whatever the DOM holds', () => {
    const doc = ordersDoc(ex);
    for (const tab of Array.from(doc.querySelectorAll('[role="tab"][aria-selected="true"]'))) tab.setAttribute('aria-selected', 'false');
    expect(read(ex, doc).openOrders).toBeNull();
  });

  it('Price and Trigger headers swapped: no order claims a price from the wrong column', () => {
    const doc = ordersDoc(ex);
    const labels: Record<Ex, [string, string]> = {
      'binance-usdm': ['Price', 'Trigger Conditions'],
      bybit: ['Order Price', 'Trigger Price'],
      okx: ['Order price', 'Trigger price'],
      hyperliquid: ['Price', 'Trigger Conditions'],
    };
    const [a, b] = labels[ex];
    const heads = Array.from(ordersTable(doc).querySelectorAll(ex === 'binance-usdm' ? '.css-th' : 'th'));
    const ha = heads.find((h) => h.textContent!.trim() === a)!;
    const hb = heads.find((h) => h.textContent!.trim() === b)!;
    ha.textContent = b;
    hb.textContent = a;
    const r = read(ex, doc);
    const truth = new Set(EXPECTED[ex].map(sortKey));
    for (const o of r.openOrders?.orders ?? []) expect(truth.has(sortKey(o)), sortKey(o)).toBe(true);
    expect(r.openOrders?.complete ?? false).toBe(false);
  });
});

describe('damaged cells: that order unknown, the list incomplete', () => {
  it.each([
    ['binance-usdm', 'Mark Price <= 72,500.0', 'Mark Price <= 72,5O0.0', 3],
    ['bybit', '72,000.0', '72,,000.0', 0],
    ['okx', 'Last price <= 2,850.00', 'Last price <= ******', 1],
    ['hyperliquid', 'Price below 70,000', 'Price below 7O,000', 1],
  ] as const)('%s: garbled trigger "%s" → "%s"', (ex, from, to, lost) => {
    const doc = ordersDoc(ex);
    replaceText(ordersTable(doc), from, to);
    const r = read(ex, doc);
    same(r.openOrders!.orders, EXPECTED[ex].filter((_, i) => i !== lost));
    expect(r.openOrders!.complete).toBe(false);
    expect(r.openOrders!.problems.join(' ')).toMatch(/trigger not readable/);
  });

  it('an unknown order type ("Conditional") or side makes that order unknown', () => {
    const doc = ordersDoc('bybit');
    replaceText(ordersTable(doc), 'Stop Market', 'Conditional');
    replaceText(ordersTable(doc), 'Open Long', 'Hedge');
    const r = read('bybit', doc);
    same(r.openOrders!.orders, [EXPECTED.bybit[1]!]);
    expect(r.openOrders!.complete).toBe(false);
  });

  it('a stop whose trigger shows the placeholder is unknown, not an order without trigger', () => {
    const doc = ordersDoc('binance-usdm');
    replaceText(ordersTable(doc), 'Mark Price <= 72,500.0', '--');
    const r = read('binance-usdm', doc);
    expect(r.openOrders!.orders).toHaveLength(4);
    expect(r.openOrders!.complete).toBe(false);
  });

  // Found by the orders census (test/exchanges/mutation.test.ts): both once gave a wrong order.
  it('Reduce Only and Post Only headers swapped: a closing order shown as not reduce-only distrusts the table', () => {
    const doc = ordersDoc('binance-usdm');
    const heads = Array.from(ordersTable(doc).querySelectorAll('.css-th'));
    heads.find((h) => h.textContent === 'Reduce Only')!.textContent = 'Post Only';
    heads.filter((h) => h.textContent === 'Post Only')[1]!.textContent = 'Reduce Only';
    const r = read('binance-usdm', doc);
    expect(r.openOrders!.orders).toEqual([]);
    expect(r.openOrders!.complete).toBe(false);
    expect(r.openOrders!.problems.join(' ')).toMatch(/columns not trusted/);
  });

  it('a trigger "70.000" (separators swapped: 70 or 70,000?) is unknown, never 70', () => {
    const doc = ordersDoc('hyperliquid');
    replaceText(ordersTable(doc), 'Price below 70,000', 'Price below 70.000');
    const r = read('hyperliquid', doc);
    same(r.openOrders!.orders, [EXPECTED.hyperliquid[0]!, EXPECTED.hyperliquid[2]!]);
    expect(r.openOrders!.complete).toBe(false);
    expect(triggerPrice('0.123')).toBe('0.123');
    expect(triggerPrice('Price below 1.500')).toBeNull();
  });

  it('Hyperliquid without a count on the tab (as captured): orders read, never complete', () => {
    const doc = ordersDoc('hyperliquid');
    replaceText(doc.body, 'Open Orders (3)', 'Open Orders');
    const r = read('hyperliquid', doc);
    same(r.openOrders!.orders, EXPECTED.hyperliquid);
    expect(r.openOrders!.complete).toBe(false);
  });

  it('the tab selected and saying 0 with no table: no open order, complete', () => {
    const doc = ordersDoc('bybit');
    ordersTable(doc).remove();
    setOrdersCount(doc, 0);
    const r = read('bybit', doc);
    expect(r.openOrders).toMatchObject({ orders: [], complete: true, count: 0 });
    // the same page saying 3 with no table: unknown (null), never "none"
    setOrdersCount(doc, 3);
    expect(read('bybit', doc).openOrders).toBeNull();
  });
});

describe('cell parsers', () => {
  it('order types', () => {
    expect(['Limit', 'Market', 'Stop Market', 'Stop Limit', 'Take Profit Market', 'Take Profit Limit', 'Trailing Stop', 'Stop-loss', 'Take-profit', 'Conditional', 'Stop Market Limit'].map(orderType)).toEqual([
      'limit', 'market', 'stop-market', 'stop-limit', 'take-profit-market', 'take-profit-limit', 'trailing-stop', 'stop-market', 'take-profit-market', null, null,
    ]);
  });
  it('trigger cells', () => {
    expect(['Mark Price <= 73,000.0', 'Last Price >= 80,000', 'Price below 3,000', '73,000', '--', 'N/A', 'Mark Price <= 7O,000', 'Mark Price <= -5', '3.5%'].map((t) => triggerPrice(t))).toEqual([
      '73000', '80000', '3000', '73000', 'none', 'none', null, null, null,
    ]);
  });
});

describe('attachOpenOrders (the carry-over rule)', () => {
  const rowSl = stop('BTCUSDT', 'sell', '70000', 'close');
  const carried = (over: Partial<OpenOrdersRead> = {}): OpenOrdersRead => ({ orders: EXPECTED['binance-usdm'], complete: true, count: 5, readAt: NOW, problems: [], root: document.body, ...over });
  it('fresh, complete, count unchanged: the table orders (position TP/SL kept once), complete', () => {
    const a = attachOpenOrders([rowSl], true, carried(), 5, NOW + OPEN_ORDERS_FRESH_MS);
    same(a.orders, EXPECTED['binance-usdm']);
    expect(a.complete).toBe(true);
  });
  it('a row order the table does not list is kept', () => {
    const extra = stop('ETHUSDT', 'buy', '3400', 'close');
    const a = attachOpenOrders([extra], true, carried(), 5, NOW);
    expect(a.orders).toContainEqual(extra);
    expect(a.orders).toHaveLength(6);
  });
  it.each([
    ['stale', carried(), 5, NOW + OPEN_ORDERS_FRESH_MS + 1],
    ['count changed', carried(), 6, NOW + 1_000],
    ['count not shown now', carried(), null, NOW + 1_000],
    ['read in the future (clock went back)', carried({ readAt: NOW + 5_000 }), 5, NOW],
  ] as const)('%s: carried orders dropped, not complete', (_, c, count, now) => {
    const a = attachOpenOrders([rowSl], true, c, count, now);
    expect(a.orders).toEqual([rowSl]);
    expect(a.complete).toBe(false);
  });
  it('carried list incomplete, or a row cell unreadable: orders attached, not complete', () => {
    expect(attachOpenOrders([rowSl], true, carried({ complete: false }), 5, NOW).complete).toBe(false);
    expect(attachOpenOrders([rowSl], false, carried(), 5, NOW).complete).toBe(false);
  });
});

describe('standalone reduce-only stops count as stops', () => {
  it('Binance: the standalone 72,500 stop is the nearer BTC stop once the open orders are attached', () => {
    // The stops variant (Positions tab open): BTC row SL 70,000; Open Orders(3) there, so set 5 as in the orders page.
    const doc = parseHtml(fixtureHtml('orders/binance-usdm-stops.html'), FIXTURES['binance-usdm'].url);
    replaceText(doc.body, 'Open Orders(3)', 'Open Orders(5)');
    const r = read('binance-usdm', doc);
    const s = r.snapshot!;
    expect(s.ordersComplete).toBe(false);
    const c = read('binance-usdm', ordersDoc('binance-usdm')).openOrders!;
    const a = attachOpenOrders(s.orders!, r.rowOrdersReadable!, c, r.ordersTabCount ?? null, NOW + 1_000);
    const merged = { ...s, orders: a.orders, ordersComplete: a.complete };
    expect(safeParseSnapshot(merged).ok).toBe(true);
    const stops = positionStops(merged, defaultTierTables('binance-usdm'));
    const btc = stops.find((x) => x.symbol === 'BTCUSDT')!;
    // the nearer stop (72,500 above the row's 70,000), closing half the 0.010 BTC
    expect(btc).toMatchObject({ status: 'fires-first', triggerPrice: '72500', coverage: '0.5', partial: true });
    expect(btc.reasons.map((x) => x.reason).join(' ')).not.toMatch(/other open orders were not read/);
    // without the carried table: the row's 70,000 stop, said to be possibly not the nearest
    const alone = positionStops(s, defaultTierTables('binance-usdm')).find((x) => x.symbol === 'BTCUSDT')!;
    expect(alone.triggerPrice).toBe('70000');
    expect(alone.reasons.map((x) => x.reason).join(' ')).toMatch(/other open orders were not read/);
  });
});
