import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { MarkStreamClient } from '@/lib/background/stream-client';
import type { ExchangeId } from '@/lib/engine/exchanges';
import { streamUrl } from '@/lib/exchanges/endpoints';
import { MAX_SYMBOLS_PER_EXCHANGE, type MarkTick, type StreamStatus } from '@/lib/exchanges/common/stream';
import { STREAM_ADAPTERS } from '@/lib/exchanges/streams';
import { until } from '../support/until';
import { useStreamServer } from '../support/stream-server';

const server = useStreamServer();


function client(exchange: ExchangeId, timings?: { keepaliveMs?: number; pongTimeoutMs?: number; silenceTimeoutMs?: number }, now?: () => number) {
  const ticks: MarkTick[] = [];
  let status: StreamStatus | null = null;
  const c = new MarkStreamClient(STREAM_ADAPTERS[exchange], {
    url: (q) => streamUrl(exchange, q, { stream: server().origin }),
    onMarks: (t) => ticks.push(...t),
    onStatus: (s) => (status = s),
    WebSocket,
    backoff: { minMs: 50, maxMs: 400, factor: 2, jitterMs: 30 },
    timings,
    now,
  });
  return { c, ticks, status: () => status ?? c.status() };
}

const CASES: { exchange: ExchangeId; page: string; stream: string }[] = [
  { exchange: 'binance-usdm', page: 'BTCUSDT', stream: 'BTCUSDT' },
  { exchange: 'binance-coinm', page: 'BTCUSD_PERP', stream: 'BTCUSD_PERP' },
  { exchange: 'bybit', page: 'BTCUSDT', stream: 'BTCUSDT' },
  { exchange: 'okx', page: 'BTC-USDT-SWAP', stream: 'BTC-USDT-SWAP' },
  { exchange: 'hyperliquid', page: 'BTC', stream: 'BTC' },
];

describe.each(CASES)('$exchange stream client against the loopback server', ({ exchange, page, stream }) => {
  it('subscribes only held symbols, receives marks, survives garbage, reconnects after a drop and resubscribes', async () => {
    const { c, ticks, status } = client(exchange);
    server().setMark(exchange, stream, '50000.1', Date.now());
    c.setSymbols([page]);
    await until(() => ticks.length >= 1);
    expect(ticks[0]).toMatchObject({ symbol: stream, price: '50000.1' });
    expect(server().subscriptions(exchange)).toEqual([stream]);

    // Deltas / further pushes.
    server().setMark(exchange, stream, '50010.2');
    await until(() => ticks.some((t) => t.price === '50010.2'));

    // Garbage and wrong-symbol frames are counted, never crash, never reach onMarks.
    const before = ticks.length;
    server().sendRaw(exchange, 'garbage{');
    server().sendRaw(exchange, '\u0000\u0001');
    await until(() => status().rejected.malformed >= 2);
    server().setMark(exchange, stream, '50020.3');
    await until(() => ticks.some((t) => t.price === '50020.3'));
    expect(ticks.length).toBe(before + 1);

    // Abrupt drop: reconnect with backoff, resubscribe, and keep receiving.
    const connects = server().connectCount[exchange] ?? 0;
    server().drop();
    await until(() => (server().connectCount[exchange] ?? 0) > connects && status().state === 'open');
    await until(() => server().subscriptions(exchange).includes(stream));
    server().setMark(exchange, stream, '50030.4', Date.now() + 1);
    await until(() => ticks.some((t) => t.price === '50030.4'));
    expect(status().reconnects).toBeGreaterThanOrEqual(1);

    // No symbols held: the connection closes.
    c.setSymbols([]);
    await until(() => server().connections(exchange) === 0);
    expect(c.status().state).toBe('idle');
  });
});

