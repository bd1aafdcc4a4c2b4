/**
 * Stress table computed by the background with the engine's `stressTable` on the monitor's live
 * input (`stress` message; the popup bundles no engine): uniform shocks −30 % … +30 %, or a shock
 * to one symbol with the others following by a user-set factor. Columns: margin ratio (exchange
 * convention), equity left, first position to liquidate. Below: funding per position to the next
 * funding time, at the stream's current rate (engine `fundingPayment`, computed in the background).
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { AccountSnapshot } from '../../lib/engine/snapshot';
import type { AccountRisk } from '../../lib/engine/types';
import { formatAge, formatDecimal, formatPercent, formatPrice, isDecimal, signOf } from '../../lib/view/format';
import { bandOf } from '../../lib/alerts/bands';
import { requestStress, type FundingLine, type StressReply } from './requests';

export interface StressPanelProps {
  /** The account as the background monitors it (`AccountRecord.key`): the table runs on its live input. */
  accountKey: string;
  /** The account shown (symbols for the shock choice). */
  snapshot: AccountSnapshot;
  risk: AccountRisk;
  levels?: readonly number[];
  /** Clock for "next funding in …" (ms epoch). Default: Date.now() at render. */
  now?: number;
  /** Changes when the account's input changes (marks, tier tables): the table is re-requested then. Default: the snapshot. */
  version?: string;
}

/** One funding line: "BTCUSDT long: pays 4.50 in 1 h 12 min (rate +0.0100 % per interval)". */
function FundingItem({ line: l, now }: { line: FundingLine; now: number }) {
  const name = `${l.symbol} ${l.side}${l.marginMode === 'isolated' ? ' isolated' : ''}`;
  const per = l.rateInterval === 'hour' ? 'per hour' : 'per funding interval';
  const rate = l.fundingRate !== null ? ` (rate ${formatPercent(l.fundingRate, 4, true)} ${per})` : '';
  if (l.payment === null) {
    return (
      <li data-funding={`${l.symbol} ${l.side}`} data-unknown="true">
        {name}: unknown ({l.reason ?? 'not available'}){rate}
      </li>
    );
  }
  const sign = signOf(l.payment);
  const amount = formatPrice(l.payment.replace(/^-/, ''));
  const when = l.nextFundingTime === null ? 'at the next funding time' : `in ${formatAge(Math.max(0, l.nextFundingTime - now))}`;
  const at = l.nextFundingTime === null ? undefined : new Date(l.nextFundingTime).toISOString();
  return (
    <li data-funding={`${l.symbol} ${l.side}`} title={`payment ${l.payment}${at ? ` at ${at}` : ''}`}>
      {name}: {sign === 0 ? 'nothing' : sign! < 0 ? `pays ${amount}` : `receives ${amount}`} <span title={at}>{when}</span>
      {rate}
    </li>
  );
}

function Funding({ lines, now }: { lines: FundingLine[]; now: number }) {
  const reasons = [...new Set(lines.map((l) => l.reason))];
  // One reason for every position and no rate at all (OKX): one sentence.
  if (lines.length && lines.every((l) => l.payment === null && l.fundingRate === null) && reasons.length === 1) {
    return (
      <p class="muted funding" data-testid="funding">
        Funding: {reasons[0]}.
      </p>
    );
  }
  return (
    <div class="funding" data-testid="funding">
      <p class="muted">Funding to the next funding time, at the current rate (settlement asset):</p>
      <ul>
        {lines.map((l) => (
          <FundingItem key={`${l.symbol} ${l.side} ${l.marginMode}`} line={l} now={now} />
        ))}
      </ul>
    </div>
  );
}

export function StressPanel({ accountKey, snapshot, risk, levels = [], now, version }: StressPanelProps) {
  const [symbol, setSymbol] = useState('');
  const [factor, setFactor] = useState('1');
  const symbols = [...new Set(snapshot.positions.map((p) => p.symbol))];
  const factorOk = isDecimal(factor.trim()) && !/e/i.test(factor);
  const inputKey = version ?? JSON.stringify(snapshot);
  // The reply, tagged with the choice it answers: a table for another choice is never shown under this one's header.
  const choice = symbol ? `${symbol}|${factor.trim()}` : '';
  const [reply, setReply] = useState<{ choice: string; reply: StressReply } | null>(null);
  const seq = useRef(0);
  useEffect(() => {
    if (symbol && !factorOk) return;
    const n = ++seq.current;
    void requestStress(accountKey, symbol ? { symbol, factor: factor.trim() } : {}).then((r) => {
      if (n === seq.current) setReply({ choice, reply: r });
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [inputKey, accountKey, choice, factorOk]);
  const current = reply && reply.choice === choice ? reply.reply : null;
  const rows: StressReply | { ok: false; error: string } | null =
    symbol && !factorOk ? { ok: false, error: 'factor must be a decimal number such as 0.8' } : current;
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
      {rows === null ? (
        <p class="muted" role="status">
          Computing…
        </p>
      ) : !rows.ok ? (
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
            {rows.rows.map((r) => (
              <tr key={r.shock} class={`band-${bandOf(r.riskRatio, levels, r.liquidated)} ${r.shock === '0' ? 'now' : ''}`} data-shock={r.shock}>
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
      {reply?.reply.ok && <Funding lines={reply.reply.funding} now={now ?? Date.now()} />}
    </div>
  );
}
