/**
 * One account's evaluation step, as the monitor runs it on every page read, stream tick and
 * watchdog tick: its marks (./marks.ts: stream, page, freshness) → the engine (./evaluation.ts)
 * → the alert input (lib/alerts/input.ts: ours or the exchange's own ratio, staleness facts) →
 * the alert machine (./alerting.ts, which queues any notice) → the updated account record.
 */
import type { AlertSettings } from '../alerts/machine';
import { alertInputOf, alertRatio } from '../alerts/input';
import type { AccountRecord, StoredMark } from '../storage';
import { pageSilence } from './accounts';
import type { Alerter } from './alerting';
import type { Evaluator } from './evaluation';
import type { MarksForAccount } from './marks';
import type { InstrumentService } from './instruments';
import type { TierService } from './tiers';
import { withMarks } from '../engine/marks';
import type { VolatilityEstimate } from '../engine/volatility';
import { riskExtras } from './stops';

/**
 * A page read this old (ms) still counts as fresh: its exchange margin ratio counts for alerts, and its
 * marks are compared with the stream's. Page prices are re-read at least once a minute, so a figure
 * never lingers past the next read.
 */
export const PAGE_READ_FRESH_MS = 90_000;

export interface AssessDeps {
  evaluator: Evaluator;
  tiers: Pick<TierService, 'tablesFor' | 'used'>;
  /** Tick sizes (optional: without them liquidation prices print at 8 dp). */
  instruments?: Pick<InstrumentService, 'tableFor'>;
  alerter: Pick<Alerter, 'step'>;
  /** Volatility estimates by symbol for an exchange (./volatility.ts); absent = σ unknown everywhere. */
  volatility?: { estimates(exchange: AccountRecord['exchange']): Record<string, VolatilityEstimate> };
}

/** Snapshot symbol → mark price (decimal string), from the marks in use. */
export const pricesOf = (marks: Record<string, StoredMark>): Record<string, string> => Object.fromEntries(Object.entries(marks).map(([s, m]) => [s, m.price]));

/**
 * Evaluate account `a` at `now` (ms epoch) with `marks` (from `MarkBook.forAccount`; null when it
 * has no snapshot) and its alert `settings`, step its alert machine, and return its new record
 * with the ratio to add to its history (normalized risk ratio, fraction; null = unknown).
 * An engine error is carried as unknown (the alert machine turns it into a notice); an unreadable
 * or silent page (./accounts.ts) makes the record stale even before the machine says so.
 */
export function assessAccount(a: AccountRecord, marks: MarksForAccount | null, settings: AlertSettings, now: number, deps: AssessDeps): { record: AccountRecord; ratio: number | null } {
  const tables = deps.tiers.tablesFor(a.exchange);
  const evaluation = a.snapshot && marks ? deps.evaluator.evaluate(a.key, a.snapshot, pricesOf(marks.used), tables, deps.instruments?.tableFor(a.exchange)) : { risk: null };
  const extras = a.snapshot && marks ? riskExtras(withMarks(a.snapshot, pricesOf(marks.used)), evaluation.risk, tables, deps.volatility?.estimates(a.exchange) ?? {}) : { stops: null, odds: null };
  const unreadable = a.unreadable ?? pageSilence(a, now);
  // The exchange's own margin ratio counts while the page read that showed it is fresh (issue 12.3).
  const input = alertInputOf(evaluation.risk, a.snapshot, {
    now,
    snapshotAt: a.snapshotAt,
    oldestPriceAt: marks?.oldestPriceAt ?? null,
    pricesExpectedSince: marks?.pricesExpectedSince ?? null,
    // A page read, or an account-API read (issue 18: the exchange's own figures, same freshness rule).
    pageReadAt: a.health || a.snapshot?.source?.reader === 'api' ? a.snapshotAt : null,
    exchangeFigureMaxAgeMs: PAGE_READ_FRESH_MS,
    ...(evaluation.error !== undefined && { engineError: evaluation.error }),
    ...(unreadable && { positionsUnreadable: unreadable }),
  });
  const { state } = deps.alerter.step(a.key, input, settings, now);
  const tierSources: AccountRecord['tierSources'] = {};
  for (const p of a.snapshot?.positions ?? []) tierSources[p.symbol] = deps.tiers.used(a.exchange, p.symbol);
  const record: AccountRecord = {
    ...a,
    risk: evaluation.risk,
    riskAt: now,
    stops: extras.stops,
    odds: extras.odds,
    marks: marks?.used ?? {},
    markDisagreements: marks?.disagreements ?? [],
    tierSources,
    // The machine's stale reason; an unreadable or silent page is stale even before the machine says so.
    stale: state.stale.active ? state.stale.reason : unreadable,
    level: state.currentLevel,
  };
  return { record, ratio: alertRatio(evaluation.risk) };
}
