/**
 * Full risk evaluation of an account snapshot: per-position figures, cross account
 * aggregates in the exchange's own convention and normalized, liquidation prices and the
 * uniform move to liquidation, reconciled against what the exchange displays.
 *
 * Scope of the cross account: positions with `marginMode: 'cross'` share `walletBalance`
 * (Binance crossWalletBalance; Bybit UTA wallet; OKX single-currency cross; Hyperliquid
 * cross account). Isolated positions are evaluated alone with their `isolatedMargin` and
 * appear in `equity` but not in the cross ratio, as on every exchange's account panel.
 * A COIN-M snapshot holds one margin asset (cross is per asset on Binance COIN-M).
 */
import { conventionFor, type Convention } from './conventions';
import { D, ZERO } from './decimal';
import { out, outToward } from './format';
import { solveBankruptcyPrice, solveSymbolPrice, solveUniformMove, type PriceSolution } from './liquidation';
import { positionModel, tierUsed, type PositionModel } from './position';
import { reconcile } from './reconcile';
import { tickAt, type EvaluateOptions, type InstrumentSpec } from './instruments';
import { parseSnapshot, type AccountSnapshot } from './snapshot';
import { liquidationPriceDisplayed } from './ticks';
import type { TierTables } from './tiers';
import type { AccountRisk, PositionRisk, Reason, Reconciliation } from './types';

const orNull = (x: D | null): string | null => (x === null ? null : out(x));

/**
 * Evaluate an account.
 *
 * @param input an {@link AccountSnapshot} (validated here: unknown input is accepted and checked)
 * @param tables tier tables for the snapshot's exchange keyed by symbol; positions with a
 *   `tier` override ignore them. Missing tables make that position's MM unknown (with a reason).
 * @param options `instruments`: tick sizes per symbol, to print each liquidation price as the exchange
 *   does (`liquidationPriceDisplayed`, ./ticks.ts); without a symbol's tick the printed price is the raw
 *   one rounded toward the mark at 8 dp
 * @returns {@link AccountRisk}: every figure a decimal string, or null with a reason
 * @throws {SnapshotError} when the input does not match the snapshot schema (message names the field)
 * @example
 * evaluate({ exchange: 'binance-usdm', positionMode: 'one-way', walletBalance: '1000', positions: [
 *   { symbol: 'BTCUSDT', side: 'long', size: '0.1', contract: 'linear', entryPrice: '60000',
 *     markPrice: '60000', marginMode: 'cross', leverage: '10', tier: { mmr: '0.004', maintAmount: '0' } }] }, {})
 *   .positions[0].liquidationPrice //=> '50200.80321285'
 */
