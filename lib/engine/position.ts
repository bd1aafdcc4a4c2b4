/**
 * One position as the solvers see it: its figures at any price, and the pieces
 * `a + b·t + c/t` of its contribution to "equity − maintenance requirement" when its
 * price is `k·t` and its tier is fixed.
 *
 * Linear (USDⓈ-M, USDT perps), price P, size Q in base units, side s = ±1:
 *   notional = Q·P,  UPNL = s·Q·(P − EP)
 * Inverse (COIN-M, Bybit inverse), N = contracts × contractSize (quote units):
 *   notional = N/P (coin),  UPNL = s·N·(1/EP − 1/P) (coin)
 * Maintenance margin (all): MM = notional × MMR(tier) − maintenance amount, valued at the
 * mark (or the entry price where the convention says so), plus exchange extras:
 * Bybit's estimated close fee (taker × bankruptcy value) and OKX's liquidation fee
 * (taker × notional, reported separately as `liquidationFee`).
 * Sources: https://www.binance.com/en/support/faq/b3c689c1f50a44cabb3a84e663b81d93,
 * https://www.binance.com/en/support/faq/ceccfcfb4e3a45e3b48b0b1bb1a8ae46, and the pages in conventions.ts.
 */
import { D, ONE, ZERO } from './decimal';
import type { Convention } from './conventions';
import type { AccountSnapshot, PositionSnapshot } from './snapshot';
import { tierAt, tierAtFloat, tierEdges, tierEdgesFloat, type TierChoice, type TierTables } from './tiers';
import type { Reason, TierUsed } from './types';

/** Coefficients of `a + b·t + c/t`. */
export interface Piece {
  a: D;
  b: D;
  c: D;
}

export interface PositionModel {
  readonly snap: PositionSnapshot;
  readonly index: number;
  /** +1 long, −1 short. */
  readonly s: D;
  /** s × qty: signed size (linear) or signed quote value (inverse). */
  readonly sq: D;
  /** s × qty × EP (linear) or s × qty / EP (inverse): the entry part of UPNL. */
  readonly sqe: D;
  readonly inverse: boolean;
  /** Linear: size in base units. Inverse: contracts × contractSize (quote units). */
  readonly qty: D;
  readonly entry: D;
  readonly mark: D | null;
  /** float64 of `mark` (NaN when unknown), for segment search only. */
  readonly markF: number;
  readonly leverage: D | null;
  /** Fee rate in the maintenance requirement (OKX liquidation fee), fraction. */
  readonly liqFeeRate: D;
  /** Bybit estimated fee to close, settlement asset; 0 elsewhere. */
  readonly closeFee: D;
  readonly mmBasis: 'mark' | 'entry';
  /** Tier at a price, or null (with `tierProblem`) when no tier can be found. */
  tierAtPrice(price: D | (() => D), priceF?: number): TierChoice | null;
  readonly tierProblem: string | null;
  notional(price: D): D;
  upnl(price: D): D;
  /** Maintenance margin at `price` without the OKX liquidation fee. Null if no tier. */
  maintenance(price: D): D | null;
  /** OKX liquidation fee at `price` (0 elsewhere). */
  liquidationFee(price: D): D;
  /** Number of prices at which the tier changes (mark basis only). */
  readonly edgeCount: number;
  /** The j-th price at which the tier changes (any order), exact. */
  priceEdge(j: number): D;
  /** float64 values of the tier-change prices, same order. */
  priceEdgesFloat(): number[];
  /** Piece of `UPNL − MM − fee` for price = k·t with the tier fixed to `tier` (or no maintenance when `withMaintenance` is false). */
  piece(k: D, tier: TierChoice | null, withMaintenance: boolean, unit?: boolean): Piece;
  /** float64 mirror of `piece` at price k·t with the tier at that price: `[a, b, c]`, for segment search only. */
  pieceFloat(k: number, t: number, withMaintenance: boolean): [number, number, number];
  /** Figures at the mark, computed once (throws if the mark is unknown). MM is null without a tier. */
  atMark(): { notional: D; upnl: D; maintenance: D | null; liquidationFee: D; initialMargin: D | null };
  /** Notes about assumptions made for this position (e.g. a default fee rate). */
  readonly notes: Reason[];
}

