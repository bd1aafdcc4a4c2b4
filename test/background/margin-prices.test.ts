// @vitest-environment happy-dom
/**
 * Spot margin prices from the loopback Binance spot stream (miniTicker frames, the real format)
 * through the real stream client, priced into the reader's snapshot and evaluated.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { SpotPriceFeed, pricedSnapshot, spotSymbolsOf } from '@/lib/background/margin-prices';
import { evaluateSpotMargin } from '@/lib/engine/spotMargin';
import type { SpotMarginCrossRisk } from '@/lib/engine/spotMarginTypes';
import { parseSpotFrame } from '@/lib/exchanges/binance-margin/stream';
import { readBinanceMargin } from '@/lib/exchanges/binance-margin/reader';
import { MARGIN_FIXTURES, marginDoc } from '../exchanges/binance-margin/helpers';
import { until } from '../support/until';
import { useStreamServer } from '../support/stream-server';

const server = useStreamServer();


describe('spot frames', () => {
  it('a miniTicker push is a price; other events, bad prices and mismatched streams are not', () => {
    const f = (data: object, stream = 'btcusdt@miniTicker') => JSON.stringify({ stream, data });
    expect(parseSpotFrame(f({ e: '24hrMiniTicker', E: 1, s: 'BTCUSDT', c: '64000.10' }))).toEqual({ kind: 'marks', marks: [{ symbol: 'BTCUSDT', price: '64000.10', time: 1 }] });
    expect(parseSpotFrame(f({ e: '24hrTicker', E: 1, s: 'BTCUSDT', c: '1' })).kind).toBe('ignored');
    expect(parseSpotFrame(f({ e: '24hrMiniTicker', E: 1, s: 'BTCUSDT', c: '0' }))).toMatchObject({ kind: 'rejected', reason: 'non-positive' });
    expect(parseSpotFrame(f({ e: '24hrMiniTicker', E: 1, s: 'ETHUSDT', c: '1' }))).toMatchObject({ kind: 'rejected', reason: 'wrong-symbol' });
    expect(parseSpotFrame('{"result":null,"id":3}').kind).toBe('ack');
  });
});

describe('SpotPriceFeed on the loopback spot stream', () => {
  it('subscribes what the read account needs, prices it, and the level matches the page (1.47)', async () => {
    const read = readBinanceMargin(marginDoc(MARGIN_FIXTURES.cross.file), MARGIN_FIXTURES.cross.url);
    const snap = read.snapshot!;
    expect(spotSymbolsOf(snap)).toEqual(['BNBUSDT', 'BTCUSDT', 'ETHUSDT']);
    server().setMark('binance-spot', 'BTCUSDT', '64000');
    server().setMark('binance-spot', 'ETHUSDT', '3100');
    server().setMark('binance-spot', 'BNBUSDT', '580');
    let pushes = 0;
    const feed = new SpotPriceFeed({ now: Date.now, onPrices: () => pushes++, WebSocket, backoff: { minMs: 50, maxMs: 200, factor: 2, jitterMs: 10 } });
    feed.setOverride({ stream: server().origin });
    feed.sync(spotSymbolsOf(snap));
    await until(() => ['BTCUSDT', 'ETHUSDT', 'BNBUSDT'].every((s) => feed.price(s)));
    expect(server().subscriptions('binance-spot')).toEqual(['BNBUSDT', 'BTCUSDT', 'ETHUSDT']);
    const p = pricedSnapshot(snap, (s) => feed.price(s));
    expect(p.missing).toEqual([]);
    expect(p.oldestPriceAt).toBeGreaterThan(0);
    const risk = evaluateSpotMargin(p.snapshot) as SpotMarginCrossRisk;
    expect(risk.marginLevel).toBe('1.47043587');

    // A fall pushed by the stream lowers the level.
    server().setMark('binance-spot', 'BTCUSDT', '40000');
    await until(() => feed.price('BTCUSDT')?.price === '40000');
    const after = evaluateSpotMargin(pricedSnapshot(snap, (s) => feed.price(s)).snapshot) as SpotMarginCrossRisk;
    expect(Number(after.marginLevel)).toBeLessThan(1.3);
    expect(pushes).toBeGreaterThanOrEqual(4);

    // Dropping an asset unsubscribes it.
    feed.sync(['BTCUSDT']);
    await until(() => server().subscriptions('binance-spot').join() === 'BTCUSDT');
    feed.stop();
  });
  it('before any price: the missing symbols are named and the level is unknown', () => {
    const snap = readBinanceMargin(marginDoc(MARGIN_FIXTURES.cross.file), MARGIN_FIXTURES.cross.url).snapshot!;
    const p = pricedSnapshot(snap, () => null);
    expect(p.missing).toEqual(['BTCUSDT', 'ETHUSDT', 'BNBUSDT']);
    expect(p.oldestPriceAt).toBeNull();
    expect(evaluateSpotMargin(p.snapshot).marginLevel).toBeNull();
  });
});
