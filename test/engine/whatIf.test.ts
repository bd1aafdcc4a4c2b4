// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { D } from '../../lib/engine/decimal';
import { evaluate, whatIf, ScenarioError, stressTable, fundingPayment } from '../../lib/engine';
import { defaultTierTables } from '../../lib/exchanges/tiers';
import { account, pos } from './helpers';

const tables = defaultTierTables('binance-usdm');
const base = account({
  walletBalance: '10000',
  positions: [
    pos({ symbol: 'BTCUSDT', size: '0.5', entryPrice: '90000', markPrice: '90000', leverage: '20' }),
    pos({ symbol: 'ETHUSDT', side: 'short', size: '5', entryPrice: '3000', markPrice: '3100', leverage: '20' }),
  ],
});

describe('whatIf', () => {
  it('shift-mark of all by −5 % equals evaluating the shifted marks directly', () => {
    const w = whatIf(base, { moves: [{ kind: 'shift-mark', percent: '-5' }] }, tables);
    const direct = evaluate(
      { ...base, positions: [{ ...base.positions[0]!, markPrice: '85500' }, { ...base.positions[1]!, markPrice: '2945' }] },
      tables,
    );
    expect(w.after).toEqual(direct);
    expect(w.deltas.find((d) => d.field === 'marginBalance')!.change).toBe(new D(direct.marginBalance!).minus(w.before.marginBalance!).toFixed());
  });

  it('adding margin moves liquidation prices away; the delta line carries before → after', () => {
    const w = whatIf(base, { moves: [{ kind: 'add-margin', amount: '5000' }] }, tables);
    const d = w.deltas.find((x) => x.field === 'BTCUSDT long cross.liquidationPrice')!;
    expect(new D(d.after!).lt(d.before!)).toBe(true);
    expect(Number(d.changePercent)).toBeLessThan(0);
  });

  it('closing a position realizes its PnL into the wallet and drops it', () => {
    const w = whatIf(base, { moves: [{ kind: 'close', symbol: 'ETHUSDT' }] }, tables);
    expect(w.snapshot.positions.map((p) => p.symbol)).toEqual(['BTCUSDT']);
    expect(w.snapshot.walletBalance).toBe('9500'); // short 5 from 3000 at 3100: −500
    expect(w.after.marginBalance).toBe(w.before.marginBalance); // closing at mark leaves equity unchanged
  });

  it('reducing by a fraction keeps the rest', () => {
    const w = whatIf(base, { moves: [{ kind: 'close', symbol: 'BTCUSDT', fraction: '0.4' }] }, tables);
    expect(w.snapshot.positions[0]!.size).toBe('0.3');
  });

  it('a hypothetical order in one-way mode averages the entry of a same-side position', () => {
    const w = whatIf(base, { moves: [{ kind: 'add-position', symbol: 'BTCUSDT', side: 'long', size: '0.5', price: '80000', leverage: '20', marginMode: 'cross' }] }, tables);
    const btc = w.snapshot.positions.find((p) => p.symbol === 'BTCUSDT')!;
    expect(btc.size).toBe('1');
    expect(btc.entryPrice).toBe('85000');
  });

  it('an opposite order in one-way mode reduces, then flips', () => {
    const w = whatIf(base, { moves: [{ kind: 'add-position', symbol: 'BTCUSDT', side: 'short', size: '0.8', price: '90000', leverage: '20', marginMode: 'cross' }] }, tables);
    const btc = w.snapshot.positions.find((p) => p.symbol === 'BTCUSDT')!;
    expect(btc.side).toBe('short');
    expect(btc.size).toBe('0.3');
  });

  it('a new isolated order takes its margin from the wallet', () => {
    const w = whatIf(base, { moves: [{ kind: 'add-position', symbol: 'SOLUSDT', side: 'long', size: '10', price: '150', leverage: '5', marginMode: 'isolated' }] }, tables);
    const sol = w.snapshot.positions.find((p) => p.symbol === 'SOLUSDT')!;
    expect(sol.isolatedMargin).toBe('300');
    expect(w.snapshot.walletBalance).toBe('9700');
    expect(w.after.positions.find((p) => p.symbol === 'SOLUSDT')!.liquidationPrice).not.toBeNull();
  });

  it('moves on an isolated position whose margin the page did not show fail naming the field, never treat it as 0', () => {
    const unknownMargin = account({
      walletBalance: '10000',
      positions: [pos({ symbol: 'SOLUSDT', size: '10', entryPrice: '150', markPrice: '150', leverage: '5', marginMode: 'isolated', isolatedMargin: null })],
    });
    const order = (side: 'long' | 'short') => ({ kind: 'add-position', symbol: 'SOLUSDT', side, size: '4', price: '150', leverage: '5', marginMode: 'isolated' });
    for (const move of [order('long'), order('short'), { kind: 'close', symbol: 'SOLUSDT', fraction: '0.5' }, { kind: 'add-margin', symbol: 'SOLUSDT', amount: '10' }]) {
      try {
        whatIf(unknownMargin, { moves: [move] }, tables);
        expect.unreachable(`${move.kind} should throw`);
      } catch (e) {
        expect(e).toBeInstanceOf(ScenarioError);
        expect((e as ScenarioError).field).toBe('moves[0].symbol');
        expect((e as Error).message).toMatch(/SOLUSDT: isolated margin unknown/);
      }
    }
  });

  it.each([
    [{ moves: [{ kind: 'close', symbol: 'XRPUSDT' }] }, 'moves[0].symbol'],
    [{ moves: [{ kind: 'shift-mark', percent: 'five' }] }, 'moves[0].percent'],
    [{ moves: [{ kind: 'add-margin', amount: '-20000' }] }, 'moves[0].amount'],
    [{ moves: [{ kind: 'shift-mark', percent: '-100' }] }, 'moves[0]'],
    [{ moves: [{ kind: 'teleport' }] }, 'moves[0].kind'],
  ])('bad scenario %j names %s', (scenario, field) => {
    try {
      whatIf(base, scenario, tables);
      expect.unreachable('should throw');
    } catch (e) {
      expect(e).toBeInstanceOf(ScenarioError);
      expect((e as ScenarioError).field).toBe(field);
    }
  });
});

