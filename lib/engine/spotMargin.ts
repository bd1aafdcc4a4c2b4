/**
 * Evaluation of a Binance spot margin account: Cross Margin (one account, many assets) or
 * Isolated Margin (each pair its own account of a base and a quote asset).
 *
 * Margin level (Cross Margin **Classic**, and per Isolated pair):
 *   Total Asset Value / (Total Liabilities + Outstanding Interest)
 * — https://www.binance.com/en/support/faq/binance-margin-level-and-margin-call-360030493931
 * (isolated pairs: the same per-pair `marginLevel` of
 * https://developers.binance.com/docs/margin_trading/account/Query-Isolated-Margin-Account-Info).
 * Cross Margin **Pro** uses (Σ Net Collateral − Σ Open Order Loss) / Σ Maintenance Margin
 * (https://www.binance.com/en-GB/support/faq/12a78d8aa813470f96be283b45f75410), which needs
 * per-asset collateral ratios and liability maintenance rates a page does not show: for Pro our
 * level is unknown and the exchange's displayed level (when read) drives the risk ratio.
 * Normalized risk = liquidation level / margin level: 1 at liquidation, the same scale as the
 * futures risk ratio. Solving: see spotMarginLevel.ts.
 */
import { D, ZERO } from './decimal';
import { out, outToward } from './format';
import { reconcile } from './reconcile';
import { parseSpotMarginSnapshot, type IsolatedPairSnapshot, type SpotMarginSnapshot } from './snapshot';
import { levelTotals, solveAssetPrice, solveUniformMove, type Exposure } from './spotMarginLevel';
import { spotMarginThresholds, type SpotMarginThresholds } from './spotMarginThresholds';
import type {
  IsolatedPairRisk,
  MarginLevelConvention,
  SpotMarginAssetRisk,
  SpotMarginCrossRisk,
  SpotMarginIsolatedRisk,
  SpotMarginLevelRisk,
  SpotMarginRisk,
} from './spotMarginTypes';
import type { Reason, Reconciliation } from './types';

/** USD stablecoins held fixed when the account's quote is one of them. */
export const USD_STABLES = ['USDT', 'USDC', 'FDUSD', 'BUSD', 'TUSD', 'USDP', 'DAI', 'USD1'] as const;

const FAQ = 'https://www.binance.com/en/support/faq/binance-margin-level-and-margin-call-360030493931';
export const CLASSIC_CONVENTION: MarginLevelConvention = {
  direction: 'higher-is-safer',
  definition: 'Cross Margin Classic: total asset value / (total liabilities + outstanding interest)',
  source: FAQ,
};
const PRO_CONVENTION: MarginLevelConvention = {
  direction: 'higher-is-safer',
  definition: 'Cross Margin Pro: (Σ net collateral − Σ open order loss) / Σ maintenance margin (the exchange\'s figure; not recomputed)',
  source: 'https://www.binance.com/en-GB/support/faq/12a78d8aa813470f96be283b45f75410',
};
const ISOLATED_CONVENTION: MarginLevelConvention = {
  direction: 'higher-is-safer',
  definition: 'Isolated Margin, per pair: total asset value / (total liabilities + outstanding interest)',
  source: 'https://developers.binance.com/docs/margin_trading/account/Query-Isolated-Margin-Account-Info',
};

/** One asset's input, as in the snapshot (decimal strings, price in the quote or null). */
export interface AssetInput {
  asset: string;
  free: string;
  locked: string;
  borrowed: string;
  interest: string;
  price: string | null;
}

/** Which assets are held fixed: the given list, else the quote (and the USD stablecoins when the quote is one). */
export function stableSet(quoteAsset: string, given: readonly string[] | undefined): Set<string> {
  if (given) return new Set([quoteAsset, ...given]);
  return (USD_STABLES as readonly string[]).includes(quoteAsset) ? new Set(USD_STABLES) : new Set([quoteAsset]);
}

