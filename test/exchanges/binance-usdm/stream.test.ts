import { describe, expect, it } from 'vitest';
import { binanceCoinmStream } from '@/lib/exchanges/binance-coinm/stream';
import { binanceUsdmStream } from '@/lib/exchanges/binance-usdm/stream';
import { parseBinanceFrame } from '@/lib/exchanges/binance/stream';
import { MarkGate } from '@/lib/exchanges/common/stream';

// Sample from https://developers.binance.com/docs/derivatives/usds-margined-futures/websocket-market-streams/Mark-Price-Stream
const RAW = '{"e":"markPriceUpdate","E":1562305380000,"s":"BTCUSDT","p":"11794.15000000","i":"11784.62659091","P":"11784.25641265","r":"0.00038167","T":1562306400000}';
const COMBINED = `{"stream":"btcusdt@markPrice@1s","data":${RAW}}`;

describe('Binance mark-price stream', () => {
  it('parses combined and raw pushes into a tick with the exact decimal string', () => {
    const tick = { symbol: 'BTCUSDT', price: '11794.15000000', time: 1562305380000, fundingRate: '0.00038167', nextFundingTime: 1562306400000 };
    expect(parseBinanceFrame(COMBINED)).toEqual({ kind: 'marks', marks: [tick] });
    expect(parseBinanceFrame(RAW)).toEqual({ kind: 'marks', marks: [tick] });
  });

  it('carries the funding rate r (fraction, exact string) and next funding time T; malformed funding never rejects the mark', () => {
    const mark = { symbol: 'BTCUSDT', price: '11794.15000000', time: 1562305380000 };
    expect(parseBinanceFrame(COMBINED.replace('"0.00038167"', '"-0.00012500"'))).toEqual({
      kind: 'marks',
      marks: [{ ...mark, fundingRate: '-0.00012500', nextFundingTime: 1562306400000 }],
    });
    // Delivery contracts (COIN-M dated) send an empty rate and T = 0: no funding, mark kept.
    expect(parseBinanceFrame(COMBINED.replace('"0.00038167"', '""').replace('1562306400000', '0'))).toEqual({ kind: 'marks', marks: [mark] });
    for (const bad of ['"abc"', '"1e-4"', 'null', '"1.5"', '{}', '"--0.1"']) {
      expect(parseBinanceFrame(COMBINED.replace('"0.00038167"', bad))).toEqual({ kind: 'marks', marks: [mark] });
    }
    // A bad T keeps the rate, without a time.
    expect(parseBinanceFrame(COMBINED.replace('1562306400000', '"soon"'))).toEqual({ kind: 'marks', marks: [{ ...mark, fundingRate: '0.00038167' }] });
    // Absent fields: plain mark.
    expect(parseBinanceFrame(COMBINED.replace(',"r":"0.00038167","T":1562306400000', ''))).toEqual({ kind: 'marks', marks: [mark] });
  });

  it('recognises subscribe acks and errors', () => {
    expect(parseBinanceFrame('{"result":null,"id":1}').kind).toBe('ack');
    expect(parseBinanceFrame('{"error":{"code":2,"msg":"Invalid request"},"id":3}').kind).toBe('error');
  });

  it('rejects garbage, non-positive prices, and a stream carrying another symbol', () => {
    expect(parseBinanceFrame('not json')).toMatchObject({ kind: 'rejected', reason: 'malformed' });
    expect(parseBinanceFrame('[1,2]')).toMatchObject({ kind: 'rejected', reason: 'malformed' });
    expect(parseBinanceFrame(COMBINED.replace('"11794.15000000"', '"0.000"'))).toMatchObject({ kind: 'rejected', reason: 'non-positive' });
    expect(parseBinanceFrame(COMBINED.replace('"11794.15000000"', '"-5"'))).toMatchObject({ kind: 'rejected', reason: 'non-positive' });
    expect(parseBinanceFrame(COMBINED.replace('"11794.15000000"', '"1e5"'))).toMatchObject({ kind: 'rejected', reason: 'malformed' });
    expect(parseBinanceFrame(COMBINED.replace('"11794.15000000"', 'null'))).toMatchObject({ kind: 'rejected', reason: 'malformed' });
    expect(parseBinanceFrame(COMBINED.replace('btcusdt@', 'ethusdt@'))).toMatchObject({ kind: 'rejected', reason: 'wrong-symbol' });
    expect(parseBinanceFrame(COMBINED.replace('1562305380000', '"x"'))).toMatchObject({ kind: 'rejected', reason: 'malformed' });
  });

  it('builds the /market combined URL query and SUBSCRIBE frames with lowercase stream names', () => {
    expect(binanceUsdmStream.connectQuery(['BTCUSDT', 'ETHUSDT'])).toBe('streams=btcusdt@markPrice@1s/ethusdt@markPrice@1s');
    const [sub] = binanceUsdmStream.subscribeMessages(['SOLUSDT']);
    expect(JSON.parse(sub!)).toMatchObject({ method: 'SUBSCRIBE', params: ['solusdt@markPrice@1s'] });
    expect(JSON.parse(binanceUsdmStream.unsubscribeMessages(['SOLUSDT'])[0]!)).toMatchObject({ method: 'UNSUBSCRIBE' });
    expect(binanceUsdmStream.streamSymbol('btcusdt')).toBe('BTCUSDT');
    expect(binanceCoinmStream.streamSymbol('BTCUSD_PERP')).toBe('BTCUSD_PERP');
    expect(binanceCoinmStream.streamSymbol('BTCUSDT')).toBeNull();
  });

  it('MarkGate drops unsubscribed symbols and older ticks', () => {
    const gate = new MarkGate(new Set(['BTCUSDT']));
    expect(gate.admit({ symbol: 'BTCUSDT', price: '1', time: 10 }).ok).toBe(true);
    expect(gate.admit({ symbol: 'BTCUSDT', price: '1', time: 9 })).toMatchObject({ ok: false, reason: 'out-of-order' });
    expect(gate.admit({ symbol: 'BTCUSDT', price: '1', time: 10 }).ok).toBe(true);
    expect(gate.admit({ symbol: 'ETHUSDT', price: '1', time: 11 })).toMatchObject({ ok: false, reason: 'wrong-symbol' });
  });
});
