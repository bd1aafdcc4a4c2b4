/**
 * The mark book's rules (lib/background/marks.ts): receive-time freshness, future stamps clamped,
 * 20 % jumps held for a confirming tick, and the stream-vs-page 5 % rule.
 */
import { describe, expect, it } from 'vitest';
import { MarkBook } from '@/lib/background/marks';
import type { AccountSnapshot } from '@/lib/engine/snapshot';
import type { AccountRecord } from '@/lib/storage';
import { emptyRecord } from '@/lib/background/accounts';

const T0 = 1_800_000_000_000;
// receivedAt: the stream client's local receive stamp (MarkTick); MarkBook.admit still takes it as its `now` argument.
const tick = (price: string, time: number, receivedAt = time) => ({ symbol: 'BTCUSDT', price, time, receivedAt });

function record(side: 'long' | 'short', pageMark: string | null, snapshotAt = T0): AccountRecord {
  const snapshot = {
    exchange: 'binance-usdm',
    positionMode: 'one-way',
    walletBalance: '1000',
    positions: [{ symbol: 'BTCUSDT', side, marginMode: 'cross', size: '0.1', entryPrice: '60000', markPrice: pageMark, leverage: '10', contract: { type: 'linear' } }],
  } as unknown as AccountSnapshot;
  return { ...emptyRecord('binance-usdm/tab:1', 'binance-usdm', 'Binance'), snapshot, snapshotAt };
}

describe('MarkBook', () => {
  it('measures freshness on local receive time, not on the exchange stamp', () => {
    const book = new MarkBook();
    // The exchange clock is 10 minutes behind: the tick is still fresh when received now.
    book.admit('binance-usdm', [tick('60000', T0 - 600_000, T0)]);
    const m = book.forAccount(record('long', null, T0 - 1000), T0 + 5_000, 60_000, T0 - 1000, 90_000);
    expect(m.used.BTCUSDT?.price).toBe('60000');
    expect(m.oldestPriceAt).toBe(T0);
  });

  it('a tick stamped in the future is clamped to its receive time and cannot freeze later ticks', () => {
    const book = new MarkBook();
    book.admit('binance-usdm', [tick('60000', T0 + 3_600_000, T0)]); // one hour in the future
    expect(book.get('binance-usdm', 'BTCUSDT')).toMatchObject({ time: T0, receivedAt: T0 });
    const changed = book.admit('binance-usdm', [tick('60010', T0 + 1000, T0 + 1000)]);
    expect([...changed]).toEqual(['BTCUSDT']);
    expect(book.get('binance-usdm', 'BTCUSDT')?.price).toBe('60010');
  });

  it('an older tick than the stored one is ignored', () => {
    const book = new MarkBook();
    book.admit('binance-usdm', [tick('60000', T0, T0)]);
    expect(book.admit('binance-usdm', [tick('59000', T0 - 5000, T0 + 10)]).size).toBe(0);
    expect(book.get('binance-usdm', 'BTCUSDT')?.price).toBe('60000');
  });

  it('a jump over 20 % waits for a confirming tick; a tick back near the old mark discards it', () => {
    const book = new MarkBook();
    book.admit('binance-usdm', [tick('60000', T0, T0)]);
    expect(book.admit('binance-usdm', [tick('30000', T0 + 1000, T0 + 1000)]).size).toBe(0);
    expect(book.get('binance-usdm', 'BTCUSDT')?.price).toBe('60000');
    expect(book.isHeld('binance-usdm', 'BTCUSDT')).toBe(true);
    // Back near the old mark: the wild tick is dropped.
    book.admit('binance-usdm', [tick('60005', T0 + 2000, T0 + 2000)]);
    expect(book.isHeld('binance-usdm', 'BTCUSDT')).toBe(false);
    expect(book.get('binance-usdm', 'BTCUSDT')?.price).toBe('60005');
    // A real crash: two ticks agree, the second is applied.
    book.admit('binance-usdm', [tick('40000', T0 + 3000, T0 + 3000)]);
    expect(book.get('binance-usdm', 'BTCUSDT')?.price).toBe('60005');
    book.admit('binance-usdm', [tick('39800', T0 + 4000, T0 + 4000)]);
    expect(book.get('binance-usdm', 'BTCUSDT')?.price).toBe('39800');
  });

  it('while a jump is held the old mark keeps aging (a stream of wild prices ends stale, not frozen fresh)', () => {
    const book = new MarkBook();
    book.admit('binance-usdm', [tick('60000', T0, T0)]);
    book.admit('binance-usdm', [tick('10', T0 + 30_000, T0 + 30_000)]);
    const m = book.forAccount(record('long', null, T0 - 1000), T0 + 90_000, 60_000, T0 - 1000, 90_000);
    expect(m.oldestPriceAt).toBe(T0);
  });

  it('stream and fresh page marks over 5 % apart: flagged, and the worse one for the position is used', () => {
    const book = new MarkBook();
    book.admit('binance-usdm', [tick('60000', T0, T0)]);
    const long = book.forAccount(record('long', '56000', T0), T0 + 1000, 60_000, T0, 90_000);
    expect(long.disagreements).toEqual([{ symbol: 'BTCUSDT', stream: '60000', page: '56000' }]);
    expect(long.used.BTCUSDT?.price).toBe('56000'); // lower is worse for a long
    const short = book.forAccount(record('short', '56000', T0), T0 + 1000, 60_000, T0, 90_000);
    expect(short.used.BTCUSDT?.price).toBe('60000'); // higher is worse for a short
    // Within 5 %: the stream is the live price, nothing flagged.
    const close = book.forAccount(record('long', '58000', T0), T0 + 1000, 60_000, T0, 90_000);
    expect(close.disagreements).toEqual([]);
    expect(close.used.BTCUSDT?.price).toBe('60000');
    // An old page read is not compared.
    const old = book.forAccount(record('long', '56000', T0 - 200_000), T0 + 1000, 60_000, T0, 90_000);
    expect(old.disagreements).toEqual([]);
  });
});
