/**
 * What-if for spot margin accounts: apply hypothetical moves to a {@link SpotMarginSnapshot}
 * and evaluate before and after with the same engine (the "after" account is a snapshot like
 * any other, evaluated by {@link evaluateSpotMargin}).
 *
 * Moves (applied in order; amounts in units of `asset`, prices in the quote; isolated
 * accounts name the pair with `symbol`):
 * - `repay`: `{ asset, amount }` pays debt from the asset's free balance, interest first, then
 *   principal ("the interest will be paid before the principal":
 *   https://www.binance.com/en-NG/support/faq/360032609851).
 *   Fails when the free balance or the debt is smaller than `amount`.
 * - `transfer-in`: `{ asset, amount }` adds to the free balance (negative: transfer out, which
 *   fails beyond the free balance).
 * - `borrow`: `{ asset, amount }` adds `amount` to both free and borrowed.
 * - `set-price`: `{ asset, price }` sets one asset's price (isolated: the pair's base price).
 * - `shift-price`: `{ asset?, percent }` moves one asset's price, or every non-stable price when
 *   `asset` is omitted, by `percent` ("-5" = −5 %).
 */
import * as v from 'valibot';
import { D } from './decimal';
import { out } from './format';
import { parseSpotMarginSnapshot, type SpotMarginSnapshot } from './snapshot';
import { evaluateSpotMargin, stableSet } from './spotMargin';
import type { SpotMarginRisk } from './spotMarginTypes';

const DEC_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)$/;
const Dec = v.pipe(v.string('must be a decimal string'), v.regex(DEC_RE, (i) => `must be a decimal string (got ${JSON.stringify(i.input)})`));
const PosDec = v.pipe(Dec, v.check((s) => DEC_RE.test(s) && new D(s).gt(0), (i) => `must be > 0 (got ${JSON.stringify(i.input)})`));
const Asset = v.pipe(v.string(), v.regex(/^[A-Za-z0-9]{1,20}$/, 'must be an asset ticker'));
const Sym = v.optional(v.pipe(v.string(), v.regex(/^[A-Z0-9]{2,30}$/, 'must be a pair symbol')));

export const SpotMarginMoveSchema = v.variant('kind', [
  v.object({ kind: v.literal('repay'), asset: Asset, amount: PosDec, symbol: Sym }),
  v.object({ kind: v.literal('transfer-in'), asset: Asset, amount: Dec, symbol: Sym }),
  v.object({ kind: v.literal('borrow'), asset: Asset, amount: PosDec, symbol: Sym }),
  v.object({ kind: v.literal('set-price'), asset: Asset, price: PosDec, symbol: Sym }),
  v.object({ kind: v.literal('shift-price'), asset: v.optional(Asset), percent: Dec, symbol: Sym }),
], 'must have a kind: repay, transfer-in, borrow, set-price or shift-price');
export const SpotMarginScenarioSchema = v.object({ moves: v.array(SpotMarginMoveSchema) });
export type SpotMarginMove = v.InferOutput<typeof SpotMarginMoveSchema>;

/** A move that cannot be applied (unknown asset, not enough balance, …). */
export class SpotMarginScenarioError extends Error {
  override name = 'SpotMarginScenarioError';
}

type Bal = { asset: string; free: string; locked: string; borrowed: string; interest: string };

function apply(bal: Bal, m: SpotMarginMove): void {
  if (m.kind === 'transfer-in') {
    const free = new D(bal.free).plus(m.amount);
    if (free.lt(0)) throw new SpotMarginScenarioError(`transfer out of ${m.amount.replace('-', '')} ${bal.asset} exceeds the free balance ${bal.free}`);
    bal.free = free.toFixed();
  } else if (m.kind === 'borrow') {
    bal.free = new D(bal.free).plus(m.amount).toFixed();
    bal.borrowed = new D(bal.borrowed).plus(m.amount).toFixed();
  } else if (m.kind === 'repay') {
    const amt = new D(m.amount);
    if (amt.gt(bal.free)) throw new SpotMarginScenarioError(`repay ${m.amount} ${bal.asset} exceeds the free balance ${bal.free}`);
    const owed = new D(bal.borrowed).plus(bal.interest);
    if (amt.gt(owed)) throw new SpotMarginScenarioError(`repay ${m.amount} ${bal.asset} exceeds the debt ${owed.toFixed()}`);
    const toInterest = D.min(amt, bal.interest);
    bal.interest = new D(bal.interest).minus(toInterest).toFixed();
    bal.borrowed = new D(bal.borrowed).minus(amt.minus(toInterest)).toFixed();
    bal.free = new D(bal.free).minus(amt).toFixed();
  }
}