/**
 * Evaluate a set of assets as one margin account (the cross account or one isolated pair).
 * @param displayed the exchange's figures for reconciliation (level, totals)
 * @param ourLevel false for Cross Margin Pro: our level is not the exchange's
 */
export function evaluateLevel(
  inputs: readonly AssetInput[],
  quoteAsset: string,
  stable: Set<string>,
  thresholds: SpotMarginThresholds,
  displayed: { marginLevel?: string | null; totalAssetValue?: string | null; totalLiability?: string | null; netAsset?: string | null } | undefined,
  ourLevel = true,
  baseReasons: Reason[] = [],
  unread: readonly string[] = [],
): SpotMarginLevelRisk {
  const reasons: Reason[] = [...baseReasons];
  const t = new D(thresholds.liquidation);
  const mc = new D(thresholds.marginCall);

  const rows = inputs.map((a) => {
    const held = new D(a.free).plus(a.locked);
    const owed = new D(a.borrowed).plus(a.interest);
    let price: D | null = a.price === null ? null : new D(a.price);
    if (a.asset === quoteAsset) {
      if (price !== null && !price.eq(1)) reasons.push({ field: `assets.${a.asset}.price`, reason: `the quote asset is priced 1 (got ${a.price})` });
      price = new D(1);
    }
    return { a, held, owed, price, exposed: !held.isZero() || !owed.isZero() };
  });
  const unpriced = rows.filter((r) => r.exposed && r.price === null).map((r) => r.a.asset);
  if (unpriced.length) reasons.push({ field: 'totalAssetValue', reason: `price unknown for ${unpriced.join(', ')}` });
  if (unread.length) reasons.push({ field: 'totalAssetValue', reason: `not read from the page: ${unread.join(', ')} (a debt there would change the level)` });
  const known = unpriced.length === 0 && unread.length === 0;
  const xs: Exposure[] = known
    ? rows.filter((r) => r.price !== null).map((r) => ({ asset: r.a.asset, held: r.held, owed: r.owed, price: r.price!, stable: stable.has(r.a.asset) }))
    : [];
  const totals = known ? levelTotals(xs) : null;

  const noLiabilities = totals ? totals.totalLiability.isZero() : unread.length === 0 && rows.every((r) => r.owed.isZero()) ? true : null;
  const displayedLevel = displayed?.marginLevel ?? null;
  let level: D | null = null;
  if (!ourLevel) {
    reasons.push({ field: 'marginLevel', reason: 'Cross Margin Pro: the level needs collateral ratios and maintenance rates that are not read; the exchange\'s own level is used' });
  } else if (totals?.marginLevel) level = totals.marginLevel;
  else if (noLiabilities) reasons.push({ field: 'marginLevel', reason: 'no liabilities: the margin level is unbounded', none: true });

  // The level that drives status and risk: ours, or (Pro) the exchange's.
  const driving = ourLevel ? level : displayedLevel !== null ? new D(displayedLevel) : null;
  let riskRatio: D | null = null;
  let liquidated: boolean | null = null;
  let status: SpotMarginLevelRisk['status'] = null;
  if (noLiabilities === true && (ourLevel || driving === null)) {
    riskRatio = ZERO;
    liquidated = false;
    status = 'no-liabilities';
  } else if (driving !== null) {
    if (driving.gt(0)) riskRatio = t.div(driving);
    else reasons.push({ field: 'riskRatio', reason: 'total asset value is 0 with debt outstanding: past liquidation' });
    liquidated = driving.lte(t);
    status = driving.lte(t) ? 'liquidation' : driving.lte(mc) ? 'margin-call' : 'normal';
  }

  // ---- per-asset figures and liquidation prices
  const assets: SpotMarginAssetRisk[] = rows.map((r, i) => {
    const own: Reason[] = [];
    const isStable = stable.has(r.a.asset);
    let liq: string | null = null;
    let side: SpotMarginAssetRisk['liquidationSide'] = null;
    let distance: string | null = null;
    if (isStable) own.push({ field: 'liquidationPrice', reason: `${r.a.asset} is held fixed (stable or quote asset)`, none: true });
    else if (!ourLevel) own.push({ field: 'liquidationPrice', reason: 'Cross Margin Pro: not computed' });
    else if (!known) own.push({ field: 'liquidationPrice', reason: unpriced.length ? `price unknown for ${unpriced.join(', ')}` : `not read from the page: ${unread.join(', ')}` });
    else if (!r.exposed) own.push({ field: 'liquidationPrice', reason: 'no holding and no debt in this asset', none: true });
    else {
      const idx = xs.findIndex((x) => x.asset === r.a.asset);
      const s = solveAssetPrice(xs, idx, t, totals!);
      if (s.price === null) own.push({ field: 'liquidationPrice', reason: s.why, none: true });
      else {
        liq = outToward(s.price, r.price!);
        side = s.side;
        const past = s.side === 'below' ? r.price!.lte(s.price) : r.price!.gte(s.price);
        distance = past ? '0' : out(r.price!.minus(s.price).abs().div(r.price!));
      }
    }
    void i;
    return {
      asset: r.a.asset,
      free: r.a.free,
      locked: r.a.locked,
      borrowed: r.a.borrowed,
      interest: r.a.interest,
      netAsset: out(r.held.minus(r.owed)),
      price: r.price === null ? null : out(r.price),
      value: r.price === null ? null : out(r.held.times(r.price)),
      liabilityValue: r.price === null ? null : out(r.owed.times(r.price)),
      stable: isStable,
      liquidationPrice: liq,
      liquidationSide: side,
      distanceToLiquidation: distance,
      reasons: own,
    };
  });

  let firstToLiquidate: number | null = null;
  assets.forEach((a, i) => {
    if (a.distanceToLiquidation === null) return;
    if (firstToLiquidate === null || new D(a.distanceToLiquidation).lt(assets[firstToLiquidate]!.distanceToLiquidation!)) firstToLiquidate = i;
  });

  // ---- uniform move
  let move = { down: null as string | null, up: null as string | null };
  if (ourLevel && known) {
    const m = solveUniformMove(xs, t);
    move = { down: m.down === null ? null : out(m.down), up: m.up === null ? null : out(m.up) };
    if (m.why) reasons.push({ field: 'liquidationMove', reason: m.why, none: true });
  } else reasons.push({ field: 'liquidationMove', reason: ourLevel ? 'prices unknown' : 'Cross Margin Pro: not computed' });

  const reconciliation: Reconciliation[] = [];
  const add = (r: Reconciliation | null) => r && reconciliation.push(r);
  const orNull = (x: D | null | undefined) => (x == null ? null : out(x));
  if (ourLevel && displayedLevel !== null && noLiabilities !== true) add(reconcile('marginLevel', 'ratio', orNull(level), displayedLevel));
  add(reconcile('totalAssetValue', 'amount', orNull(totals?.totalAssetValue), displayed?.totalAssetValue));
  add(reconcile('totalLiability', 'amount', orNull(totals?.totalLiability), displayed?.totalLiability));
  add(reconcile('netAsset', 'amount', totals ? out(totals.totalAssetValue.minus(totals.totalLiability)) : null, displayed?.netAsset));

  return {
    quoteAsset,
    totalAssetValue: orNull(totals?.totalAssetValue),
    totalLiability: orNull(totals?.totalLiability),
    netAsset: totals ? out(totals.totalAssetValue.minus(totals.totalLiability)) : null,
    marginLevel: orNull(level),
    noLiabilities,
    displayedMarginLevel: displayedLevel,
    thresholds,
    riskRatio: orNull(riskRatio),
    status,
    liquidated,
    liquidationMove: move,
    assets,
    firstToLiquidate,
    reasons,
    reconciliation,
  };
}