describe('stressTable', () => {
  it('row 0 % is the live account; rows are full evaluations of shifted marks', () => {
    const rows = stressTable(base, tables);
    const live = evaluate(base, tables);
    const zero = rows.find((r) => r.shock === '0')!;
    expect(zero.riskRatio).toBe(live.riskRatio);
    const down = rows.find((r) => r.shock === '-0.1')!;
    const direct = evaluate({ ...base, positions: [{ ...base.positions[0]!, markPrice: '81000' }, { ...base.positions[1]!, markPrice: '2790' }] }, tables);
    expect(down.equity).toBe(direct.equity);
    expect(rows).toHaveLength(13);
  });
  it('a one-symbol shock with factor 0 leaves the others at their marks', () => {
    const rows = stressTable(base, tables, ['-0.2'], { symbol: 'BTCUSDT', factor: '0' });
    const direct = evaluate({ ...base, positions: [{ ...base.positions[0]!, markPrice: '72000' }, base.positions[1]!] }, tables);
    expect(rows[0]!.marginRatio).toBe(direct.marginRatio);
    expect(rows[0]!.firstToLiquidate).toBe(`${direct.positions[direct.firstToLiquidate!]!.symbol} ${direct.positions[direct.firstToLiquidate!]!.side}`);
  });
  it('marks shocked to ≤ 0 give an unknown row, not a number', () => {
    const rows = stressTable(base, tables, ['-1']);
    expect(rows[0]!.riskRatio).toBeNull();
  });
});

describe('fundingPayment', () => {
  it('longs pay a positive rate, shorts receive it', () => {
    expect(fundingPayment('long', '45000', '0.0001')).toBe('-4.5');
    expect(fundingPayment('short', '45000', '0.0001')).toBe('4.5');
  });
});

describe('whatIf input checks never leak a DecimalError', () => {
  it.each(['', 'abc', '1,5'])('size %j → ScenarioError naming the field', (size) => {
    expect(() => whatIf(base, { moves: [{ kind: 'add-position', symbol: 'BTCUSDT', side: 'long', size, price: '1', leverage: '5', marginMode: 'cross' }] }, tables)).toThrow(ScenarioError);
  });
});
