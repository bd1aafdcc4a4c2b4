/**
 * What-if: apply hypothetical moves to a snapshot and evaluate before and after with the
 * same engine. Nothing here is a second formula: the "after" account is a snapshot like any
 * other, evaluated by {@link evaluate}.
 *
 * Moves (applied in order):
 * - `set-mark`: `{ kind, symbol, price }` sets a symbol's mark price.
 * - `shift-mark`: `{ kind, symbol?, percent? | amount? }` moves one symbol's mark (or every
 *   mark when `symbol` is omitted) by a percent (`"-5"` = −5 %) or by a price amount.
 * - `add-margin`: `{ kind, amount, symbol?, side? }` adds (negative: removes) wallet balance in
 *   the settlement asset; with `symbol` it moves margin between the cross wallet and that
 *   isolated position, as the exchanges do.
 * - `close`: `{ kind, symbol, side?, fraction? | size? }` closes all or part of a position at
 *   its mark; the realized PnL (and, for isolated, the released margin) goes to the wallet.
 *   Fees are not modelled.
 * - `add-position`: `{ kind, symbol, side, size, price, leverage, marginMode, contract?,
 *   contractSize? }` fills a hypothetical order at `price`. In one-way mode it nets against an
 *   existing position on the symbol (averaging the entry, reducing, or flipping); in hedge mode
 *   it adds to the leg of its side. An isolated order moves `size × price / leverage` from the
 *   wallet to the position's isolated margin.
 */
import * as v from 'valibot';
import { evaluate } from './account';
import { D } from './decimal';
import { parseSnapshot, type AccountSnapshot, type PositionSnapshot } from './snapshot';
import type { TierTables } from './tiers';
import type { AccountRisk } from './types';

const Dec = v.pipe(v.string('must be a decimal string'), v.regex(/^[+-]?(?:\d+\.?\d*|\.\d+)$/, (i) => `must be a decimal string (got ${JSON.stringify(i.input)})`));
const DEC_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)$/;
// valibot runs every action of a pipe; the checks guard themselves against non-decimal text.
const PosDec = v.pipe(Dec, v.check((s) => DEC_RE.test(s) && new D(s).gt(0), (i) => `must be > 0 (got ${JSON.stringify(i.input)})`));
const Side = v.picklist(['long', 'short'], 'must be "long" or "short"');

export const MoveSchema = v.variant('kind', [
  v.object({ kind: v.literal('set-mark'), symbol: v.string(), price: PosDec }),
  v.object({ kind: v.literal('shift-mark'), symbol: v.optional(v.string()), percent: v.optional(Dec), amount: v.optional(Dec) }),
  v.object({ kind: v.literal('add-margin'), amount: Dec, symbol: v.optional(v.string()), side: v.optional(Side) }),
  v.object({
    kind: v.literal('close'),
    symbol: v.string(),
    side: v.optional(Side),
    fraction: v.optional(v.pipe(PosDec, v.check((s) => DEC_RE.test(s) && new D(s).lte(1), 'must be ≤ 1'))),
    size: v.optional(PosDec),
  }),
  v.object({
    kind: v.literal('add-position'),
    symbol: v.pipe(v.string(), v.regex(/^[A-Za-z0-9._:\-/]{1,40}$/, 'must be an exchange symbol')),
    side: Side,
    size: PosDec,
    price: PosDec,
    leverage: PosDec,
    marginMode: v.picklist(['cross', 'isolated'], 'must be "cross" or "isolated"'),
    contract: v.optional(v.picklist(['linear', 'inverse'])),
    contractSize: v.optional(PosDec),
  }),
], 'must have a kind: set-mark, shift-mark, add-margin, close or add-position');

export const ScenarioSchema = v.object({ moves: v.array(MoveSchema) });
export type Move = v.InferOutput<typeof MoveSchema>;
export type Scenario = v.InferOutput<typeof ScenarioSchema>;

/** A scenario that cannot be applied; `field` names the offending part, e.g. `moves[1].symbol`. */
export class ScenarioError extends Error {
  override name = 'ScenarioError';
  constructor(readonly field: string, readonly problem: string) {
    super(`${field}: ${problem}`);
  }
}

/** One figure before and after. `change` = after − before (null when either is unknown). */
export interface Delta {
  field: string;
  before: string | null;
  after: string | null;
  change: string | null;
  /** change / |before| × 100, percent; null when unknown or before is 0. */
  changePercent: string | null;
}

