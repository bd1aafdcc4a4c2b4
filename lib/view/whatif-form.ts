/**
 * The what-if form as data: the fields of each kind of change, turning them into an engine
 * `Move` (with form-level checks that name the form field), mapping the engine's error paths back
 * to form fields, and describing an applied move in words. Pure, no Preact: the popup's what-if
 * panel (components/popup/whatif/WhatIfPanel.tsx) renders it; the background runs the moves.
 *
 * Form values are the strings typed; numbers stay decimal strings (percent fields are typed in
 * percent and sent as fractions).
 */
import type { Move } from '../engine/whatIf';
import { formatDecimal, formatPercent, formatPercentValue, formatPrice, percentToFraction } from './format';

export type MoveKind = 'shift' | 'margin' | 'close' | 'order';
/** A form's field values by field name, as typed. */
export type Fields = Record<string, string>;

/** Initial field values of each kind of change (the order's symbol is filled from the account). */
export const DEFAULTS: Readonly<Record<MoveKind, Readonly<Fields>>> = {
  shift: { symbol: '', mode: 'percent', value: '' },
  margin: { target: '', amount: '' },
  close: { target: '', percent: '100' },
  order: { symbol: '', side: 'long', size: '', price: '', leverage: '10', marginMode: 'cross' },
};

/** A form-level problem (blank or non-decimal number, no position chosen), named by its form field. */
export class FormError extends Error {
  override name = 'FormError';
  constructor(readonly field: string, readonly problem: string) {
    super(`${field}: ${problem}`);
  }
}

/** Numeric form fields per move kind (checked here first, before the background sees the move). */
const NUMERIC: Record<MoveKind, string[]> = { shift: ['value'], margin: ['amount'], close: ['percent'], order: ['size', 'price', 'leverage'] };
const PLAIN_DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)$/;

/**
 * Turn the form into an engine move.
 * @throws {FormError} naming the form field for form-level problems (blank or non-decimal number, no position chosen)
 */
export function moveFromForm(kind: MoveKind, f: Fields): Move {
  const v = (k: string) => (f[k] ?? '').trim();
  for (const k of NUMERIC[kind]) {
    if (!PLAIN_DECIMAL.test(v(k))) throw new FormError(k, v(k) === '' ? 'required: enter a number' : `must be a decimal string (got ${JSON.stringify(v(k))})`);
  }
  switch (kind) {
    case 'shift': {
      const symbol = v('symbol') || undefined;
      if (v('mode') === 'price') {
        if (!symbol) throw new FormError('symbol', 'choose one symbol to set its price');
        return { kind: 'set-mark', symbol, price: v('value') };
      }
      return v('mode') === 'amount' ? { kind: 'shift-mark', symbol, amount: v('value') } : { kind: 'shift-mark', symbol, percent: v('value') };
    }
    case 'margin': {
      const [symbol, side] = v('target') ? v('target').split('|') : [];
      return { kind: 'add-margin', amount: v('amount'), ...(symbol && { symbol, side: side as 'long' | 'short' }) };
    }
    case 'close': {
      if (!v('target')) throw new FormError('target', 'choose a position');
      const [symbol, side] = v('target').split('|') as [string, 'long' | 'short'];
      const fraction = percentToFraction(v('percent'));
      if (fraction === null) throw new FormError('percent', `must be a number of percent (got ${JSON.stringify(v('percent'))})`);
      return { kind: 'close', symbol, side, fraction };
    }
    case 'order':
      return {
        kind: 'add-position',
        symbol: v('symbol'),
        side: v('side') as 'long' | 'short',
        size: v('size'),
        price: v('price'),
        leverage: v('leverage'),
        marginMode: v('marginMode') as 'cross' | 'isolated',
      };
  }
}

/** Which form field an engine error path (after `moves[i]`) belongs to. */
export function formFieldOf(kind: MoveKind, enginePath: string): string {
  const leaf = enginePath.replace(/^moves\[\d+\]\.?/, '');
  if (!leaf) return 'general';
  const map: Record<MoveKind, Record<string, string>> = {
    shift: { percent: 'value', amount: 'value', price: 'value', symbol: 'symbol' },
    margin: { amount: 'amount', symbol: 'target', side: 'target' },
    close: { fraction: 'percent', size: 'percent', symbol: 'target', side: 'target' },
    order: {},
  };
  return map[kind][leaf] ?? leaf;
}

/**
 * An applied move in words, for the list of applied changes.
 * @example describeMove({ kind: 'close', symbol: 'BTCUSDT', side: 'long', fraction: '0.5' }) //=> 'close 50 % of BTCUSDT long'
 */
export function describeMove(m: Move): string {
  switch (m.kind) {
    case 'set-mark':
      return `${m.symbol} mark → ${formatPrice(m.price)}`;
    case 'shift-mark':
      return `${m.symbol ?? 'all marks'} ${m.percent !== undefined ? formatPercentValue(m.percent, 2) : `${formatDecimal(m.amount ?? null, { plus: true })} (price)`}`;
    case 'add-margin':
      return `${m.amount.startsWith('-') ? 'remove' : 'add'} ${formatDecimal(m.amount.replace(/^[+-]/, ''))} margin${m.symbol ? ` (${m.symbol} ${m.side ?? ''} isolated)` : ''}`;
    case 'close':
      return `close ${formatPercent(m.fraction ?? '1', 0)} of ${m.symbol} ${m.side ?? ''}`;
    case 'add-position':
      return `${m.side} ${formatDecimal(m.size)} ${m.symbol} @ ${formatPrice(m.price)}, ${formatDecimal(m.leverage)}× ${m.marginMode}`;
  }
}

/**
 * What "liquidation if my orders fill" applied, in words: "2 open orders applied as fills; 1 left
 * out: ETHUSDT limit (no position on ETHUSDT…)". `note` null = the option is off.
 */
export function ordersFillText(note: { read: boolean; applied: number; skipped: { order: number; reason: string }[] } | null | undefined, orders: readonly { symbol: string; type: string }[] | undefined): string | null {
  if (!note) return null;
  if (!note.read) return 'Open orders were not read from this page: nothing to apply.';
  const head = note.applied === 0 ? 'No open order adds to a position' : `${note.applied} open order${note.applied > 1 ? 's' : ''} applied as filled at ${note.applied > 1 ? 'their' : 'its'} price`;
  const left = note.skipped.filter((s) => !/^reduce-only/.test(s.reason));
  const tail = left.length ? `; left out: ${left.slice(0, 3).map((s) => `${orders?.[s.order]?.symbol ?? '?'} ${orders?.[s.order]?.type ?? ''} (${s.reason})`).join('; ')}${left.length > 3 ? '; …' : ''}` : '';
  return `${head}${tail}. Reduce-only orders and stops are not applied.`;
}