/**
 * Build the solver model of `snapshot.positions[index]`.
 * @param tables tier tables for the snapshot's exchange, keyed by symbol
 * @param opts.closeFeePrice with `conv.closeFeeBasis === 'solved'` (Bybit classic): the position's
 *   fee-inclusive bankruptcy price, at which the fee to close is valued (taker × value there); without
 *   it the fee falls back to the leverage form, with a note
 */
export function positionModel(
  snapshot: AccountSnapshot,
  index: number,
  tables: TierTables,
  conv: Convention,
  opts: { closeFeePrice?: D } = {},
): PositionModel {
  const p = snapshot.positions[index]!;
  const notes: Reason[] = [];
  const s = p.side === 'long' ? ONE : ONE.neg();
  const inverse = p.contract === 'inverse';
  const size = new D(p.size);
  const qty = inverse ? size.times(p.contractSize ?? '1') : size;
  const entry = new D(p.entryPrice);
  const mark = p.markPrice === null ? null : new D(p.markPrice);
  const leverage = p.leverage === null ? null : new D(p.leverage);
  const mmBasis = conv.mmPriceBasis[p.marginMode];

  let taker = ZERO;
  if (conv.defaultTakerFeeRate !== null) {
    if (snapshot.takerFeeRate !== undefined) taker = new D(snapshot.takerFeeRate);
    else {
      taker = new D(conv.defaultTakerFeeRate);
      notes.push({
        field: 'takerFeeRate',
        reason: `not in the snapshot; assumed ${taker.times(100).toFixed()} % (${conv.label} base taker rate)`,
      });
    }
  }
  const liqFeeRate = conv.takerInMaintenance ? taker : ZERO;

  // Bybit: estimated fee to close = taker × value at the bankruptcy price,
  // linear Q·EP·(1 − s/L), inverse N/EP·(1 + s/L) (coin).
  let closeFee = ZERO;
  if (conv.closeFeeInMargin && !taker.isZero() && conv.closeFeeBasis === 'solved' && opts.closeFeePrice) {
    // Bybit classic: taker × value at the bankruptcy price (inverse Qty/BP, linear Q·BP).
    closeFee = (inverse ? qty.div(opts.closeFeePrice) : qty.times(opts.closeFeePrice)).times(taker);
  } else if (conv.closeFeeInMargin && !taker.isZero()) {
    if (conv.closeFeeBasis === 'solved') notes.push({ field: 'maintenanceMargin', reason: 'bankruptcy price unknown: close-fee term taken from the leverage form' });
    let factor = ONE;
    if (leverage !== null) factor = inverse ? ONE.plus(s.div(leverage)) : ONE.minus(s.div(leverage));
    else notes.push({ field: 'maintenanceMargin', reason: 'leverage unknown: close-fee term taken on the entry value' });
    closeFee = (inverse ? qty.div(entry) : qty.times(entry)).times(factor).times(taker);
  }

  const notional = (price: D): D => (inverse ? qty.div(price) : qty.times(price));
  // UPNL = sq·P − sqe (linear), sqe − sq/P (inverse), with sq = s·qty, sqe = s·qty·EP (or s·qty/EP)
  const sq = s.times(qty);
  const sqe = inverse ? sq.div(entry) : sq.times(entry);
  const upnl = (price: D): D => (inverse ? sqe.minus(sq.div(price)) : sq.times(price).minus(sqe));

  // Tier source, in order: the snapshot's override, the table, max leverage (Hyperliquid).
  const table = tables[p.symbol];
  let tierProblem: string | null = null;
  let fixedTier: TierChoice | null = null;
  let byValue: ((value: D | (() => D), valueF?: number) => TierChoice) | null = null;
  let contractsBasis = false;
  if (p.tier) {
    fixedTier = { mmr: new D(p.tier.mmr), maintAmount: new D(p.tier.maintAmount), source: 'snapshot tier override' };
  } else if (table) {
    if (table.basis === 'contracts') {
      contractsBasis = true;
      if (inverse) fixedTier = tierAt(table, size);
      else if (p.contractSize !== undefined) fixedTier = tierAt(table, size.div(p.contractSize));
      else tierProblem = `${p.symbol}: contractSize unknown, cannot find its tier by contract count`;
    } else {
      byValue = (value, valueF) => tierAt(table, value, valueF);
    }
  } else if (conv.mmrFromMaxLeverage && p.maxLeverage !== undefined) {
    fixedTier = { mmr: ONE.div(new D(p.maxLeverage).times(2)), maintAmount: ZERO, source: 'maxLeverage: MMR = 1 / (2 × max leverage)' };
  } else {
    tierProblem = `${p.symbol}: no tier table and no tier override`;
  }
  if (fixedTier?.beyondTable) notes.push({ field: 'tier', reason: `${p.symbol}: position beyond the tier table's last cap` });

  const tierAtPrice = (price: D | (() => D), priceF: number = Number.NaN): TierChoice | null => {
    if (fixedTier) return fixedTier;
    if (!byValue) return null;
    if (mmBasis === 'entry') return byValue(() => notional(entry), inverse ? qtyF / entryF : qtyF * entryF);
    if (Number.isNaN(priceF) && typeof price === 'function') price = price();
    return byValue(() => notional(typeof price === 'function' ? price() : price), inverse ? qtyF / priceF : qtyF * priceF);
  };

  const maintenance = (price: D): D | null => {
    const tier = tierAtPrice(price);
    if (!tier) return null;
    const basisPrice = mmBasis === 'entry' ? entry : price;
    const mm = notional(basisPrice).times(tier.mmr).minus(tier.maintAmount);
    return closeFee.isZero() ? mm : mm.plus(closeFee);
  };

  const liquidationFee = (price: D): D => (liqFeeRate.isZero() ? ZERO : notional(price).times(liqFeeRate));

  // float64 mirrors (segment search only; every result is recomputed in decimal)
  // (Number() of schema-validated decimal strings: search only, never a result)
  const sF = p.side === 'long' ? 1 : -1;
  const qtyF = inverse ? Number(p.size) * Number(p.contractSize ?? '1') : Number(p.size);
  const entryF = Number(p.entryPrice);
  const closeFeeF = closeFee.isZero() ? 0 : closeFee.toNumber();
  const liqFeeF = liqFeeRate.isZero() ? 0 : liqFeeRate.toNumber();
  const fixedF: [number, number] | null = fixedTier ? [fixedTier.mmr.toNumber(), fixedTier.maintAmount.toNumber()] : null;

  // Tier edges as prices. linear: Q·P = edge → P = edge/Q; inverse: N/P = edge → P = N/edge.
  // Exact values are computed one at a time, only when a solver needs that edge.
  const tableEdges = !byValue || !table || mmBasis === 'entry' || contractsBasis ? [] : tierEdges(table);
  const exactEdges: (D | undefined)[] = [];
  const priceEdge = (j: number): D =>
    (exactEdges[j] ??= inverse ? qty.div(tableEdges[j]!) : tableEdges[j]!.div(qty));
  let edgesFloatCache: number[] | null = null;
  const priceEdgesFloat = (): number[] =>
    (edgesFloatCache ??= (tableEdges.length ? tierEdgesFloat(table!) : []).map((e) => (inverse ? qtyF / e : e / qtyF)));

  const entryMM = (tier: TierChoice): D => notional(entry).times(tier.mmr).minus(tier.maintAmount).plus(closeFee);
  const piece = (k: D, tier: TierChoice | null, withMaintenance: boolean, unit: boolean = k.eq(1)): Piece => {
    let a = inverse ? sqe : sqe.neg();
    let b = inverse ? ZERO : unit ? sq : sq.times(k);
    let c = inverse ? (unit ? sq.neg() : sq.neg().div(k)) : ZERO;
    if (!withMaintenance) return { a, b, c };
    if (!tier) throw new Error(`no tier for ${p.symbol}`);
    let rate: D;
    if (mmBasis === 'entry') {
      a = a.minus(entryMM(tier));
      rate = liqFeeRate; // the liquidation fee (OKX) is mark-based even then
    } else {
      a = a.plus(tier.maintAmount);
      if (!closeFee.isZero()) a = a.minus(closeFee);
      rate = liqFeeRate.isZero() ? tier.mmr : tier.mmr.plus(liqFeeRate);
    }
    if (!rate.isZero()) {
      const qr = qty.times(rate);
      if (inverse) c = c.minus(unit ? qr : qr.div(k));
      else b = b.minus(unit ? qr : qr.times(k));
    }
    return { a, b, c };
  };

  const pieceFloat = (k: number, t: number, withMaintenance: boolean): [number, number, number] => {
    let a: number, b = 0, c = 0;
    if (inverse) {
      a = (sF * qtyF) / entryF;
      c = (-sF * qtyF) / k;
    } else {
      a = -sF * qtyF * entryF;
      b = sF * qtyF * k;
    }
    if (!withMaintenance) return [a, b, c];
    const basisPrice = mmBasis === 'entry' ? entryF : k * t;
    const tierF = fixedF ?? (table ? tierAtFloat(table, inverse ? qtyF / basisPrice : qtyF * basisPrice) : [0, 0]);
    if (mmBasis === 'entry') {
      a -= (inverse ? qtyF / entryF : qtyF * entryF) * tierF[0] - tierF[1] + closeFeeF;
      if (inverse) c -= (qtyF * liqFeeF) / k;
      else b -= qtyF * liqFeeF * k;
    } else {
      a += tierF[1] - closeFeeF;
      if (inverse) c -= (qtyF * (tierF[0] + liqFeeF)) / k;
      else b -= qtyF * (tierF[0] + liqFeeF) * k;
    }
    return [a, b, c];
  };

  let atMarkCache: ReturnType<PositionModel['atMark']> | null = null;
  const atMark = (): ReturnType<PositionModel['atMark']> => {
    if (mark === null) throw new Error(`${p.symbol}: mark price unknown`);
    if (atMarkCache) return atMarkCache;
    const tier = tierAtPrice(mark, Number(p.markPrice));
    const n = notional(mark);
    let mm: D | null = null;
    if (tier) {
      mm = (mmBasis === 'entry' ? notional(entry) : n).times(tier.mmr).minus(tier.maintAmount);
      if (!closeFee.isZero()) mm = mm.plus(closeFee);
    }
    // IM at mark: notional ÷ leverage (+ Bybit's close fee); null when leverage is unknown.
    let im: D | null = null;
    if (leverage !== null) im = closeFee.isZero() ? n.div(leverage) : n.div(leverage).plus(closeFee);
    return (atMarkCache = { notional: n, upnl: upnl(mark), maintenance: mm, liquidationFee: liqFeeRate.isZero() ? ZERO : n.times(liqFeeRate), initialMargin: im });
  };

  return {
    atMark,
    pieceFloat,
    markF: p.markPrice === null ? NaN : Number(p.markPrice),
    snap: p,
    index,
    s,
    sq,
    sqe,
    inverse,
    qty,
    entry,
    mark,
    leverage,
    liqFeeRate,
    closeFee,
    mmBasis,
    tierAtPrice,
    tierProblem,
    notional,
    upnl,
    maintenance,
    liquidationFee,
    edgeCount: tableEdges.length,
    priceEdge,
    priceEdgesFloat,
    piece,
    notes,
  };
}

/** Public shape of a tier choice. */
export function tierUsed(t: TierChoice): TierUsed {
  return {
    mmr: t.text?.mmr ?? t.mmr.toFixed(),
    maintAmount: t.text?.maintAmount ?? t.maintAmount.toFixed(),
    ...(t.index !== undefined && { index: t.index }),
    source: t.source,
  };
}