/** The two assets of an isolated pair as {@link AssetInput}s: the base at the pair's price, the quote at 1. */
export function pairAssets(p: IsolatedPairSnapshot): AssetInput[] {
  return [
    { ...p.base, price: p.price },
    { ...p.quote, price: '1' },
  ];
}

function evaluatePair(snap: SpotMarginSnapshot, p: IsolatedPairSnapshot): IsolatedPairRisk {
  const reasons: Reason[] = [];
  const th = spotMarginThresholds(snap, p.thresholds ?? snap.thresholds, reasons);
  const r = evaluateLevel(pairAssets(p), p.quote.asset, new Set([p.quote.asset]), th, p.displayed, true, reasons);
  const base = r.assets[0]!;
  const rec = reconcile('liquidationPrice', 'price', base.liquidationPrice, p.displayed?.liquidationPrice);
  if (rec) r.reconciliation.push(rec);
  return { ...r, symbol: p.symbol, baseAsset: p.base.asset, price: p.price, liquidationPrice: base.liquidationPrice, liquidationSide: base.liquidationSide };
}

/**
 * Evaluate a spot margin account.
 *
 * @param input a {@link SpotMarginSnapshot} (validated here)
 * @returns {@link SpotMarginCrossRisk} (mode `cross`) or {@link SpotMarginIsolatedRisk} (mode `isolated`)
 * @throws {SnapshotError} when the input does not match the schema (message names the field)
 * @example
 * evaluateSpotMargin({ kind: 'spot-margin', exchange: 'binance-margin', mode: 'cross', assets: [
 *   { asset: 'USDT', free: '0', locked: '0', borrowed: '1000', interest: '0', price: '1' },
 *   { asset: 'BTC', free: '0.05', locked: '0', borrowed: '0', interest: '0', price: '40000' }] }).marginLevel //=> '2'
 */
