/**
 * What-if: build a scenario move by move and show before → after, run by the background with the
 * engine's own `whatIf` on the monitor's live input (`what-if` message; no second formula, and no
 * engine in the popup bundle). Invalid input shows the engine's ScenarioError message next to the
 * field it names. Reset returns to the live account.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Move, WhatIfResult } from '../../../lib/engine/whatIf';
import type { AccountSnapshot } from '../../../lib/engine/snapshot';
import { DEFAULTS, describeMove, FormError, formFieldOf, moveFromForm, ordersFillText, type Fields, type MoveKind } from '../../../lib/view/whatif-form';
import type { OrdersFillNote } from '../../../lib/protocol/analysis';
import { requestWhatIf } from '../requests';
import { WhatIfResultView } from './ResultView';

type Errors = Record<string, string>;

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
  const [withOrders, setWithOrders] = useState(false);
  const [ordersNote, setOrdersNote] = useState<OrdersFillNote | null>(null);
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
    if ((!moves.length && !withOrders) || applying.current) {
      if (!moves.length && !withOrders) (setResult(null), setOrdersNote(null));
      return; // an apply in flight answers with the newest input anyway
    }
    const g = gen.current;
    const n = ++rerun.current;
    void requestWhatIf(accountKey, moves, withOrders).then((r) => {
      if (g === gen.current && n === rerun.current) (setResult(r.ok ? r.result : { error: r.error }), setOrdersNote(r.ok ? (r.orders ?? null) : null));
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [inputKey, accountKey, withOrders]);

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
    const r = await requestWhatIf(accountKey, next, withOrders);
    if (g !== gen.current) return; // reset meanwhile
    applying.current = false;
    setBusy(false);
    if (r.ok) {
      setMoves(next);
      setResult(r.result);
      setOrdersNote(r.orders ?? null);
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
    setOrdersNote(null);
    setWithOrders(false);
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
      <label class="field with-orders" title="Apply the account's open orders that add to a position as if they were filled at their price (a predictive liquidation line). Reduce-only orders and stops are not applied.">
        <input type="checkbox" name="withOrders" checked={withOrders} onChange={(e) => setWithOrders((e.currentTarget as HTMLInputElement).checked)} /> Liquidation if my orders fill
      </label>
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
      {withOrders && ordersNote && (
        <p class="muted orders-note" role="status">
          {ordersFillText(ordersNote, snapshot.orders)}
        </p>
      )}
      {result && 'error' in result && <p class="field-error">{result.error}</p>}
      {result && !('error' in result) && <WhatIfResultView result={result} />}
      {!moves.length && !withOrders && <p class="muted">Live account: no change applied. Figures use the same engine as the monitor.</p>}
    </div>
  );
}
