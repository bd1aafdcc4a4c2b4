// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { evaluate, parseSnapshot, SnapshotError } from '../../lib/engine';
import { account, pos } from './helpers';

const good = account({ positions: [pos({ symbol: 'BTCUSDT', tier: { mmr: '0.004', maintAmount: '0' } })] });
const withPos = (patch: Record<string, unknown>) => ({ ...good, positions: [{ ...good.positions[0], ...patch }] });

function errorOf(input: unknown): SnapshotError {
  try {
    parseSnapshot(input);
  } catch (e) {
    if (e instanceof SnapshotError) return e;
    throw e;
  }
  throw new Error('expected a SnapshotError');
}

describe('bad input gets a clear error naming the field', () => {
  it.each([
    ['missing size', (() => { const p = { ...good.positions[0] } as Record<string, unknown>; delete p.size; return { ...good, positions: [p] }; })(), 'positions[0].size'],
    ['negative size', withPos({ size: '-1' }), 'positions[0].size'],
    ['zero entry price', withPos({ entryPrice: '0' }), 'positions[0].entryPrice'],
    ['non-numeric mark', withPos({ markPrice: 'abc' }), 'positions[0].markPrice'],
    ['placeholder "--" as mark', withPos({ markPrice: '--' }), 'positions[0].markPrice'],
    ['number instead of string', withPos({ size: 1 }), 'positions[0].size'],
    ['NaN string', withPos({ entryPrice: 'NaN' }), 'positions[0].entryPrice'],
    ['Infinity', withPos({ entryPrice: 'Infinity' }), 'positions[0].entryPrice'],
    ['huge size 1e30', withPos({ size: '1e30' }), 'positions[0].size'],
    ['leverage 0', withPos({ leverage: '0' }), 'positions[0].leverage'],
    ['bad side', withPos({ side: 'buy' }), 'positions[0].side'],
    ['bad exchange', { ...good, exchange: 'ftx' }, 'exchange'],
    ['wallet "--"', { ...good, walletBalance: '--' }, 'walletBalance'],
    ['inverse without contractSize', withPos({ contract: 'inverse' }), 'positions[0].contractSize'],
    ['isolatedMargin on a cross position', withPos({ isolatedMargin: '10' }), 'positions[0].isolatedMargin'],
    ['two one-way positions on one symbol', { ...good, positions: [good.positions[0], { ...good.positions[0], side: 'short' }] }, 'positions[1].symbol'],
    ['too many positions', { ...good, positions: Array.from({ length: 30000 }, (_, i) => ({ ...good.positions[0], symbol: `S${i}` })) }, 'positions'],
  ])('%s → %s', (_name, input, field) => {
    const e = errorOf(input);
    expect(e.field).toBe(field);
    expect(e.message.startsWith(`${field}: `)).toBe(true);
  });
});