export function evaluateSpotMargin(input: SpotMarginSnapshot | unknown): SpotMarginRisk {
  const snap = parseSpotMarginSnapshot(input);
  if (snap.mode === 'isolated') {
    const pairs = snap.pairs.map((p) => evaluatePair(snap, p));
    let worst: number | null = null;
    const unreadPairs = snap.unread ?? [];
    let unknown = unreadPairs.length > 0;
    pairs.forEach((p, i) => {
      if (p.riskRatio === null) {
        unknown = true;
        return;
      }
      if (worst === null || new D(p.riskRatio).gt(pairs[worst]!.riskRatio!)) worst = i;
    });
    const reasons: Reason[] = [];
    if (unknown) reasons.push({ field: 'riskRatio', reason: `unknown for ${[...unreadPairs, ...pairs.filter((p) => p.riskRatio === null).map((p) => p.symbol)].join(', ')}` });
    const w = worst === null ? null : pairs[worst]!;
    const out: SpotMarginIsolatedRisk = {
      kind: 'spot-margin',
      exchange: 'binance-margin',
      mode: 'isolated',
      convention: ISOLATED_CONVENTION,
      pairs,
      worstPair: worst,
      // An unknown pair could be worse than every known one: the account figure is then unknown.
      marginLevel: unknown || !w ? null : w.marginLevel,
      riskRatio: unknown || !w ? null : w.riskRatio,
      liquidated: pairs.some((p) => p.liquidated === true) ? true : unknown ? null : w ? w.liquidated : false,
      reasons,
    };
    return out;
  }
  const reasons: Reason[] = [];
  const th = spotMarginThresholds(snap, snap.thresholds, reasons);
  const pro = snap.variant === 'pro';
  const r = evaluateLevel(snap.assets, snap.quoteAsset, stableSet(snap.quoteAsset, snap.stableAssets), th, snap.displayed, !pro, reasons, snap.unread ?? []);
  const res: SpotMarginCrossRisk = {
    kind: 'spot-margin',
    exchange: 'binance-margin',
    mode: 'cross',
    variant: snap.variant,
    convention: pro ? PRO_CONVENTION : CLASSIC_CONVENTION,
    ...r,
  };
  return res;
}
