/**
 * Popup ↔ worker analysis messages: what-if and stress requests, their valibot checks, and
 * their replies. Accepted from our extension pages only (lib/protocol/index.ts).
 *
 * - `{ type: 'what-if', accountKey, scenario }` → `{ ok: true, result: WhatIfResult }`;
 * - `{ type: 'stress', accountKey, shocks?, symbol?, factor? }` →
 *   `{ ok: true, rows: StressRow[], funding: FundingLine[], at }`.
 * Any problem → {@link AnalysisFailure}: `{ ok: false, error, field, problem, kind }`, where `field`
 * names the offending part (`accountKey`, `factor`, `moves[1].amount` as the engine's
 * ScenarioError names it, `positions[0].markPrice` for a SnapshotError).
 *
 * The popup imports only the types (no valibot in its bundle); the worker runs the schemas.
 */
import * as v from 'valibot';
import type { StressRow } from '../engine/stress';
import type { WhatIfResult } from '../engine/whatIf';

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
  /** "Liquidation if my orders fill": the account's open orders that add exposure are applied as fills first (lib/engine/ordersFill.ts). */
  withOrders: v.optional(v.boolean('must be true or false')),
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

/** Which open orders a `withOrders` what-if applied as fills (indexes into the snapshot's `orders`). */
export interface OrdersFillNote {
  /** False when the page reader did not read the orders (nothing could be applied). */
  read: boolean;
  applied: number;
  skipped: { order: number; reason: string }[];
}

export type WhatIfReply = { ok: true; result: WhatIfResult; orders?: OrdersFillNote } | AnalysisFailure;
export type StressReply = { ok: true; rows: StressRow[]; funding: FundingLine[]; at: number } | AnalysisFailure;
