/**
 * What-if and stress for the popup, computed here in the service worker (which already holds the
 * engine, decimal.js and the tier tables) so the popup bundles none of them. Both run on exactly
 * what the monitor evaluates: {@link Monitor.evaluationInput} (page snapshot + live stream marks,
 * live-over-bundled tier tables).
 *
 * Messages (accepted from our extension pages only; see lib/background/index.ts):
 * - `{ type: 'what-if', accountKey, scenario }` → `{ ok: true, result: WhatIfResult }`;
 * - `{ type: 'stress', accountKey, shocks?, symbol?, factor? }` →
 *   `{ ok: true, rows: StressRow[], funding: FundingLine[], at }`.
 * Any problem → {@link AnalysisFailure}: `{ ok: false, error, field, problem, kind }`, where `field`
 * names the offending part (`accountKey`, `factor`, `moves[1].amount` as the engine's
 * ScenarioError names it, `positions[0].markPrice` for a SnapshotError).
 */
import * as v from 'valibot';
import { evaluate } from '../engine/account';
import { SnapshotError } from '../engine/snapshot';
import { DEFAULT_SHOCKS, fundingPayment, stressTable, type StressRow } from '../engine/stress';
import { ScenarioError, whatIf, type WhatIfResult } from '../engine/whatIf';
import type { ExchangeId } from '../engine/snapshot';
import type { EvaluationInput, Monitor } from './monitor';

const AccountKey = v.pipe(v.string('must be a string'), v.minLength(1, 'must not be empty'), v.maxLength(200, 'is too long'));
/** Signed plain decimal (no exponent), bounded in length. */
const SignedDecimal = v.pipe(
  v.string('must be a decimal string'),
  v.regex(/^[+-]?(?:\d{1,15}(?:\.\d{1,18})?|\.\d{1,18})$/, (i) => `must be a decimal string such as 0.8 (got ${JSON.stringify(i.input).slice(0, 40)})`),
);

/** `what-if` request. The scenario itself is checked by the engine (`parseScenario`), which names the failing move field. */
export const WhatIfMessageSchema = v.object({
  type: v.literal('what-if'),
  accountKey: AccountKey,
  scenario: v.object({ moves: v.pipe(v.array(v.unknown(), 'must be a list of moves'), v.maxLength(50, 'at most 50 moves')) }, 'must be { moves: [...] }'),
});

/** `stress` request: shocks are fractions (−0.1 = −10 %); `symbol` shocks one symbol with the others following by `factor`. */
export const StressMessageSchema = v.object({
  type: v.literal('stress'),
  accountKey: AccountKey,
  shocks: v.optional(v.pipe(v.array(SignedDecimal, 'must be a list of decimal strings'), v.minLength(1, 'must not be empty'), v.maxLength(61, 'at most 61 shocks'))),
  symbol: v.optional(v.pipe(v.string('must be a string'), v.regex(/^[A-Za-z0-9._:\-/]{1,40}$/, 'must be an exchange symbol'))),
  factor: v.optional(SignedDecimal),
});

export type WhatIfMessage = v.InferOutput<typeof WhatIfMessageSchema>;
export type StressMessage = v.InferOutput<typeof StressMessageSchema>;

/** Why a request failed. `kind`: `request` (message or account), `scenario` (ScenarioError), `snapshot` (SnapshotError), `engine` (anything else). */
export interface AnalysisFailure {
  ok: false;
  /** Full message, `field: problem`. */
  error: string;
  /** The offending field (dotted path), or null when no single field is at fault. */
  field: string | null;
  /** The problem without the field name. */
  problem: string;
  kind: 'request' | 'scenario' | 'snapshot' | 'engine';
}

/**
 * Funding of one position until its next funding time at the stream's current rate.
 * `payment` is the signed cash flow in the settlement asset (negative = the trader pays), from
 * the engine's `fundingPayment(side, notional at mark, rate)`; null with `reason` when unknown.
 */
export interface FundingLine {
  symbol: string;
  side: 'long' | 'short';
  marginMode: 'cross' | 'isolated';
  /** Position value at mark, settlement asset, or null. */
  notional: string | null;
  /** Funding rate for that payment, signed fraction (positive: longs pay shorts), or null. */
  fundingRate: string | null;
  /** `interval`: per funding interval (Binance, Bybit); `hour`: Hyperliquid's hourly rate. */
  rateInterval: 'interval' | 'hour';
  /** Next funding time (ms epoch), or null. */
  nextFundingTime: number | null;
  payment: string | null;
  reason?: string;
}

export type WhatIfReply = { ok: true; result: WhatIfResult } | AnalysisFailure;
export type StressReply = { ok: true; rows: StressRow[]; funding: FundingLine[]; at: number } | AnalysisFailure;

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
    return { ok: true, result: whatIf(input.snapshot, r.output.scenario, input.tables) };
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
