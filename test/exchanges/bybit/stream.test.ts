import { describe, expect, it } from 'vitest';
import { bybitStream, createBybitParser } from '@/lib/exchanges/bybit/stream';

// Samples from https://bybit-exchange.github.io/docs/v5/websocket/public/ticker (linear: data is an object).
const SNAPSHOT =
  '{"topic":"tickers.BTCUSDT","type":"snapshot","data":{"symbol":"BTCUSDT","tickDirection":"MinusTick","lastPrice":"66666.60","markPrice":"66666.60","indexPrice":"115418.19","fundingRate":"-0.005","nextFundingTime":"1760342400000","openInterest":"492373.72","bid1Price":"66666.60","ask1Price":"66666.70"},"cs":9532239429,"ts":1760325052630}';
const delta = (fields: string, ts: number) => `{"topic":"tickers.BTCUSDT","type":"delta","data":{"symbol":"BTCUSDT",${fields}},"cs":9532239430,"ts":${ts}}`;

describe('Bybit v5 tickers stream', () => {
  it('takes the mark from the snapshot, then merges deltas', () => {
    const p = createBybitParser();
    const funding = { fundingRate: '-0.005', nextFundingTime: 1760342400000 };
    expect(p.parse(SNAPSHOT, 0)).toEqual({ kind: 'marks', marks: [{ symbol: 'BTCUSDT', price: '66666.60', time: 1760325052630, ...funding }] });
    expect(p.parse(delta('"markPrice":"66700.10"', 1760325052730), 0)).toEqual({
      kind: 'marks',
      marks: [{ symbol: 'BTCUSDT', price: '66700.10', time: 1760325052730, ...funding }],
    });
    // A delta that does not touch markPrice changes no mark.
    expect(p.parse(delta('"lastPrice":"66701.00"', 1760325052830), 0).kind).toBe('ignored');
  });

  it('carries fundingRate and nextFundingTime from the snapshot, merged with deltas that change them', () => {
    const p = createBybitParser();
    p.parse(SNAPSHOT, 0);
    // A delta changing only the funding fields moves no mark, but the next mark carries the new rate.
    expect(p.parse(delta('"fundingRate":"0.0001","nextFundingTime":"1760371200000"', 1760325052730), 0).kind).toBe('ignored');
    expect(p.parse(delta('"markPrice":"66700.10"', 1760325052830), 0)).toEqual({
      kind: 'marks',
      marks: [{ symbol: 'BTCUSDT', price: '66700.10', time: 1760325052830, fundingRate: '0.0001', nextFundingTime: 1760371200000 }],
    });
  });

  it('malformed funding fields never reject a valid mark', () => {
    for (const bad of ['"x"', '""', '"2"', 'null', '"1e-3"']) {
      const p = createBybitParser();
      expect(p.parse(SNAPSHOT.replace('"-0.005"', bad), 0)).toEqual({ kind: 'marks', marks: [{ symbol: 'BTCUSDT', price: '66666.60', time: 1760325052630 }] });
    }
    const p = createBybitParser();
    expect(p.parse(SNAPSHOT.replace('"1760342400000"', '"tomorrow"'), 0)).toEqual({
      kind: 'marks',
      marks: [{ symbol: 'BTCUSDT', price: '66666.60', time: 1760325052630, fundingRate: '-0.005' }],
    });
  });

  it('refuses a delta before any snapshot (it cannot be merged)', () => {
    expect(createBybitParser().parse(delta('"markPrice":"1"', 1), 0)).toMatchObject({ kind: 'rejected', reason: 'out-of-order' });
  });

  it('recognises subscribe acks and pongs', () => {
    const p = createBybitParser();
    expect(p.parse('{"success":true,"ret_msg":"","conn_id":"3cd84cb1","req_id":"","op":"subscribe"}', 0).kind).toBe('ack');
    expect(p.parse('{"success":true,"ret_msg":"pong","conn_id":"3cd84cb1","req_id":"","op":"ping"}', 0).kind).toBe('pong');
    expect(p.parse('{"success":false,"ret_msg":"error:handler not found","op":"subscribe"}', 0).kind).toBe('error');
  });

  it('rejects garbage, non-positive marks and a topic/symbol mismatch, keeping the last good mark', () => {
    const p = createBybitParser();
    p.parse(SNAPSHOT, 0);
    expect(p.parse('{', 0)).toMatchObject({ kind: 'rejected', reason: 'malformed' });
    expect(p.parse(delta('"markPrice":"0"', 2), 0)).toMatchObject({ kind: 'rejected', reason: 'non-positive' });
    expect(p.parse(SNAPSHOT.replace('"symbol":"BTCUSDT"', '"symbol":"ETHUSDT"'), 0)).toMatchObject({ kind: 'rejected', reason: 'wrong-symbol' });
    expect(p.parse(delta('"lastPrice":"1"', 3), 0).kind).toBe('ignored');
  });

  it('builds subscribe frames and a 20 s ping', () => {
    expect(JSON.parse(bybitStream.subscribeMessages(['BTCUSDT', 'ETHUSDT'])[0]!)).toMatchObject({ op: 'subscribe', args: ['tickers.BTCUSDT', 'tickers.ETHUSDT'] });
    expect(bybitStream.keepalive).toMatchObject({ everyMs: 20_000, idleOnly: false });
    expect(JSON.parse(bybitStream.keepalive!.message)).toMatchObject({ op: 'ping' });
  });
});
