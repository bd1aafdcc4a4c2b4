/**
 * Stress table through the engine's {@link stressTable}: uniform shocks −30 % … +30 %, or a shock
 * to one symbol with the others following by a user-set factor. Columns: margin ratio (exchange
 * convention), equity left, first position to liquidate. Funding to the next funding time.
 */
import { useMemo, useState } from 'preact/hooks';
import { DEFAULT_SHOCKS, stressTable, type StressRow } from '../../lib/engine/stress';
import type { AccountSnapshot } from '../../lib/engine/snapshot';
import type { TierTables } from '../../lib/engine/tiers';
import type { AccountRisk } from '../../lib/engine/types';
import { formatDecimal, formatPercent, parseDecimal } from '../format';
import { bandOf, tablesKey } from '../model';

export interface StressPanelProps {
  snapshot: AccountSnapshot;
  tables: TierTables;
  risk: AccountRisk;
  /** Funding rates per symbol from the stream; null when the background does not provide them. */
  funding: null;
  levels?: readonly number[];
}

export function StressPanel({ snapshot, tables, risk, levels = [] }: StressPanelProps) {
  const [symbol, setSymbol] = useState('');
  const [factor, setFactor] = useState('1');
  const symbols = [...new Set(snapshot.positions.map((p) => p.symbol))];
  const factorOk = parseDecimal(factor.trim()) !== null && !/e/i.test(factor);
  const inputKey = JSON.stringify(snapshot) + tablesKey(tables);
  const rows = useMemo<StressRow[] | { error: string }>(() => {
    if (symbol && !factorOk) return { error: 'factor must be a decimal number such as 0.8' };
    try {
      return stressTable(snapshot, tables, DEFAULT_SHOCKS, symbol ? { symbol, factor: factor.trim() } : {});
    } catch (e) {
      return { error: e instanceof Error ? e.message : String(e) };
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [inputKey, symbol, factor, factorOk]);
  const higher = risk.marginRatioConvention.direction === 'higher-is-safer';

  return (
    <div class="stress">
      <div class="stress-controls">
        <div class="field">
          <label for="st-symbol">Shock</label>
          <select id="st-symbol" value={symbol} onChange={(e) => setSymbol((e.currentTarget as HTMLSelectElement).value)}>
            <option value="">All symbols alike</option>
            {symbols.map((s) => (
              <option key={s} value={s}>
                {s} (others follow)
              </option>
            ))}
          </select>
        </div>
        {symbol && (
          <div class="field">
            <label for="st-factor">Others follow ×</label>
            <input
              id="st-factor"
              value={factor}
              inputMode="decimal"
              onInput={(e) => setFactor((e.currentTarget as HTMLInputElement).value)}
              aria-invalid={factorOk ? undefined : 'true'}
              aria-describedby={factorOk ? undefined : 'st-factor-err'}
            />
            {!factorOk && (
              <span class="field-error" id="st-factor-err" role="alert">
                factor must be a decimal number such as 0.8 (1 = same move, 0 = others stay)
              </span>
            )}
          </div>
        )}
      </div>
      {'error' in rows ? (
        <p class="field-error">{rows.error}</p>
      ) : (
        <table class="stress-table">
          <caption class="sr-only">Account under price shocks</caption>
          <thead>
            <tr>
              <th scope="col">{symbol ? `${symbol} move` : 'All move'}</th>
              <th scope="col" title={risk.marginRatioConvention.definition}>
                Margin ratio {higher ? '(↑ safer)' : ''}
              </th>
              <th scope="col">Equity left</th>
              <th scope="col">First to liquidate</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.shock} class={`band-${r.liquidated ? 'critical' : bandOf(r.riskRatio, levels)} ${r.shock === '0' ? 'now' : ''}`} data-shock={r.shock}>
                <th scope="row">{r.shock === '0' ? 'now' : formatPercent(r.shock, 0, true)}</th>
                <td>
                  {r.liquidated ? <strong>liquidated</strong> : formatPercent(r.marginRatio, 1)}
                </td>
                <td title={r.equity ?? 'unknown'}>{formatDecimal(r.equity, { dp: 2 })}</td>
                <td title={r.liquidated && r.firstToLiquidate ? `engine's nearest position: ${r.firstToLiquidate}` : undefined}>
                  {r.liquidated ? 'whole account' : (r.firstToLiquidate ?? (r.marginRatio === null && r.equity === null ? 'unknown (a mark would be ≤ 0)' : 'none'))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p class="muted funding" data-testid="funding">
        Funding: not available from the stream (the background does not store funding rates yet).
      </p>
    </div>
  );
}