export function evaluate(input: AccountSnapshot | unknown, tables: TierTables, options: EvaluateOptions = {}): AccountRisk {
  const snap = parseSnapshot(input);
  const conv = conventionFor(snap);
  let models = snap.positions.map((_, i) => positionModel(snap, i, tables, conv));
  // Bybit classic: the fee to close is valued at each position's own fee-inclusive bankruptcy price,
  // known before any maintenance figure (it depends on balances and prices only).
  const feeBankruptcy = conv.closeFeeBasis === 'solved' ? solvedFeeBankruptcy(snap, models) : null;
  if (feeBankruptcy?.size) {
    models = models.map((m, i) => (feeBankruptcy.has(i) ? positionModel(snap, i, tables, conv, { closeFeePrice: feeBankruptcy.get(i)! }) : m));
  }
  const display = (m: PositionModel): Display => ({ conv, instrument: options.instruments?.[m.snap.symbol], feeBankruptcy: feeBankruptcy?.get(m.index) ?? null });
  const accountReasons: Reason[] = [];
  const seenNotes = new Set<string>();

  // ---- per-position figures at mark
  const rows = models.map((m) => positionFigures(m));
  for (const m of models) {
    for (const n of m.notes) {
      const key = n.field + n.reason;
      if (!seenNotes.has(key) && n.field === 'takerFeeRate') accountReasons.push(n);
      seenNotes.add(key);
    }
  }

  // ---- cross account aggregates
  const cross = models.filter((m) => m.snap.marginMode === 'cross');
  const wb = snap.walletBalance === null ? null : new D(snap.walletBalance);
  if (wb === null) accountReasons.push({ field: 'marginBalance', reason: 'wallet balance unknown (not read from the page)' });
  const unknownMark = cross.filter((m) => m.mark === null).map((m) => m.snap.symbol);
  if (unknownMark.length) accountReasons.push({ field: 'unrealizedPnl', reason: `mark price unknown for ${unknownMark.join(', ')}` });
  const unknownTier = cross.filter((m) => m.tierProblem !== null).map((m) => m.tierProblem!);
  for (const t of unknownTier) accountReasons.push({ field: 'maintenanceMargin', reason: t });

  const marksKnown = unknownMark.length === 0;
  const tiersKnown = unknownTier.length === 0;
  const sum = (f: (m: PositionModel) => D): D => cross.reduce((acc, m) => acc.plus(f(m)), ZERO);

  // Figures at mark, computed once per cross position.
  const atMark = new Map<PositionModel, { upnl: D; mm: D | null; fee: D; notional: D }>();
  if (marksKnown) {
    for (const m of cross) {
      const f = m.atMark();
      atMark.set(m, { upnl: f.upnl, mm: f.maintenance, fee: f.liquidationFee, notional: f.notional });
    }
  }
  const crossUpnl = marksKnown ? sum((m) => atMark.get(m)!.upnl) : null;
  const marginBalance = wb !== null && crossUpnl !== null ? wb.plus(crossUpnl) : null;
  const mm = marksKnown && tiersKnown ? sum((m) => atMark.get(m)!.mm!) : null;
  const liqFee = marksKnown ? sum((m) => atMark.get(m)!.fee) : null;
  const requirement = mm !== null && liqFee !== null ? mm.plus(liqFee) : null;
  const levUnknown = cross.filter((m) => m.leverage === null).map((m) => m.snap.symbol);
  if (levUnknown.length) accountReasons.push({ field: 'initialMargin', reason: `leverage unknown for ${levUnknown.join(', ')}` });
  const im = marksKnown && levUnknown.length === 0 ? sum((m) => m.atMark().initialMargin!) : null;
  const available = marginBalance !== null && im !== null ? D.max(ZERO, marginBalance.minus(im)) : null;
  const grossNotional = marksKnown ? sum((m) => atMark.get(m)!.notional) : null;

  let riskRatio: D | null = null;
  let marginRatio: D | null = null;
  let effectiveLeverage: D | null = null;
  let liquidated: boolean | null = null;
  if (marginBalance !== null && requirement !== null) {
    if (marginBalance.gt(0)) {
      riskRatio = requirement.div(marginBalance);
      liquidated = cross.length > 0 && riskRatio.gte(1);
      effectiveLeverage = grossNotional!.div(marginBalance);
      if (conv.ratio.direction === 'lower-is-safer') marginRatio = mm!.div(marginBalance);
      else if (requirement.gt(0)) marginRatio = marginBalance.div(requirement);
      else accountReasons.push({ field: 'marginRatio', reason: 'no cross position: OKX margin ratio is undefined without a maintenance requirement' });
    } else {
      liquidated = cross.length > 0;
      accountReasons.push({
        field: 'riskRatio',
        reason: cross.length > 0 ? 'margin balance ≤ 0: the cross account is past liquidation' : 'margin balance ≤ 0',
      });
    }
  }

  // ---- cross liquidation prices: one per symbol, shared by hedge legs
  const crossBySymbol = new Map<string, PositionModel[]>();
  for (const m of cross) crossBySymbol.set(m.snap.symbol, [...(crossBySymbol.get(m.snap.symbol) ?? []), m]);
  const crossReady = wb !== null && marksKnown && tiersKnown;
  for (const [symbol, legs] of crossBySymbol) {
    if (!crossReady) {
      for (const m of legs) unknownLiq(rows[m.index]!, 'cross account figures unknown (see account reasons)');
      continue;
    }
    // Other positions held at their marks: totals minus this symbol's legs.
    let otherEquity = wb.plus(crossUpnl!);
    let otherMM = requirement!;
    for (const m of legs) {
      const f = atMark.get(m)!;
      otherEquity = otherEquity.minus(f.upnl);
      otherMM = otherMM.minus(f.mm!).minus(f.fee);
    }
    const mark = legs[0]!.mark!;
    // equity − requirement and equity at the current mark are already known
    const cushion = marginBalance!.minus(requirement!);
    const lp = solveSymbolPrice(otherEquity.minus(otherMM), legs, mark, true, cushion);
    const bp = solveBankruptcyPrice(otherEquity, legs, mark);
    for (const m of legs) applySolution(rows[m.index]!, m, lp, bp, display(m));
  }

  // ---- isolated positions
  for (const m of models.filter((x) => x.snap.marginMode === 'isolated')) {
    const row = rows[m.index]!;
    if (m.snap.isolatedMargin == null) {
      unknownLiq(row, 'isolated margin unknown (not read from the page)');
      continue;
    }
    if (m.mark === null || m.tierProblem !== null) {
      unknownLiq(row, m.tierProblem ?? 'mark price unknown');
      continue;
    }
    const margin = new D(m.snap.isolatedMargin);
    applySolution(row, m, solveSymbolPrice(margin, [m], m.mark, true), solveBankruptcyPrice(margin, [m], m.mark), display(m));
    const equity = margin.plus(m.upnl(m.mark));
    const req = m.maintenance(m.mark)!.plus(m.liquidationFee(m.mark));
    if (conv.ratio.direction === 'lower-is-safer') row.marginRatio = equity.gt(0) ? out(m.maintenance(m.mark)!.div(equity)) : null;
    else row.marginRatio = req.gt(0) ? out(equity.div(req)) : null;
    if (row.marginRatio === null) row.reasons.push({ field: 'marginRatio', reason: 'isolated margin exhausted' });
  }

  // ---- uniform move to liquidation
  let liquidationMove: AccountRisk['liquidationMove'] = { down: null, up: null };
  if (crossReady && cross.length > 0) {
    const mv = solveUniformMove(wb, cross, marginBalance!.minus(requirement!));
    liquidationMove = { down: orNull(mv.down), up: orNull(mv.up) };
    if (mv.past) accountReasons.push({ field: 'liquidationMove', reason: 'the cross account is at or past liquidation now' });
    if (!mv.past && mv.down === null) accountReasons.push({ field: 'liquidationMove.down', reason: 'no fall (down to price 0) liquidates the cross account', none: true });
    if (!mv.past && mv.up === null) accountReasons.push({ field: 'liquidationMove.up', reason: 'no rise up to +1000 % liquidates the cross account', none: true });
  } else if (cross.length === 0) {
    accountReasons.push({ field: 'liquidationMove', reason: 'no cross positions', none: true });
  } else {
    accountReasons.push({ field: 'liquidationMove', reason: 'cross account figures unknown' });
  }

  // ---- equity: cross margin balance + isolated margin balances
  let equity: D | null = marginBalance;
  for (const m of models.filter((x) => x.snap.marginMode === 'isolated')) {
    if (equity === null) break;
    if (m.snap.isolatedMargin == null || m.mark === null) equity = null;
    else equity = equity.plus(m.snap.isolatedMargin).plus(m.upnl(m.mark));
  }

  // ---- nearest to liquidation
  let firstToLiquidate: number | null = null;
  let best: D | null = null;
  rows.forEach((r, i) => {
    if (r.distanceToLiquidation === null) return;
    const d = new D(r.distanceToLiquidation);
    if (best === null || d.lt(best)) {
      best = d;
      firstToLiquidate = i;
    }
  });

  // ---- reconciliation
  const recon: Reconciliation[] = [];
  const shown = snap.displayed;
  const push = (r: Reconciliation | null, into: Reconciliation[]) => r && into.push(r);
  push(reconcile('marginRatio', 'ratio', orNull(marginRatio), shown?.marginRatio), recon);
  push(reconcile('maintenanceMargin', 'amount', orNull(mm), shown?.maintenanceMargin), recon);
  // Exchange panels show the whole account: margin balance = wallet + every unrealized PnL
  // (cross and isolated), which is our `equity`; likewise their unrealized PnL is the total.
  let totalUpnl: D | null = crossUpnl;
  for (const m of models.filter((x) => x.snap.marginMode === 'isolated')) {
    totalUpnl = totalUpnl === null || m.mark === null ? null : totalUpnl.plus(m.atMark().upnl);
  }
  push(reconcile('marginBalance', 'amount', orNull(equity), shown?.marginBalance), recon);
  push(reconcile('availableBalance', 'amount', orNull(available), shown?.availableBalance), recon);
  push(reconcile('unrealizedPnl', 'amount', orNull(totalUpnl), shown?.unrealizedPnl), recon);
  rows.forEach((r, i) => {
    const d = snap.positions[i]!.displayed;
    if (!d) return;
    // The exchange's printed price is compared with ours printed the same way (tick, direction, OKX shift).
    const shownPrice = d.liquidationPrice == null ? null : new D(d.liquidationPrice);
    const tick = shownPrice && shownPrice.gt(0) ? tickAt(options.instruments?.[r.symbol], shownPrice) : null;
    push(reconcile('liquidationPrice', 'price', r.liquidationPriceDisplayed ?? r.liquidationPrice, d.liquidationPrice, tick?.toFixed()), r.reconciliation);
    push(reconcile('unrealizedPnl', 'amount', r.unrealizedPnl, d.unrealizedPnl), r.reconciliation);
    push(reconcile('marginRatio', 'ratio', r.marginRatio, d.marginRatio), r.reconciliation);
  });

  return {
    exchange: snap.exchange,
    positionMode: snap.positionMode,
    walletBalance: wb === null ? null : out(wb),
    unrealizedPnl: orNull(crossUpnl),
    marginBalance: orNull(marginBalance),
    maintenanceMargin: orNull(mm),
    liquidationFee: orNull(liqFee),
    initialMargin: orNull(im),
    availableBalance: orNull(available),
    marginRatio: orNull(marginRatio),
    marginRatioConvention: conv.ratio,
    riskRatio: orNull(riskRatio),
    liquidated,
    effectiveLeverage: orNull(effectiveLeverage),
    liquidationMove,
    equity: orNull(equity),
    positions: rows,
    firstToLiquidate,
    reasons: dedupe(accountReasons),
    reconciliation: recon,
  };
}