export interface WhatIfResult {
  before: AccountRisk;
  after: AccountRisk;
  /** The hypothetical snapshot that `after` evaluates. */
  snapshot: AccountSnapshot;
  /** Account figures and, per position (`BTCUSDT long cross.liquidationPrice`), liquidation price and distance. */
  deltas: Delta[];
}

/**
 * Validate a scenario.
 * @throws {ScenarioError} naming the field
 */
export function parseScenario(input: unknown): Scenario {
  const r = v.safeParse(ScenarioSchema, input);
  if (r.success) return r.output;
  const issue = r.issues[0]!;
  const path = (issue.path ?? []).map((p) => (typeof p.key === 'number' ? `[${p.key}]` : `.${String(p.key)}`)).join('').replace(/^\./, '');
  throw new ScenarioError(path || '(scenario)', issue.message);
}

/**
 * Apply a scenario to a snapshot (pure; the input is not modified).
 * @throws {ScenarioError} for a move that names no position, or would make a balance negative
 * @throws {SnapshotError} when the result is not a valid snapshot (e.g. a mark ≤ 0 after a shift)
 */
export function applyScenario(snapshot: AccountSnapshot, scenario: Scenario): AccountSnapshot {
  let s: AccountSnapshot = { ...snapshot, positions: snapshot.positions.map((p) => ({ ...p })) };
  scenario.moves.forEach((move, i) => {
    s = applyMove(s, move, `moves[${i}]`);
  });
  return parseSnapshot(s);
}

