/**
 * What-if and stress for the popup (messages in lib/protocol/analysis.ts), computed here in the
 * service worker (which already holds the engine, decimal.js and the tier tables) so the popup
 * bundles none of them. Both run on exactly what the monitor evaluates:
 * {@link Monitor.evaluationInput} (page snapshot + live stream marks, live-over-bundled tier tables).
 */
import * as v from 'valibot';
import { evaluate } from '../engine/account';
import { SnapshotError } from '../engine/snapshot';
import { DEFAULT_SHOCKS, fundingPayment, stressTable } from '../engine/stress';
import { ScenarioError, whatIf } from '../engine/whatIf';
import { ordersAsFills } from '../engine/ordersFill';
import type { ExchangeId } from '../engine/exchanges';
import { StressMessageSchema, WhatIfMessageSchema, type AnalysisFailure, type FundingLine, type StressReply, type WhatIfReply } from '../protocol/analysis';
import type { EvaluationInput, Monitor } from './monitor';

function failure(kind: AnalysisFailure['kind'], field: string | null, problem: string): AnalysisFailure {
  return { ok: false, error: field ? `${field}: ${problem}` : problem, field, problem, kind };
}

function invalid(issues: [v.BaseIssue<unknown>, ...v.BaseIssue<unknown>[]]): AnalysisFailure {
  const issue = issues[0];
  const field = (issue.path ?? []).map((p) => (typeof p.key === 'number' ? `[${p.key}]` : `.${String(p.key)}`)).join('').replace(/^\./, '');
  return failure('request', field || null, issue.message);
}

function fromError(e: unknown): AnalysisFailure {
  if (e instanceof ScenarioError) return failure('scenario', e.field, e.problem);
  if (e instanceof SnapshotError) return failure('snapshot', e.field, e.problem);
  return failure('engine', null, e instanceof Error ? e.message : String(e));
}

/** Why funding is not known for an exchange whose stream never carries it. */
export const NO_FUNDING_STREAM: Partial<Record<ExchangeId, string>> = {
  okx: 'not available from the OKX mark-price stream',
};

/** Handle a validated-here `what-if` message. */
export function handleWhatIf(monitor: Monitor, msg: unknown): WhatIfReply {
  const r = v.safeParse(WhatIfMessageSchema, msg);
  if (!r.success) return invalid(r.issues);
  const input = monitor.evaluationInput(r.output.accountKey);
  if (!input) return failure('request', 'accountKey', `no account with a snapshot: ${r.output.accountKey.slice(0, 60)}`);
  try {
    if (!r.output.withOrders) return { ok: true, result: whatIf(input.snapshot, r.output.scenario, input.tables) };
    // "Liquidation if my orders fill": the open orders as fills first, then the user's moves.
    const fills = ordersAsFills(input.snapshot);
    const result = whatIf(input.snapshot, { moves: [...fills.moves, ...r.output.scenario.moves] }, input.tables);
    return { ok: true, result, orders: { read: input.snapshot.orders !== undefined, applied: fills.applied.length, skipped: fills.skipped.slice(0, 20) } };
  } catch (e) {
    return fromError(e);
  }
}

/** Handle a validated-here `stress` message: the stress table plus funding to the next funding time per position. */
export function handleStress(monitor: Monitor, msg: unknown): StressReply {
  const r = v.safeParse(StressMessageSchema, msg);
  if (!r.success) return invalid(r.issues);
  const { accountKey, shocks, symbol, factor } = r.output;
  const input = monitor.evaluationInput(accountKey);
  if (!input) return failure('request', 'accountKey', `no account with a snapshot: ${accountKey.slice(0, 60)}`);
  if (symbol !== undefined && !input.snapshot.positions.some((p) => p.symbol === symbol)) {
    return failure('request', 'symbol', `${symbol} is not held in this account`);
  }
  try {
    const rows = stressTable(input.snapshot, input.tables, shocks ?? DEFAULT_SHOCKS, symbol !== undefined ? { symbol, factor: factor ?? '1' } : {});
    return { ok: true, rows, funding: fundingLines(input), at: input.at };
  } catch (e) {
    return fromError(e);
  }
}

/** Funding per position from the live marks' funding fields and the engine's notional at mark. */
function fundingLines(input: EvaluationInput): FundingLine[] {
  const risk = evaluate(input.snapshot, input.tables);
  const rateInterval = input.exchange === 'hyperliquid' ? 'hour' : 'interval';
  return risk.positions.map((p) => {
    const m = input.marks[p.symbol];
    const base = { symbol: p.symbol, side: p.side, marginMode: p.marginMode, notional: p.notional, rateInterval } as const;
    const unknown = (reason: string): FundingLine => ({ ...base, fundingRate: m?.fundingRate ?? null, nextFundingTime: m?.nextFundingTime ?? null, payment: null, reason });
    const none = NO_FUNDING_STREAM[input.exchange];
    if (none) return unknown(none);
    if (!m) return unknown('no live price from the stream yet');
    if (m.fundingRate === undefined) return unknown('the stream sent no funding rate for this symbol');
    if (p.notional === null) return unknown('position value unknown');
    if (m.nextFundingTime !== undefined && m.nextFundingTime <= input.at) return unknown('next funding time has passed; waiting for the stream');
    return { ...base, fundingRate: m.fundingRate, nextFundingTime: m.nextFundingTime ?? null, payment: fundingPayment(p.side, p.notional, m.fundingRate) };
  });
}
