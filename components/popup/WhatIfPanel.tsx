/**
 * What-if: build a scenario move by move and show before → after, run by the background with the
 * engine's own `whatIf` on the monitor's live input (`what-if` message; no second formula, and no
 * engine in the popup bundle). Invalid input shows the engine's ScenarioError message next to the
 * field it names. Reset returns to the live account.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Delta, Move, WhatIfResult } from '../../lib/engine/whatIf';
import type { AccountSnapshot } from '../../lib/engine/snapshot';
import type { AccountRisk, PositionRisk } from '../../lib/engine/types';
import { formatDecimal, formatPercent, formatPercentValue, formatPrice, percentToFraction } from '../format';
import { meansNone } from '../Figure';
import { reasonFor } from '../model';
import { requestWhatIf } from './background';

export type MoveKind = 'shift' | 'margin' | 'close' | 'order';
type Fields = Record<string, string>;
type Errors = Record<string, string>;

const DEFAULTS: Record<MoveKind, Fields> = {
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

function describeMove(m: Move): string {
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

/** A figure, or "none" where the engine's reason says there is none (see Figure), or "unknown". */
function orNone(value: string | null, reasons: AccountRisk['reasons'], field: string, fmt: (s: string) => string): string {
  if (value !== null) return fmt(value);
  return meansNone(reasonFor(reasons, field)) ? 'none' : 'unknown';
}

/** "12.34 % → 15.10 % (+2.76 pts)" style lines. */
function ratioLine(label: string, d: Delta | undefined, before: AccountRisk, after: AccountRisk, field: 'marginRatio' | 'riskRatio') {
  if (!d) return null;
  const why = d.after === null ? reasonFor(after.reasons, field) : undefined;
  return (
    <li data-delta={field}>
      {label} {formatPercent(d.before, 2)} → <span title={why}>{formatPercent(d.after, 2)}</span>
      {d.change !== null && ` (${formatPercent(d.change, 2, true).replace(' %', ' pts')})`}
      {why && <span class="why"> ({why})</span>}
      {d.before === null && reasonFor(before.reasons, field) && <span class="why"> (before: {reasonFor(before.reasons, field)})</span>}
    </li>
  );
}

function moneyLine(label: string, d: Delta | undefined) {
  if (!d || (d.change !== null && /^-?0(\.0*)?$/.test(d.change))) return null;
  return (
    <li data-delta={d.field}>
      {label} {formatDecimal(d.before, { dp: 2 })} → {formatDecimal(d.after, { dp: 2 })}
      {d.changePercent !== null && ` (${formatPercentValue(d.changePercent)})`}
    </li>
  );
}

function positionLines(r: WhatIfResult) {
  const keyOf = (p: PositionRisk) => `${p.symbol} ${p.side} ${p.marginMode}`;
  const keys = [...new Set([...r.before.positions, ...r.after.positions].map(keyOf))];
  return keys.map((k) => {
    const b = r.before.positions.find((p) => keyOf(p) === k);
    const a = r.after.positions.find((p) => keyOf(p) === k);
    const liq = r.deltas.find((d) => d.field === `${k}.liquidationPrice`);
    const dist = r.deltas.find((d) => d.field === `${k}.distanceToLiquidation`);
    const name = k.replace(/ (cross|isolated)$/, '');
    if (!a) {
      return (
        <li key={k} data-delta={`${k}.liquidationPrice`}>
          {name}: liq {b ? orNone(b.liquidationPrice, b.reasons, 'liquidationPrice', formatPrice) : 'unknown'} → closed
        </li>
      );
    }
    const why = a.liquidationPrice === null ? reasonFor(a.reasons, 'liquidationPrice') : undefined;
    return (
      <li key={k} data-delta={`${k}.liquidationPrice`}>
        {name}: liq {b ? orNone(b.liquidationPrice, b.reasons, 'liquidationPrice', formatPrice) : 'none (new)'} →{' '}
        <span title={why}>{orNone(a.liquidationPrice, a.reasons, 'liquidationPrice', formatPrice)}</span>
        {liq?.changePercent != null && ` (${formatPercentValue(liq.changePercent)})`}
        {dist && (
          <>
            ; distance {b ? orNone(dist.before, b.reasons, 'liquidationPrice', (x) => formatPercent(x, 1)) : 'none'} →{' '}
            {orNone(dist.after, a.reasons, 'liquidationPrice', (x) => formatPercent(x, 1))}
          </>
        )}
        {why && <span class="why"> ({why})</span>}
      </li>
    );
  });
}

