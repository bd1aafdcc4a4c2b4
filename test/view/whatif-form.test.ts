// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { ScenarioError, whatIf } from '../../lib/engine/whatIf';
import { defaultTierTables } from '../../lib/exchanges/tiers';
import { DEFAULTS, describeMove, FormError, formFieldOf, moveFromForm, type Fields, type MoveKind } from '../../lib/view/whatif-form';
import { tight } from '../components/helpers';

const tables = defaultTierTables('binance-usdm');
const KINDS: MoveKind[] = ['shift', 'margin', 'close', 'order'];

describe('form → move', () => {
  it('maps engine error paths to form fields', () => {
    expect(formFieldOf('shift', 'moves[0].percent')).toBe('value');
    expect(formFieldOf('close', 'moves[2].fraction')).toBe('percent');
    expect(formFieldOf('order', 'moves[0].leverage')).toBe('leverage');
    expect(formFieldOf('margin', 'moves[0]')).toBe('general');
  });

  it('builds moves', () => {
    expect(moveFromForm('close', { target: 'BTCUSDT|long', percent: '25' })).toEqual({ kind: 'close', symbol: 'BTCUSDT', side: 'long', fraction: '0.25' });
    expect(moveFromForm('shift', { symbol: '', mode: 'amount', value: '-100' })).toEqual({ kind: 'shift-mark', symbol: undefined, amount: '-100' });
    expect(() => moveFromForm('shift', { symbol: '', mode: 'price', value: '1' })).toThrow(/choose one symbol/);
    expect(() => moveFromForm('margin', { target: '', amount: '' })).toThrow(FormError);
  });

  it.each(KINDS)('an untouched %s form names its first missing field, never a move', (kind) => {
    const f: Fields = { ...DEFAULTS[kind] };
    let err: unknown;
    try {
      moveFromForm(kind, f);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(FormError);
    // The field named is one of the form's own fields, so the panel can show the message beside it.
    expect(Object.keys(f)).toContain((err as FormError).field);
  });

  it('every kind of filled-in form gives a move the engine applies (same snapshot the popup shows)', () => {
    const snap = tight();
    const [btc] = snap.positions;
    const filled: Record<MoveKind, Fields> = {
      shift: { ...DEFAULTS.shift, symbol: btc!.symbol, value: '-5' },
      margin: { ...DEFAULTS.margin, amount: '100' },
      close: { ...DEFAULTS.close, target: `${btc!.symbol}|${btc!.side}`, percent: '50' },
      order: { ...DEFAULTS.order, symbol: 'ETHUSDT', size: '0.1', price: '3000' },
    };
    for (const kind of KINDS) {
      const move = moveFromForm(kind, filled[kind]);
      const r = whatIf(snap, { moves: [move] }, tables);
      expect(r.after.positions.length, kind).toBeGreaterThan(0);
    }
  });

  it("the engine's error path for a form move maps back to a field of that form", () => {
    const snap = tight();
    const move = moveFromForm('order', { ...DEFAULTS.order, symbol: 'ETHUSDT', size: '1', price: '0' });
    let err: unknown;
    try {
      whatIf(snap, { moves: [move] }, tables);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ScenarioError);
    expect(formFieldOf('order', (err as ScenarioError).field)).toBe('price');
  });
});

describe('describeMove', () => {
  it.each([
    [{ kind: 'set-mark', symbol: 'BTCUSDT', price: '61240.123' }, 'BTCUSDT mark → 61,240.12'],
    [{ kind: 'shift-mark', symbol: undefined, percent: '-5' }, 'all marks \u22125.00 %'],
    [{ kind: 'shift-mark', symbol: 'ETHUSDT', amount: '-100' }, 'ETHUSDT \u2212100 (price)'],
    [{ kind: 'add-margin', amount: '-1500' }, 'remove 1,500 margin'],
    [{ kind: 'add-margin', amount: '25', symbol: 'BTCUSDT', side: 'long' }, 'add 25 margin (BTCUSDT long isolated)'],
    [{ kind: 'close', symbol: 'BTCUSDT', side: 'long', fraction: '0.5' }, 'close 50 % of BTCUSDT long'],
    [{ kind: 'add-position', symbol: 'ETHUSDT', side: 'short', size: '0.1', price: '3000', leverage: '10', marginMode: 'isolated' }, 'short 0.1 ETHUSDT @ 3,000.00, 10× isolated'],
  ] as const)('%o → %s', (move, want) => {
    expect(describeMove(move as Parameters<typeof describeMove>[0])).toBe(want);
  });
});
