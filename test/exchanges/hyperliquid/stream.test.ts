import { describe, expect, it } from 'vitest';
import { hyperliquidCoin, hyperliquidStream, nextHour, parseHyperliquidFrame } from '@/lib/exchanges/hyperliquid/stream';

// Shape from https://hyperliquid.gitbook.io/hyperliquid-docs/for-developers/api/websocket/subscriptions
const PUSH =
  '{"channel":"activeAssetCtx","data":{"coin":"BTC","ctx":{"funding":"0.0000125","openInterest":"29876.1","prevDayPx":"96000.0","dayNtlVlm":"1.2e9","premium":"0.0001","oraclePx":"97010.0","markPx":"97021.5","midPx":"97020.5","impactPxs":["97020.0","97021.0"]}}}';

describe('Hyperliquid activeAssetCtx stream', () => {
  it('parses markPx and stamps the receive time', () => {
    expect(parseHyperliquidFrame(PUSH, 1234)).toEqual({
      kind: 'marks',
      marks: [{ symbol: 'BTC', price: '97021.5', time: 1234, fundingRate: '0.0000125', nextFundingTime: 3_600_000 }],
    });
  });
  it('funding is the hourly rate, paid at the next full hour after receipt; malformed funding keeps the mark', () => {
    const t = Date.UTC(2025, 10, 20, 14, 37, 12, 345);
    expect(parseHyperliquidFrame(PUSH, t)).toMatchObject({ marks: [{ fundingRate: '0.0000125', nextFundingTime: Date.UTC(2025, 10, 20, 15) }] });
    expect(nextHour(Date.UTC(2025, 10, 20, 15))).toBe(Date.UTC(2025, 10, 20, 16));
    expect(parseHyperliquidFrame(PUSH.replace('"0.0000125"', '"-0.00003"'), t)).toMatchObject({ marks: [{ fundingRate: '-0.00003' }] });
    for (const bad of ['"NaN"', '"1.2e-5"', 'null', '[]']) {
      expect(parseHyperliquidFrame(PUSH.replace('"0.0000125"', bad), 1234)).toEqual({ kind: 'marks', marks: [{ symbol: 'BTC', price: '97021.5', time: 1234 }] });
    }
  });
  it('handles pong, subscription responses, other channels and garbage', () => {
    expect(parseHyperliquidFrame('{"channel":"pong"}', 0).kind).toBe('pong');
    expect(parseHyperliquidFrame('{"channel":"subscriptionResponse","data":{"method":"subscribe"}}', 0).kind).toBe('ack');
    expect(parseHyperliquidFrame('{"channel":"allMids","data":{"mids":{}}}', 0).kind).toBe('ignored');
    expect(parseHyperliquidFrame('{"channel":"activeAssetCtx","data":{"coin":"BTC"}}', 0)).toMatchObject({ kind: 'rejected', reason: 'malformed' });
    expect(parseHyperliquidFrame(PUSH.replace('"97021.5"', '"-1"'), 0)).toMatchObject({ kind: 'rejected', reason: 'non-positive' });
    expect(parseHyperliquidFrame('\u0000', 0)).toMatchObject({ kind: 'rejected', reason: 'malformed' });
  });
  it('maps symbols to coins and builds subscribe and ping frames', () => {
    expect(hyperliquidCoin('BTC')).toBe('BTC');
    expect(hyperliquidCoin('ETH-USD')).toBe('ETH');
    expect(hyperliquidCoin('kPEPE')).toBe('kPEPE');
    expect(JSON.parse(hyperliquidStream.subscribeMessages(['BTC'])[0]!)).toEqual({ method: 'subscribe', subscription: { type: 'activeAssetCtx', coin: 'BTC' } });
    expect(JSON.parse(hyperliquidStream.keepalive!.message)).toEqual({ method: 'ping' });
    expect(hyperliquidStream.keepalive!.everyMs).toBeLessThan(60_000);
  });
});