describe('unknown is not zero', () => {
  it('unknown wallet balance: cross figures null with reasons, isolated still computed', () => {
    const s = account({
      walletBalance: null,
      positions: [
        pos({ symbol: 'BTCUSDT', tier: { mmr: '0.004', maintAmount: '0' } }),
        pos({ symbol: 'ETHUSDT', marginMode: 'isolated', isolatedMargin: '10', tier: { mmr: '0.005', maintAmount: '0' } }),
      ],
    });
    const r = evaluate(s, {});
    expect(r.marginBalance).toBeNull();
    expect(r.marginRatio).toBeNull();
    expect(r.riskRatio).toBeNull();
    expect(r.reasons.some((x) => x.field === 'marginBalance')).toBe(true);
    expect(r.positions[0]!.liquidationPrice).toBeNull();
    expect(r.positions[1]!.liquidationPrice).not.toBeNull();
  });
  it('unknown mark price: position figures null, named in the account reasons', () => {
    const r = evaluate(account({ positions: [pos({ symbol: 'BTCUSDT', markPrice: null, tier: { mmr: '0.004', maintAmount: '0' } })] }), {});
    expect(r.positions[0]!.notional).toBeNull();
    expect(r.unrealizedPnl).toBeNull();
    expect(r.reasons.find((x) => x.field === 'unrealizedPnl')!.reason).toContain('BTCUSDT');
  });
  it('no tier table: maintenance margin unknown, never computed from a guessed rate', () => {
    const r = evaluate(account({ positions: [pos({ symbol: 'NEWCOINUSDT' })] }), {});
    expect(r.maintenanceMargin).toBeNull();
    expect(r.riskRatio).toBeNull();
    expect(r.positions[0]!.reasons.some((x) => x.reason.includes('no tier table'))).toBe(true);
  });
  it('tiny sizes evaluate without NaN', () => {
    const r = evaluate(account({ positions: [pos({ symbol: 'BTCUSDT', size: '0.00000001', tier: { mmr: '0.004', maintAmount: '0' } })] }), {});
    expect(JSON.stringify(r)).not.toMatch(/NaN|Infinity/);
  });
  it('fully hedged legs have no liquidation price, with the reason', () => {
    const r = evaluate(
      account({
        positionMode: 'hedge',
        positions: [
          pos({ symbol: 'BTCUSDT', side: 'long', tier: { mmr: '0.004', maintAmount: '0' } }),
          pos({ symbol: 'BTCUSDT', side: 'short', tier: { mmr: '0.004', maintAmount: '0' } }),
        ],
      }),
      {},
    );
    expect(r.positions[0]!.liquidationPrice).toBeNull();
    expect(r.positions[0]!.reasons.find((x) => x.field === 'liquidationPrice')!.reason).toMatch(/fully hedged/);
  });
  it('account past liquidation says so and reports distance 0', () => {
    const r = evaluate(account({ walletBalance: '1', positions: [pos({ symbol: 'BTCUSDT', size: '1', entryPrice: '100', markPrice: '99', tier: { mmr: '0.01', maintAmount: '0' } })] }), {});
    expect(r.liquidated).toBe(true);
    expect(r.positions[0]!.distanceToLiquidation).toBe('0');
  });
});

describe('reconciliation', () => {
  it('flags a displayed liquidation price beyond tolerance and accepts one within', () => {
    const mk = (shown: string) =>
      evaluate(account({ walletBalance: '1000', positions: [pos({ symbol: 'BTCUSDT', size: '0.1', entryPrice: '60000', markPrice: '60000', tier: { mmr: '0.004', maintAmount: '0' }, displayed: { liquidationPrice: shown } })] }), {});
    const ours = mk('1').positions[0]!.liquidationPrice!;
    expect(mk(ours).positions[0]!.reconciliation[0]!.mismatch).toBe(false);
    const off = (Number(ours) * 1.01).toFixed(2);
    const rec = mk(off).positions[0]!.reconciliation[0]!;
    expect(rec.mismatch).toBe(true);
    expect(rec.field).toBe('liquidationPrice');
  });
  it('account margin ratio: ours beside theirs', () => {
    const r = evaluate(account({ walletBalance: '1000', displayed: { marginRatio: '0.5' }, positions: [pos({ symbol: 'BTCUSDT', size: '0.1', entryPrice: '60000', markPrice: '60000', tier: { mmr: '0.004', maintAmount: '0' } })] }), {});
    expect(r.reconciliation[0]).toMatchObject({ field: 'marginRatio', theirs: '0.5', ours: r.marginRatio, mismatch: true });
  });
  it('displayed margin balance and unrealized PnL are whole-account figures (cross + isolated)', () => {
    const r = evaluate(
      account({
        walletBalance: '1000',
        displayed: { marginBalance: '1095', unrealizedPnl: '15' },
        positions: [
          pos({ symbol: 'BTCUSDT', size: '0.1', entryPrice: '60000', markPrice: '60100', tier: { mmr: '0.004', maintAmount: '0' } }),
          pos({ symbol: 'ETHUSDT', side: 'short', size: '1', entryPrice: '3000', markPrice: '2995', marginMode: 'isolated', isolatedMargin: '80', tier: { mmr: '0.005', maintAmount: '0' } }),
        ],
      }),
      {},
    );
    // cross MB 1010, isolated 80 + 5 → equity 1095; uPnL 10 + 5 = 15
    expect(r.equity).toBe('1095');
    expect(r.reconciliation.find((x) => x.field === 'marginBalance')).toMatchObject({ ours: '1095', mismatch: false });
    expect(r.reconciliation.find((x) => x.field === 'unrealizedPnl')).toMatchObject({ ours: '15', mismatch: false });
  });
});