function applyMove(s: AccountSnapshot, m: Move, at: string): AccountSnapshot {
  const positions = s.positions;
  const onSymbol = (symbol: string) => {
    const hits = positions.filter((p) => p.symbol === symbol);
    if (!hits.length) throw new ScenarioError(`${at}.symbol`, `no position on ${symbol}`);
    return hits;
  };
  switch (m.kind) {
    case 'set-mark':
      for (const p of onSymbol(m.symbol)) p.markPrice = m.price;
      return s;
    case 'shift-mark': {
      if ((m.percent === undefined) === (m.amount === undefined)) {
        throw new ScenarioError(at, 'give exactly one of percent or amount');
      }
      const targets = m.symbol === undefined ? positions : onSymbol(m.symbol);
      for (const p of targets) {
        if (p.markPrice === null) throw new ScenarioError(`${at}.symbol`, `${p.symbol}: mark price unknown, cannot shift it`);
        const mark = new D(p.markPrice);
        const next = m.percent !== undefined ? mark.times(new D(m.percent).div(100).plus(1)) : mark.plus(m.amount!);
        if (!next.gt(0)) throw new ScenarioError(at, `${p.symbol}: the shifted mark price would be ≤ 0`);
        p.markPrice = next.toDecimalPlaces(12).toFixed();
      }
      return s;
    }
    case 'add-margin': {
      const amount = new D(m.amount);
      if (m.symbol === undefined) {
        if (s.walletBalance === null) throw new ScenarioError(`${at}.amount`, 'wallet balance unknown');
        const wb = new D(s.walletBalance).plus(amount);
        if (wb.isNeg()) throw new ScenarioError(`${at}.amount`, 'would make the wallet balance negative');
        return { ...s, walletBalance: wb.toDecimalPlaces(12).toFixed() };
      }
      const p = pick(onSymbol(m.symbol).filter((x) => x.marginMode === 'isolated'), m.side, `${at}`, 'isolated position');
      const margin = isolatedMarginOf(p, at);
      if (margin.plus(amount).isNeg()) throw new ScenarioError(`${at}.amount`, 'would make the isolated margin negative');
      p.isolatedMargin = margin.plus(amount).toDecimalPlaces(12).toFixed();
      if (s.walletBalance !== null) {
        const wb = new D(s.walletBalance).minus(amount);
        if (wb.isNeg()) throw new ScenarioError(`${at}.amount`, 'the cross wallet cannot fund this margin');
        return { ...s, walletBalance: wb.toDecimalPlaces(12).toFixed() };
      }
      return s;
    }
    case 'close': {
      const p = pick(onSymbol(m.symbol), m.side, at, 'position');
      const size = new D(p.size);
      const closed = m.size !== undefined ? new D(m.size) : m.fraction !== undefined ? size.times(m.fraction) : size;
      if (closed.gt(size)) throw new ScenarioError(`${at}.size`, `larger than the position (${p.size})`);
      if (p.markPrice === null) throw new ScenarioError(`${at}.symbol`, `${p.symbol}: mark price unknown, cannot value the close`);
      const realized = pnl(p, closed, new D(p.markPrice));
      let wb = s.walletBalance === null ? null : new D(s.walletBalance).plus(realized);
      if (p.marginMode === 'isolated') {
        const margin = isolatedMarginOf(p, at);
        const released = margin.times(closed).div(size);
        p.isolatedMargin = margin.minus(released).toDecimalPlaces(12).toFixed();
        wb = wb === null ? null : wb.plus(released);
      }
      const rest = size.minus(closed);
      const nextPositions = rest.isZero() ? positions.filter((x) => x !== p) : positions;
      if (!rest.isZero()) p.size = rest.toDecimalPlaces(12).toFixed();
      return { ...s, walletBalance: wb === null ? null : wb.toDecimalPlaces(12).toFixed(), positions: nextPositions };
    }
    case 'add-position': {
      const price = new D(m.price);
      const size = new D(m.size);
      const existing = positions.filter((p) => p.symbol === m.symbol && p.marginMode === m.marginMode && (s.positionMode === 'one-way' || p.side === m.side));
      const contract = m.contract ?? existing[0]?.contract ?? positions.find((p) => p.symbol === m.symbol)?.contract ?? 'linear';
      const contractSize = m.contractSize ?? existing[0]?.contractSize ?? positions.find((p) => p.symbol === m.symbol)?.contractSize;
      const mark = positions.find((p) => p.symbol === m.symbol)?.markPrice ?? m.price;
      const template: PositionSnapshot = {
        symbol: m.symbol, side: m.side, size: m.size, contract, entryPrice: m.price, markPrice: mark,
        marginMode: m.marginMode, leverage: m.leverage,
        ...(contractSize !== undefined && { contractSize }),
      };
      const value = contract === 'inverse' ? size.times(contractSize ?? '1').div(price) : size.times(price);
      const orderMargin = value.div(m.leverage);
      let wb = s.walletBalance === null ? null : new D(s.walletBalance);
      const prev = existing[0];
      if (!prev) {
        if (m.marginMode === 'isolated') {
          template.isolatedMargin = orderMargin.toDecimalPlaces(12).toFixed();
          if (wb !== null) wb = wb.minus(orderMargin);
        }
        return finish(s, wb, [...positions, template], at);
      }
      prev.leverage = m.leverage;
      const prevSize = new D(prev.size);
      if (prev.side === m.side) {
        prev.entryPrice = averageEntry(prev, size, price).toDecimalPlaces(12).toFixed();
        prev.size = prevSize.plus(size).toDecimalPlaces(12).toFixed();
        if (m.marginMode === 'isolated') {
          prev.isolatedMargin = isolatedMarginOf(prev, at).plus(orderMargin).toDecimalPlaces(12).toFixed();
          if (wb !== null) wb = wb.minus(orderMargin);
        }
        return finish(s, wb, positions, at);
      }
      // One-way, opposite side: reduce, close or flip at the order price.
      const reduced = D.min(size, prevSize);
      const realized = pnl(prev, reduced, price);
      if (wb !== null) wb = wb.plus(realized);
      const left = prevSize.minus(reduced);
      const flip = size.minus(reduced);
      if (prev.marginMode === 'isolated') {
        const margin = isolatedMarginOf(prev, at);
        const released = margin.times(reduced).div(prevSize);
        prev.isolatedMargin = margin.minus(released).toDecimalPlaces(12).toFixed();
        if (wb !== null) wb = wb.plus(released);
      }
      if (!left.isZero()) {
        prev.size = left.toDecimalPlaces(12).toFixed();
        return finish(s, wb, positions, at);
      }
      const others = positions.filter((x) => x !== prev);
      if (flip.isZero()) return finish(s, wb, others, at);
      const flipped: PositionSnapshot = { ...template, size: flip.toDecimalPlaces(12).toFixed() };
      if (m.marginMode === 'isolated') {
        const fm = (contract === 'inverse' ? flip.times(contractSize ?? '1').div(price) : flip.times(price)).div(m.leverage);
        flipped.isolatedMargin = fm.toDecimalPlaces(12).toFixed();
        if (wb !== null) wb = wb.minus(fm);
      }
      return finish(s, wb, [...others, flipped], at);
    }
  }
}

