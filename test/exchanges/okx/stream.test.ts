import { describe, expect, it } from 'vitest';
import { okxInstId, okxStream, parseOkxFrame } from '@/lib/exchanges/okx/stream';

// Samples from https://www.okx.com/docs-v5/en/#public-data-websocket-mark-price-channel
const PUSH = '{"arg":{"channel":"mark-price","instId":"BTC-USDT-SWAP"},"data":[{"instType":"SWAP","instId":"BTC-USDT-SWAP","markPx":"0.1","ts":"1597026383085"}]}';

describe('OKX v5 mark-price stream', () => {
  it('parses a push (the mark-price channel carries no funding rate: the tick has none)', () => {
    expect(parseOkxFrame(PUSH)).toEqual({ kind: 'marks', marks: [{ symbol: 'BTC-USDT-SWAP', price: '0.1', time: 1597026383085 }] });
  });
  it('handles pong, acks and errors', () => {
    expect(parseOkxFrame('pong').kind).toBe('pong');
    expect(parseOkxFrame('{"id":"1512","event":"subscribe","arg":{"channel":"mark-price","instId":"BTC-USDT-SWAP"},"connId":"a4d3ae55"}').kind).toBe('ack');
    expect(parseOkxFrame('{"event":"error","code":"60012","msg":"Invalid request","connId":"a4d3ae55"}')).toMatchObject({ kind: 'error' });
  });
  it('rejects garbage, non-positive and mismatched instruments', () => {
    expect(parseOkxFrame('ping?')).toMatchObject({ kind: 'rejected', reason: 'malformed' });
    expect(parseOkxFrame(PUSH.replace('"0.1"', '"0"'))).toMatchObject({ kind: 'rejected', reason: 'non-positive' });
    expect(parseOkxFrame(PUSH.replace('"instId":"BTC-USDT-SWAP","markPx"', '"instId":"ETH-USDT-SWAP","markPx"'))).toMatchObject({
      kind: 'rejected',
      reason: 'wrong-symbol',
    });
    expect(parseOkxFrame(PUSH.replace('"data":[', '"data":[7,'))).toMatchObject({ kind: 'marks', rejected: [{ reason: 'malformed' }] });
  });
  it('maps page symbols to instrument ids and uses a plain ping keepalive reset on every message', () => {
    expect(okxInstId('BTC-USDT-SWAP')).toBe('BTC-USDT-SWAP');
    expect(okxInstId('BTCUSDT')).toBe('BTC-USDT-SWAP');
    expect(okxInstId('eth-usd')).toBe('ETH-USD-SWAP');
    expect(okxInstId('BTC-USDT-250926')).toBeNull();
    expect(okxStream.keepalive).toMatchObject({ message: 'ping', idleOnly: true });
    expect(okxStream.keepalive!.everyMs).toBeLessThan(30_000);
    expect(JSON.parse(okxStream.subscribeMessages(['BTC-USDT-SWAP'])[0]!)).toMatchObject({
      op: 'subscribe',
      args: [{ channel: 'mark-price', instId: 'BTC-USDT-SWAP' }],
    });
  });
});