const shifted = (price: string | null, percent: string): string | null => {
  if (price === null) return null;
  const p = new D(price).times(new D(1).plus(new D(percent).div(100)));
  if (p.lte(0)) throw new SpotMarginScenarioError(`a move of ${percent} % takes the price to ${p.toFixed()} (must stay > 0)`);
  return p.toFixed();
};

/**
 * Apply moves to a snapshot (not mutated) and return the new, validated snapshot.
 * @throws {SnapshotError} invalid snapshot; {@link SpotMarginScenarioError} a move that cannot apply
 */
export function applySpotMarginMoves(input: SpotMarginSnapshot | unknown, moves: readonly SpotMarginMove[]): SpotMarginSnapshot {
  const snap = structuredClone(parseSpotMarginSnapshot(input));
  for (const m of moves) {
    if (snap.mode === 'cross') {
      const stable = stableSet(snap.quoteAsset, snap.stableAssets);
      if (m.kind === 'shift-price' && m.asset === undefined) {
        for (const a of snap.assets) if (!stable.has(a.asset)) a.price = shifted(a.price, m.percent);
        continue;
      }
      let a = snap.assets.find((x) => x.asset === m.asset);
      if (!a) {
        if (m.kind !== 'transfer-in' && m.kind !== 'borrow') throw new SpotMarginScenarioError(`no ${m.asset} in the account`);
        if (m.asset !== snap.quoteAsset) throw new SpotMarginScenarioError(`${m.asset} is not in the account: its price is unknown (add it with a price)`);
        a = { asset: m.asset!, free: '0', locked: '0', borrowed: '0', interest: '0', price: '1' };
        snap.assets.push(a);
      }
      if (m.kind === 'set-price') a.price = m.price;
      else if (m.kind === 'shift-price') a.price = shifted(a.price, m.percent);
      else apply(a, m);
    } else {
      const targets = m.symbol === undefined ? snap.pairs : snap.pairs.filter((p) => p.symbol === m.symbol);
      if (!targets.length) throw new SpotMarginScenarioError(`no pair ${m.symbol}`);
      if (m.symbol === undefined && m.kind !== 'shift-price') throw new SpotMarginScenarioError(`${m.kind} on an isolated account needs the pair's symbol`);
      for (const p of targets) {
        if (m.kind === 'shift-price') {
          if (m.asset === undefined || m.asset === p.base.asset) p.price = shifted(p.price, m.percent);
          continue;
        }
        if (m.kind === 'set-price') {
          if (m.asset !== p.base.asset) throw new SpotMarginScenarioError(`${m.asset} is not the base of ${p.symbol}`);
          p.price = m.price;
          continue;
        }
        const bal = m.asset === p.base.asset ? p.base : m.asset === p.quote.asset ? p.quote : null;
        if (!bal) throw new SpotMarginScenarioError(`${m.asset} is not in ${p.symbol}`);
        apply(bal, m);
      }
    }
  }
  return parseSpotMarginSnapshot(snap);
}

export interface SpotMarginWhatIfResult {
  before: SpotMarginRisk;
  after: SpotMarginRisk;
  /** after − before of the account's margin level and normalized risk (null when either is unknown). */
  deltas: { marginLevel: string | null; riskRatio: string | null };
  snapshot: SpotMarginSnapshot;
}

/**
 * Evaluate before and after a scenario `{ moves: [...] }`.
 * @throws {SnapshotError} invalid snapshot; {@link SpotMarginScenarioError} invalid scenario or a move that cannot apply
 */
export function spotMarginWhatIf(input: SpotMarginSnapshot | unknown, scenario: unknown): SpotMarginWhatIfResult {
  const parsed = v.safeParse(SpotMarginScenarioSchema, scenario);
  if (!parsed.success) {
    const i = parsed.issues[0]!;
    const path = (i.path ?? []).map((p) => String((p as { key: unknown }).key)).join('.');
    throw new SpotMarginScenarioError(`${path || 'scenario'}: ${i.message}`);
  }
  const before = evaluateSpotMargin(input);
  const snapshot = applySpotMarginMoves(input, parsed.output.moves);
  const after = evaluateSpotMargin(snapshot);
  const delta = (a: string | null, b: string | null) => (a === null || b === null ? null : out(new D(b).minus(a)));
  return {
    before,
    after,
    deltas: { marginLevel: delta(before.marginLevel, after.marginLevel), riskRatio: delta(before.riskRatio, after.riskRatio) },
    snapshot,
  };
}
