/** One monitored account: header with data age, never-silent states, ratio gauge, key figures, sparkline, positions, what-if, stress. */
import { GlyphText } from '../GlyphText';
import { accountOddsLine, ODDS_MODEL, stopWarnings } from '../../lib/view/stops';
import type { AccountRisk } from '../../lib/engine/types';
import { Figure } from '../Figure';
import { formatAge, formatDecimal, formatPercent } from '../../lib/view/format';
import type { AccountView } from '../../lib/view/popup';
import { whyMissing } from '../../lib/view/reasons';
import { PositionsTable } from './PositionsTable';
import { RatioGauge } from './RatioGauge';
import { Sparkline } from './Sparkline';
import { StatusNotices } from './StatusNotices';
import type { AnalysisProps } from './AnalysisPanel';
import { useState } from 'preact/hooks';
import type { ComponentType } from 'preact';

const money = (s: string) => formatDecimal(s, { dp: 2 });

function KeyFigures({ risk }: { risk: AccountRisk }) {
  const r = risk.reasons;
  const rows: [string, string | null, (s: string) => string, string, string?][] = [
    ['Margin balance', risk.marginBalance, money, 'marginBalance'],
    ['Maintenance margin', risk.maintenanceMargin, money, 'maintenanceMargin'],
    ['Available balance', risk.availableBalance, money, 'availableBalance', 'upper bound: open orders are not seen'],
    ['Effective leverage', risk.effectiveLeverage, (s) => `${formatDecimal(s, { dp: 2 })}×`, 'effectiveLeverage'],
    ['Liq. if all fall', risk.liquidationMove.down, (s) => formatPercent(s, 1), 'liquidationMove.down'],
    ['Liq. if all rise', risk.liquidationMove.up, (s) => formatPercent(s, 1, true), 'liquidationMove.up'],
  ];
  return (
    <dl class="figures">
      {rows.map(([label, value, fmt, field, hint]) => (
        <div class="figure" key={field}>
          <dt title={hint}>{label}</dt>
          <dd>
            <Figure value={value} format={fmt} {...whyMissing(r, field)} />
          </dd>
        </div>
      ))}
    </dl>
  );
}

function Reasons({ risk }: { risk: AccountRisk }) {
  const all = [
    ...risk.reasons.map((x) => `${x.field}: ${x.reason}`),
    ...risk.positions.flatMap((p) => p.reasons.map((x) => `${p.symbol} ${p.side} ${x.field}: ${x.reason}`)),
  ];
  if (!all.length) return null;
  return (
    <details class="reasons">
      <summary>Notes and unknown figures ({all.length})</summary>
      <ul>
        {[...new Set(all)].map((t) => (
          <li key={t}>{t}</li>
        ))}
      </ul>
    </details>
  );
}

let analysisModule: Promise<{ Analysis: ComponentType<AnalysisProps> }> | null = null;
/** Load what-if/stress views once (separate chunk; the computing is done by the background). */
export function loadAnalysis() {
  analysisModule ??= import('./AnalysisPanel');
  return analysisModule;
}

/** A disclosure whose body (what-if or stress) loads when first opened. */
function LazyPanel({ title, ...props }: AnalysisProps & { title: string }) {
  const [Comp, setComp] = useState<ComponentType<AnalysisProps> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const onToggle = (e: Event) => {
    if (!(e.currentTarget as HTMLDetailsElement).open || Comp) return;
    loadAnalysis().then(
      (m) => setComp(() => m.Analysis),
      (err) => setError(`could not load: ${err instanceof Error ? err.message : String(err)}`),
    );
  };
  return (
    <details class="panel" onToggle={onToggle} data-panel={props.which}>
      <summary>{title}</summary>
      {Comp ? <Comp {...props} /> : <p class="muted">{error ?? 'Loading…'}</p>}
    </details>
  );
}

/** Stops that will never fire, positions without one, and the account's worst 24 h probability. */
function StopWarnings({ account: a }: { account: AccountView }) {
  const warnings = stopWarnings(a.stops);
  const odds = accountOddsLine(a.odds);
  if (!warnings.length && !odds) return null;
  return (
    <div class="stop-notices">
      {warnings.map((w) => (
        <p key={w} class="notice notice-stop" role="status">
          ⚠ {w}
        </p>
      ))}
      {odds && (
        <p class="muted odds-line" title={ODDS_MODEL}>
          {odds}
        </p>
      )}
    </div>
  );
}

/** One account's card; the gauge, sparkline and stress bands use the account's own alert levels (`a.levels`). */
export function AccountCard({ account: a, now }: { account: AccountView; now: number }) {
  const levels = a.levels;
  const at = a.riskAt ?? a.snapshotAt ?? a.health?.readAt ?? null;
  const titleId = `acct-${a.key.replace(/[^a-zA-Z0-9_-]/g, '_')}`;
  return (
    <section class={`card status-${a.status}`} aria-labelledby={titleId} data-account={a.key}>
      <header class="card-head">
        <h2 id={titleId}>
          <GlyphText text={a.label} />
        </h2>
        <span class="kind">{a.kind}</span>
        <span class={`age ${a.stale ? 'age-stale' : ''}`} title={at === null ? 'no data yet' : new Date(at).toISOString()}>
          {at === null ? 'no data yet' : `${a.risk ? 'updated' : 'page read'} ${formatAge(now - at)}${formatAge(now - at) === 'just now' ? '' : ' ago'}`}
        </span>
      </header>
      <StatusNotices account={a} now={now} />
      {a.risk && (
        <>
          <div class="gauge-row">
            <RatioGauge risk={a.risk} levels={levels} />
            <Sparkline samples={a.history} now={now} levels={levels} />
          </div>
          <KeyFigures risk={a.risk} />
          <StopWarnings account={a} />
          <PositionsTable risk={a.risk} times={{ readAt: a.snapshot?.source?.readAt ?? a.snapshotAt, evaluatedAt: a.riskAt }} stops={a.stops} odds={a.odds} />
          <Reasons risk={a.risk} />
          {a.snapshot && a.snapshot.positions.length > 0 && (
            <>
              <LazyPanel title="What if…" which="whatif" accountKey={a.key} exchange={a.exchange} snapshot={a.snapshot} inputVersion={a.inputVersion} risk={a.risk} levels={levels} now={now} />
              <LazyPanel title="Stress table" which="stress" accountKey={a.key} exchange={a.exchange} snapshot={a.snapshot} inputVersion={a.inputVersion} risk={a.risk} levels={levels} now={now} />
            </>
          )}
        </>
      )}
    </section>
  );
}