export function WhatIfResultView({ result: r }: { result: WhatIfResult }) {
  const d = (f: string) => r.deltas.find((x) => x.field === f);
  const firstAfter = r.after.firstToLiquidate === null ? null : r.after.positions[r.after.firstToLiquidate];
  return (
    <div class="whatif-result" aria-live="polite">
      {r.after.liquidated === true && (
        <p class="alert-line" role="alert">
          After this the account is at or past liquidation.
        </p>
      )}
      <ul class="deltas">
        {ratioLine('Margin ratio', d('marginRatio'), r.before, r.after, 'marginRatio')}
        {ratioLine('Risk ratio', d('riskRatio'), r.before, r.after, 'riskRatio')}
        {moneyLine('Margin balance', d('marginBalance'))}
        {moneyLine('Available', d('availableBalance'))}
        <li data-delta="liquidationMove">
          Liq. if all fall {orNone(r.before.liquidationMove.down, r.before.reasons, 'liquidationMove.down', (x) => formatPercent(x, 1))} →{' '}
          {orNone(r.after.liquidationMove.down, r.after.reasons, 'liquidationMove.down', (x) => formatPercent(x, 1))}
        </li>
        {positionLines(r)}
        <li>First to liquidate after: {firstAfter ? `${firstAfter.symbol} ${firstAfter.side}` : 'none'}</li>
      </ul>
    </div>
  );
}

export interface WhatIfPanelProps {
  /** The account as the background monitors it (`AccountRecord.key`): the what-if runs on its live input. */
  accountKey: string;
  /** The account shown (symbols and legs for the form). */
  snapshot: AccountSnapshot;
  /** Changes when the account's input changes (marks, tier tables): applied moves are re-run then. Default: the snapshot. */
  version?: string;
}