/**
 * An isolated position's margin, for a move that adds to it or releases part of it.
 * @throws ScenarioError naming `<at>.symbol` when the page did not show it: the result would
 *   otherwise treat an unknown margin as 0 (adding) or leave the released margin out of the wallet.
 */
function isolatedMarginOf(p: PositionSnapshot, at: string): D {
  if (p.isolatedMargin == null) throw new ScenarioError(`${at}.symbol`, `${p.symbol}: isolated margin unknown`);
  return new D(p.isolatedMargin);
}

function finish(s: AccountSnapshot, wb: D | null, positions: PositionSnapshot[], at: string): AccountSnapshot {
  if (wb !== null && wb.isNeg()) throw new ScenarioError(at, 'the wallet balance cannot fund this order');
  return { ...s, walletBalance: wb === null ? null : wb.toDecimalPlaces(12).toFixed(), positions };
}

function pick(hits: PositionSnapshot[], side: 'long' | 'short' | undefined, at: string, what: string): PositionSnapshot {
  const c = side ? hits.filter((p) => p.side === side) : hits;
  if (c.length === 0) throw new ScenarioError(`${at}.side`, `no ${side ?? ''} ${what} on that symbol`.replace('  ', ' '));
  if (c.length > 1) throw new ScenarioError(`${at}.side`, `several ${what}s on that symbol: say which side`);
  return c[0]!;
}

/** Realized PnL of closing `qty` of `p` at `price` (settlement asset). */
function pnl(p: PositionSnapshot, qty: D, price: D): D {
  const s = p.side === 'long' ? 1 : -1;
  const entry = new D(p.entryPrice);
  if (p.contract === 'inverse') {
    const n = qty.times(p.contractSize ?? '1');
    return n.times(new D(1).div(entry).minus(new D(1).div(price))).times(s);
  }
  return qty.times(price.minus(entry)).times(s);
}

/** Size-weighted entry (linear) or value-weighted harmonic entry (inverse). */
function averageEntry(p: PositionSnapshot, addSize: D, price: D): D {
  const size = new D(p.size);
  const entry = new D(p.entryPrice);
  if (p.contract === 'inverse') return size.plus(addSize).div(size.div(entry).plus(addSize.div(price)));
  return size.times(entry).plus(addSize.times(price)).div(size.plus(addSize));
}

const ACCOUNT_FIELDS = ['marginBalance', 'maintenanceMargin', 'initialMargin', 'availableBalance', 'marginRatio', 'riskRatio', 'effectiveLeverage', 'equity'] as const;

function delta(field: string, before: string | null, after: string | null): Delta {
  if (before === null || after === null) return { field, before, after, change: null, changePercent: null };
  const b = new D(before);
  const change = new D(after).minus(b);
  return {
    field,
    before,
    after,
    change: change.toFixed(),
    changePercent: b.isZero() ? null : change.div(b.abs()).times(100).toDecimalPlaces(2).toFixed(),
  };
}

/**
 * Evaluate a snapshot before and after a scenario.
 * @param scenario validated here (unknown input accepted)
 * @throws {ScenarioError} / {SnapshotError} as {@link applyScenario}
 */
export function whatIf(snapshot: AccountSnapshot | unknown, scenario: Scenario | unknown, tables: TierTables): WhatIfResult {
  const snap = parseSnapshot(snapshot);
  const after = applyScenario(snap, parseScenario(scenario));
  const before = evaluate(snap, tables);
  const afterRisk = evaluate(after, tables);
  const deltas: Delta[] = ACCOUNT_FIELDS.map((f) => delta(f, before[f], afterRisk[f]));
  deltas.push(delta('liquidationMove.down', before.liquidationMove.down, afterRisk.liquidationMove.down));
  deltas.push(delta('liquidationMove.up', before.liquidationMove.up, afterRisk.liquidationMove.up));
  const key = (p: { symbol: string; side: string; marginMode: string }) => `${p.symbol} ${p.side} ${p.marginMode}`;
  const keys = [...new Set([...before.positions, ...afterRisk.positions].map(key))];
  for (const k of keys) {
    const b = before.positions.find((p) => key(p) === k);
    const a = afterRisk.positions.find((p) => key(p) === k);
    deltas.push(delta(`${k}.liquidationPrice`, b?.liquidationPrice ?? null, a?.liquidationPrice ?? null));
    deltas.push(delta(`${k}.distanceToLiquidation`, b?.distanceToLiquidation ?? null, a?.distanceToLiquidation ?? null));
  }
  return { before, after: afterRisk, snapshot: after, deltas };
}