describe('stream client details', () => {
  it('stamps every admitted tick with the local receive time; a tick a day ahead is refused as future and the next real one flows', async () => {
    let clock = Date.now();
    const { c, ticks, status } = client('binance-usdm', undefined, () => clock);
    server().setMark('binance-usdm', 'DOTUSDT', '7.1', clock - 300); // exchange clock a little behind ours
    c.setSymbols(['DOTUSDT']);
    await until(() => ticks.length >= 1);
    expect(ticks[0]).toMatchObject({ price: '7.1', time: clock - 300, receivedAt: clock });
    server().setMark('binance-usdm', 'DOTUSDT', '7.2', clock + 86_400_000);
    await until(() => status().rejected.future === 1);
    clock += 1000;
    server().setMark('binance-usdm', 'DOTUSDT', '7.3', clock - 200);
    await until(() => ticks.some((t) => t.price === '7.3'));
    expect(ticks.find((t) => t.price === '7.3')!.receivedAt).toBe(clock);
    expect(ticks.some((t) => t.price === '7.2')).toBe(false);
    expect(status().rejected['out-of-order']).toBe(0);
    c.setSymbols([]);
  });

  it(`subscribes at most ${MAX_SYMBOLS_PER_EXCHANGE} symbols per exchange and reports the rest as over the cap`, async () => {
    const { c, status } = client('okx');
    const held = Array.from({ length: MAX_SYMBOLS_PER_EXCHANGE + 7 }, (_, i) => `C${String(i).padStart(3, '0')}-USDT-SWAP`);
    c.setSymbols(held);
    await until(() => server().subscriptions('okx').length === MAX_SYMBOLS_PER_EXCHANGE);
    expect(status().symbols).toHaveLength(MAX_SYMBOLS_PER_EXCHANGE);
    expect(status().overCap).toEqual(held.slice(MAX_SYMBOLS_PER_EXCHANGE));
    expect(server().subscriptions('okx').sort()).toEqual(held.slice(0, MAX_SYMBOLS_PER_EXCHANGE));
    c.setSymbols(held.slice(0, 3));
    await until(() => server().subscriptions('okx').length === 3);
    expect(status().overCap).toEqual([]);
    c.setSymbols([]);
  });

  it('Bybit: wrong-symbol and out-of-order frames are counted and dropped', async () => {
    const { c, ticks, status } = client('bybit');
    const T = Date.now(); // event times near the clock: ticks far ahead of it are refused
    server().setMark('bybit', 'ETHUSDT', '3000', T);
    c.setSymbols(['ETHUSDT']);
    await until(() => ticks.length === 1);
    server().sendRaw('bybit', JSON.stringify({ topic: 'tickers.ETHUSDT', type: 'delta', data: { symbol: 'ETHUSDT', markPrice: '2999' }, ts: 1_000 }));
    server().sendRaw('bybit', JSON.stringify({ topic: 'tickers.SOLUSDT', type: 'snapshot', data: { symbol: 'SOLUSDT', markPrice: '150' }, ts: T + 1 }));
    server().sendRaw('bybit', JSON.stringify({ topic: 'tickers.ETHUSDT', type: 'delta', data: { symbol: 'ETHUSDT', markPrice: '0' }, ts: T + 2 }));
    await until(() => status().rejected['out-of-order'] === 1 && status().rejected['wrong-symbol'] === 1 && status().rejected['non-positive'] === 1);
    expect(ticks.map((t) => t.price)).toEqual(['3000']);
    c.setSymbols([]);
  });

  it('adds and removes subscriptions on an open socket', async () => {
    const { c, ticks } = client('okx');
    c.setSymbols(['BTC-USDT-SWAP']);
    await until(() => server().subscriptions('okx').includes('BTC-USDT-SWAP'));
    c.setSymbols(['BTC-USDT-SWAP', 'ETH-USDT-SWAP']);
    await until(() => server().subscriptions('okx').includes('ETH-USDT-SWAP'));
    c.setSymbols(['ETH-USDT-SWAP']);
    await until(() => !server().subscriptions('okx').includes('BTC-USDT-SWAP'));
    server().setMark('okx', 'ETH-USDT-SWAP', '3100.5');
    await until(() => ticks.some((t) => t.symbol === 'ETH-USDT-SWAP'));
    c.setSymbols([]);
  });

  it('sends the keepalive ping on schedule and reconnects when no pong comes (OKX plain ping)', async () => {
    const { c, status } = client('okx', { keepaliveMs: 60, pongTimeoutMs: 80 });
    c.setSymbols(['SOL-USDT-SWAP']);
    await until(() => server().received.some((f) => f.exchange === 'okx' && f.data === 'ping'));
    const connects = server().connectCount.okx ?? 0;
    server().answerPings(false);
    await until(() => (server().connectCount.okx ?? 0) > connects);
    server().answerPings(true);
    await until(() => status().state === 'open');
    c.setSymbols([]);
  });

  it('Bybit and Hyperliquid send their JSON pings', async () => {
    const b = client('bybit', { keepaliveMs: 50 });
    const h = client('hyperliquid', { keepaliveMs: 50 });
    b.c.setSymbols(['XRPUSDT']);
    h.c.setSymbols(['ETH']);
    await until(() => server().received.some((f) => f.exchange === 'bybit' && JSON.parse(f.data).op === 'ping'));
    await until(() => server().received.some((f) => f.exchange === 'hyperliquid' && f.data === '{"method":"ping"}'));
    b.c.setSymbols([]);
    h.c.setSymbols([]);
  });

  it('keeps retrying while the server refuses connections, then connects', async () => {
    server().refuse(400);
    const { c, status, ticks } = client('binance-usdm');
    server().setMark('binance-usdm', 'ETHUSDT', '3333.3');
    c.setSymbols(['ETHUSDT']);
    await new Promise((r) => setTimeout(r, 200));
    expect(status().state).not.toBe('open');
    await until(() => ticks.some((t) => t.price === '3333.3'), 8000);
    c.setSymbols([]);
  });

  it('reconnects a stream that goes silent', async () => {
    const { c, status } = client('binance-usdm', { silenceTimeoutMs: 100 });
    c.setSymbols(['ADAUSDT']); // no mark set: the server stays silent
    await until(() => status().reconnects >= 1, 5000);
    c.setSymbols([]);
  });
});
