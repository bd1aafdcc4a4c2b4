/**
 * Replacing mark prices in a snapshot (live stream ticks, what-if shifts).
 */
import type { AccountSnapshot } from './snapshot';

/**
 * A copy of `snapshot` with the mark price of every position on a symbol in `marks`
 * replaced. Symbols not in `marks` keep their mark. The input is not modified.
 * @param marks symbol → mark price (decimal string, > 0)
 */
export function withMarks(snapshot: AccountSnapshot, marks: Readonly<Record<string, string>>): AccountSnapshot {
  return {
    ...snapshot,
    positions: snapshot.positions.map((p) =>
      Object.prototype.hasOwnProperty.call(marks, p.symbol) ? { ...p, markPrice: marks[p.symbol]! } : p,
    ),
  };
}
