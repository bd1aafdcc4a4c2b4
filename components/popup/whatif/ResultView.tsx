/**
 * The result of a what-if: before → after of the account's ratios, balances, the uniform fall to
 * liquidation, and each position's liquidation price and distance, as the background computed
 * them with the engine's `whatIf`. "None" (no such figure) comes from the engine's `Reason.none`.
 */
import type { Delta, WhatIfResult } from '../../../lib/engine/whatIf';
import type { AccountRisk, PositionRisk } from '../../../lib/engine/types';
import { formatDecimal, formatPercent, formatPercentValue, formatPrice, signOf } from '../../../lib/view/format';
import { noneFor, reasonFor } from '../../../lib/view/reasons';

/** A figure, or "none" where the engine flags that there is none (`Reason.none`), or "unknown". */
function orNone(value: string | null, reasons: AccountRisk['reasons'], field: string, fmt: (s: string) => string): string {
  if (value !== null) return fmt(value);
  return noneFor(reasons, field) ? 'none' : 'unknown';
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
  if (!d || signOf(d.change) === 0) return null;
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
