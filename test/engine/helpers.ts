import type { AccountSnapshot, PositionSnapshot } from '../../lib/engine';

/** A linear cross position with sensible defaults; override any field. */
export function pos(p: Partial<PositionSnapshot> & Pick<PositionSnapshot, 'symbol'>): PositionSnapshot {
  return {
    side: 'long',
    size: '1',
    contract: 'linear',
    entryPrice: '100',
    markPrice: '100',
    marginMode: 'cross',
    leverage: '10',
    ...p,
  };
}

export function account(p: Partial<AccountSnapshot> & Pick<AccountSnapshot, 'positions'>): AccountSnapshot {
  return { exchange: 'binance-usdm', positionMode: 'one-way', walletBalance: '1000', ...p };
}

/** |a − b| ≤ tol, with a readable failure message. */
export function near(a: string | null, b: string | number, tol: string | number): boolean {
  if (a === null) return false;
  return Math.abs(Number(a) - Number(b)) <= Number(tol);
}