export function WhatIfPanel({ accountKey, snapshot, version }: WhatIfPanelProps) {
  const [kind, setKind] = useState<MoveKind>('shift');
  const initial = (): Record<MoveKind, Fields> => ({ ...DEFAULTS, order: { ...DEFAULTS.order, symbol: snapshot.positions[0]?.symbol ?? '' } });
  const [fields, setFields] = useState<Record<MoveKind, Fields>>(initial);
  const [moves, setMoves] = useState<Move[]>([]);
  const [errors, setErrors] = useState<Errors>({});
  const [result, setResult] = useState<WhatIfResult | { error: string } | null>(null);
  const [busy, setBusy] = useState(false);
  // Replies of requests from before a reset or an apply are dropped (`gen`); of two re-runs the later wins (`rerun`).
  const gen = useRef(0);
  const rerun = useRef(0);
  const applying = useRef(false);
  const f = fields[kind];
  const set = (k: string) => (e: Event) => {
    const value = (e.currentTarget as HTMLInputElement).value;
    setFields((all) => ({ ...all, [kind]: { ...all[kind], [k]: value } }));
  };
  const symbols = [...new Set(snapshot.positions.map((p) => p.symbol))];
  const legs = snapshot.positions.map((p) => ({ id: `${p.symbol}|${p.side}`, label: `${p.symbol} ${p.side} ${p.marginMode}`, isolated: p.marginMode === 'isolated' }));

  // Marks move with every stream tick: re-run the applied moves when the input really changed, not on each re-render.
  const inputKey = version ?? JSON.stringify(snapshot);
  useEffect(() => {
    if (!moves.length || applying.current) return; // an apply in flight answers with the newest input anyway
    const g = gen.current;
    const n = ++rerun.current;
    void requestWhatIf(accountKey, moves).then((r) => {
      if (g === gen.current && n === rerun.current) setResult(r.ok ? r.result : { error: r.error });
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [inputKey, accountKey]);

  const apply = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    let move: Move;
    try {
      move = moveFromForm(kind, f);
    } catch (err) {
      setErrors(err instanceof FormError ? { [err.field]: err.problem } : { general: err instanceof Error ? err.message : String(err) });
      return;
    }
    const next = [...moves, move];
    const g = ++gen.current;
    applying.current = true;
    setBusy(true);
    const r = await requestWhatIf(accountKey, next);
    if (g !== gen.current) return; // reset meanwhile
    applying.current = false;
    setBusy(false);
    if (r.ok) {
      setMoves(next);
      setResult(r.result);
      setErrors({});
    } else if (r.kind === 'scenario' && r.field) setErrors({ [formFieldOf(kind, r.field)]: r.problem });
    else if (r.kind === 'snapshot') setErrors({ general: `the result is not a valid account: ${r.error}` });
    else setErrors({ general: r.error });
  };
  const reset = () => {
    gen.current++;
    applying.current = false;
    setBusy(false);
    setMoves([]);
    setResult(null);
    setErrors({});
    setFields(initial());
  };

  const id = (k: string) => `wi-${kind}-${k}`;
  const err = (k: string) =>
    errors[k] ? (
      <span class="field-error" id={`${id(k)}-err`} role="alert">
        {errors[k]}
      </span>
    ) : null;
  const input = (k: string, label: string, placeholder = '', inputmode: 'decimal' | 'text' = 'decimal') => (
    <div class="field">
      <label for={id(k)}>{label}</label>
      <input
        id={id(k)}
        name={k}
        value={f[k]}
        onInput={set(k)}
        inputMode={inputmode}
        placeholder={placeholder}
        aria-invalid={errors[k] ? 'true' : undefined}
        aria-describedby={errors[k] ? `${id(k)}-err` : undefined}
        autocomplete="off"
      />
      {err(k)}
    </div>
  );
  const select = (k: string, label: string, options: [string, string][]) => (
    <div class="field">
      <label for={id(k)}>{label}</label>
      <select id={id(k)} name={k} value={f[k]} onChange={set(k)} aria-invalid={errors[k] ? 'true' : undefined} aria-describedby={errors[k] ? `${id(k)}-err` : undefined}>
        {options.map(([v, l]) => (
          <option key={v} value={v}>
            {l}
          </option>
        ))}
      </select>
      {err(k)}
    </div>
  );

  return (
    <div class="whatif">
      <form onSubmit={(e) => void apply(e)} aria-label="What-if change" aria-busy={busy ? 'true' : undefined}>
        <div class="field">
          <label for="wi-kind">Change</label>
          <select id="wi-kind" value={kind} onChange={(e) => { setKind((e.currentTarget as HTMLSelectElement).value as MoveKind); setErrors({}); }}>
            <option value="shift">Move mark price</option>
            <option value="margin">Add / remove margin</option>
            <option value="close">Close / reduce position</option>
            <option value="order">Hypothetical order</option>
          </select>
        </div>
        {kind === 'shift' && (
          <>
            {select('symbol', 'Symbol', [['', 'All symbols'], ...symbols.map((s): [string, string] => [s, s])])}
            {select('mode', 'By', [['percent', 'percent'], ['amount', 'price amount'], ['price', 'to price']])}
            {input('value', f.mode === 'percent' ? 'Move (%)' : f.mode === 'amount' ? 'Move (price units)' : 'New mark price', f.mode === 'percent' ? '-5' : '')}
          </>
        )}
        {kind === 'margin' && (
          <>
            {select('target', 'Where', [['', 'Cross wallet'], ...legs.filter((l) => l.isolated).map((l): [string, string] => [l.id, l.label])])}
            {input('amount', 'Amount (negative removes)', '100')}
          </>
        )}
        {kind === 'close' && (
          <>
            {select('target', 'Position', [['', 'choose…'], ...legs.map((l): [string, string] => [l.id, l.label])])}
            {input('percent', 'Close (% of size)', '100')}
          </>
        )}
        {kind === 'order' && (
          <>
            {input('symbol', 'Symbol', symbols[0] ?? 'BTCUSDT', 'text')}
            {select('side', 'Side', [['long', 'long (buy)'], ['short', 'short (sell)']])}
            {input('size', 'Size', '0.01')}
            {input('price', 'Price', '')}
            {input('leverage', 'Leverage', '10')}
            {select('marginMode', 'Margin mode', [['cross', 'cross'], ['isolated', 'isolated']])}
          </>
        )}
        {err('general')}
        <div class="buttons">
          <button type="submit" disabled={busy}>
            Apply
          </button>
          <button type="button" onClick={reset} disabled={!moves.length && !Object.keys(errors).length}>
            Reset to live
          </button>
        </div>
      </form>
      {moves.length > 0 && (
        <ol class="moves" aria-label="Applied changes">
          {moves.map((m, i) => (
            <li key={i}>{describeMove(m)}</li>
          ))}
        </ol>
      )}
      {busy && (
        <p class="muted" role="status">
          Computing…
        </p>
      )}
      {result && 'error' in result && <p class="field-error">{result.error}</p>}
      {result && !('error' in result) && <WhatIfResultView result={result} />}
      {!moves.length && <p class="muted">Live account: no change applied. Figures use the same engine as the monitor.</p>}
    </div>
  );
}
