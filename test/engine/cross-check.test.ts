import { describe, expect, it } from 'vitest';
import { crossCheck } from '../../lib/engine/cross-check';
import type { AccountSnapshot, PositionSnapshot } from '../../lib/engine/snapshot';

const pos = (symbol: string, side: 'long' | 'short', size: string, marginMode: 'cross' | 'isolated' = 'cross'): PositionSnapshot =>
  ({ symbol, side, size, contract: 'linear', entryPrice: '100', markPrice: '100', marginMode, leverage: '10' }) as PositionSnapshot;
const snap = (positions: PositionSnapshot[], walletBalance: string | null = '1000'): AccountSnapshot => ({ exchange: 'bybit', positionMode: 'one-way', walletBalance, positions });

describe('page vs API cross-check', () => {
  it('agrees within display rounding', () => {
    expect(crossCheck(snap([pos('BTCUSDT', 'long', '0.100')], '1000.00'), snap([pos('BTCUSDT', 'long', '0.1')], '1000.004'))).toEqual([]);
    expect(crossCheck(snap([pos('BTCUSDT', 'long', '1.00')]), snap([pos('BTCUSDT', 'long', '1.004')]))).toEqual([]);
  });

  it('names a position only one side has (opened on the phone, closed meanwhile), a size and a balance that differ', () => {
    const page = snap([pos('BTCUSDT', 'long', '0.1'), pos('SOLUSDT', 'short', '5')], '1000');
    const api = snap([pos('BTCUSDT', 'long', '0.2'), pos('ETHUSDT', 'short', '2', 'isolated')], '900');
    expect(crossCheck(page, api)).toEqual([
      'BTCUSDT long cross size: page 0.1, API 0.2',
      'ETHUSDT short isolated: on the API, not on the page',
      'SOLUSDT short cross: on the page, not on the API',
      'wallet balance: page 1000, API 900',
    ]);
  });

  it('does not compare what one side does not know', () => {
    expect(crossCheck(snap([], null), snap([], '5'))).toEqual([]);
  });
});