function dedupe(reasons: Reason[]): Reason[] {
  const seen = new Set<string>();
  return reasons.filter((r) => {
    const key = `${r.field}\u0000${r.reason}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function positionFigures(m: PositionModel): PositionRisk {
  const reasons: Reason[] = m.notes.filter((n) => n.field !== 'takerFeeRate');
  const p = m.snap;
  const row: PositionRisk = {
    symbol: p.symbol,
    side: p.side,
    marginMode: p.marginMode,
    contract: p.contract,
    size: p.size,
    entryPrice: p.entryPrice,
    markPrice: p.markPrice,
    notional: null,
    unrealizedPnl: null,
    initialMargin: null,
    maintenanceMargin: null,
    tier: null,
    liquidationPrice: null,
    liquidationPriceDisplayed: null,
    bankruptcyPrice: null,
    distanceToLiquidation: null,
    marginRatio: null,
    reasons,
    reconciliation: [],
  };
  if (m.tierProblem) reasons.push({ field: 'maintenanceMargin', reason: m.tierProblem });
  if (m.mark === null) {
    for (const f of ['notional', 'unrealizedPnl', 'initialMargin', 'maintenanceMargin']) {
      reasons.push({ field: f, reason: 'mark price unknown' });
    }
    return row;
  }
  const f = m.atMark();
  row.notional = out(f.notional);
  row.unrealizedPnl = out(f.upnl);
  if (f.initialMargin !== null) row.initialMargin = out(f.initialMargin);
  else reasons.push({ field: 'initialMargin', reason: 'leverage unknown' });
  const tier = m.tierAtPrice(m.mark);
  if (tier) {
    row.tier = tierUsed(tier);
    row.maintenanceMargin = out(f.maintenance!);
  }
  return row;
}

function unknownLiq(row: PositionRisk, reason: string): void {
  row.reasons.push({ field: 'liquidationPrice', reason }, { field: 'bankruptcyPrice', reason });
}

interface Display {
  conv: Convention;
  /** The symbol's instrument spec (tick size), or undefined when unknown. */
  instrument: InstrumentSpec | undefined;
  /** Bybit classic: the fee-inclusive bankruptcy price already solved, reported as the bankruptcy price. */
  feeBankruptcy: D | null;
}

function applySolution(row: PositionRisk, m: PositionModel, lp: PriceSolution, bp: PriceSolution, display: Display): void {
  const mark = m.mark!;
  if (lp.price === null) {
    row.reasons.push({ field: 'liquidationPrice', reason: lp.reason, none: true });
  } else {
    row.liquidationPrice = outToward(lp.price, mark);
    const shown = display.conv.liquidationDisplay[m.snap.marginMode];
    const tick = tickAt(display.instrument, lp.price);
    // The side as liquidation sees it: the mark above the price is a long's (hedge legs share the net's).
    const printed = liquidationPriceDisplayed(lp.price, mark.gte(lp.price) ? 'long' : 'short', tick, shown);
    row.liquidationPriceDisplayed = outToward(printed, mark);
    if (tick === null && shown.shiftTicks !== 0) {
      row.reasons.push({
        field: 'liquidationPriceDisplayed',
        reason: `tick size of ${m.snap.symbol} unknown: the ${shown.shiftTicks}-tick shift ${display.conv.label} prints is not applied`,
      });
    }
    row.distanceToLiquidation = lp.past ? '0' : out(lp.price.minus(mark).abs().div(mark));
    if (lp.past) row.reasons.push({ field: 'liquidationPrice', reason: 'margin is at or below maintenance margin now: liquidation is due at the current mark' });
    if (lp.note) row.reasons.push({ field: 'liquidationPrice', reason: lp.note });
    // The tier at the liquidation price (Binance: MMR and cum of the bracket at LP).
    const atLiq = m.tierAtPrice(lp.price, lp.price.toNumber());
    if (atLiq?.index !== undefined && row.tier?.index !== undefined && atLiq.index !== row.tier.index) {
      row.reasons.push({ field: 'tier', reason: `tier ${atLiq.index} applies at the liquidation price (tier ${row.tier.index} at mark)` });
    }
  }
  if (bp.price === null) row.reasons.push({ field: 'bankruptcyPrice', reason: bp.reason, none: true });
  else row.bankruptcyPrice = outToward(display.feeBankruptcy ?? bp.price, mark);
}

/**
 * Bybit classic: each position's bankruptcy price including the fee to close charged there, solved
 * from `constant + Σ legs (UPNL(P) − taker × value(P)) = 0` (help centre 360039261334:
 * `BP_long = (1 + taker)·Qty / (Qty/EP + balance)` for one inverse long). `constant` is the cross
 * wallet plus the other cross positions' UPNL at their marks (cross; hedge legs share one price), or
 * the isolated margin. Closed forms, q = |size| (quote units for inverse):
 *   linear:  P = (Σ s·q·EP − constant) / (Σ s·q − taker·Σ q)
 *   inverse: P = (Σ s·q + taker·Σ q) / (constant + Σ s·q/EP)
 * Positions whose inputs are unknown (wallet, a cross mark, isolated margin) or whose price is not
 * positive are left out (their fee falls back to the leverage form, with a note).
 * @returns position index → fee-inclusive bankruptcy price
 */
function solvedFeeBankruptcy(snap: AccountSnapshot, models: PositionModel[]): Map<number, D> {
  const out = new Map<number, D>();
  const taker = new D(snap.takerFeeRate ?? conventionFor(snap).defaultTakerFeeRate ?? '0');
  const solve = (constant: D, legs: PositionModel[]): D | null => {
    let sq = ZERO, sqe = ZERO, q = ZERO;
    for (const m of legs) (sq = sq.plus(m.sq)), (sqe = sqe.plus(m.sqe)), (q = q.plus(m.qty));
    const inverse = legs[0]!.inverse;
    const num = inverse ? sq.plus(taker.times(q)) : sqe.minus(constant);
    const den = inverse ? constant.plus(sqe) : sq.minus(taker.times(q));
    if (den.isZero()) return null;
    const p = num.div(den);
    return p.gt(0) ? p : null;
  };
  const cross = models.filter((m) => m.snap.marginMode === 'cross');
  if (snap.walletBalance !== null && cross.every((m) => m.mark !== null)) {
    const total = cross.reduce((acc, m) => acc.plus(m.upnl(m.mark!)), new D(snap.walletBalance));
    const bySymbol = new Map<string, PositionModel[]>();
    for (const m of cross) bySymbol.set(m.snap.symbol, [...(bySymbol.get(m.snap.symbol) ?? []), m]);
    for (const legs of bySymbol.values()) {
      const others = legs.reduce((acc, m) => acc.minus(m.upnl(m.mark!)), total);
      const p = solve(others, legs);
      if (p) for (const m of legs) out.set(m.index, p);
    }
  }
  for (const m of models) {
    if (m.snap.marginMode !== 'isolated' || m.snap.isolatedMargin == null) continue;
    const p = solve(new D(m.snap.isolatedMargin), [m]);
    if (p) out.set(m.index, p);
  }
  return out;
}
