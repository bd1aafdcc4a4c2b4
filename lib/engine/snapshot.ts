/**
 * Account snapshot: the one data model that page readers produce, the background
 * consumes and the engine evaluates. It crosses every boundary as JSON, so every number
 * is a decimal string (never a JS number: `0.1 + 0.2` must not happen to money).
 *
 * Units and signs:
 * - money (`walletBalance`, `isolatedMargin`, `displayed.*` amounts) is in the account's
 *   settlement asset: USDT/USDC for linear accounts, the base coin for inverse (COIN-M) ones;
 * - `size` is always positive, its direction is `side`. Linear: base units (BTC for
 *   BTCUSDT). Inverse: contracts, each worth `contractSize` quote units (USD);
 * - rates (`takerFeeRate`, `tier.mmr`, `displayed.marginRatio`) are fractions, not percents
 *   (`"0.004"` means 0.4 %);
 * - times are milliseconds since the Unix epoch.
 *
 * Validation is by valibot; {@link parseSnapshot} throws a {@link SnapshotError} whose
 * message names the offending field, e.g. `positions[1].size: must be > 0 (got "-1")`.
 */
import * as v from 'valibot';

import { EXCHANGES, type ExchangeId } from './exchanges';

export { EXCHANGES, type ExchangeId };

/** Largest magnitude accepted for any amount or price. Beyond it, input is treated as corrupt. */
export const MAX_ABS = '1e15';
/** Most positions a snapshot may hold (bounded work for the engine and the UI). */
export const MAX_POSITIONS = 500;

const DECIMAL_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d{1,3})?$/;

function decimalString(opts: { positive?: boolean; nonNegative?: boolean; max?: number } = {}) {
  const max = opts.max ?? Number(MAX_ABS);
  return v.pipe(
    v.string('must be a decimal string'),
    v.maxLength(40, 'is too long for a decimal string'),
    v.regex(DECIMAL_RE, (issue) => `must be a decimal string (got ${JSON.stringify(issue.input)})`),
    v.check((s) => Math.abs(Number(s)) <= max, (issue) => `is out of range: |x| must be <= ${max} (got ${JSON.stringify(issue.input)})`),
    v.check((s) => !opts.positive || Number(s) > 0, (issue) => `must be > 0 (got ${JSON.stringify(issue.input)})`),
    v.check((s) => !opts.nonNegative || Number(s) >= 0, (issue) => `must be >= 0 (got ${JSON.stringify(issue.input)})`),
  );
}
// Note: `Number(s)` above is used only to range-check a string that already matched the
// decimal grammar; no money value is ever computed from it.

const Amount = decimalString();
const NonNegative = decimalString({ nonNegative: true });
const Positive = decimalString({ positive: true });
const Fraction = decimalString({ nonNegative: true, max: 10 });
const Leverage = decimalString({ positive: true, max: 1000 });

export const TierOverrideSchema = v.object({
  /** Maintenance margin rate, fraction. */
  mmr: Fraction,
  /** Maintenance amount (Binance `cum`, Bybit/Hyperliquid deduction), settlement asset. */
  maintAmount: NonNegative,
});

export const PositionDisplayedSchema = v.object({
  liquidationPrice: v.optional(v.nullable(Amount)),
  marginRatio: v.optional(v.nullable(Amount)),
  unrealizedPnl: v.optional(v.nullable(Amount)),
  margin: v.optional(v.nullable(Amount)),
});

export const PositionSchema = v.object({
  symbol: v.pipe(v.string(), v.regex(/^[A-Za-z0-9._:\-/]{1,40}$/, 'must be an exchange symbol such as BTCUSDT')),
  side: v.picklist(['long', 'short'], 'must be "long" or "short"'),
  size: Positive,
  contract: v.picklist(['linear', 'inverse'], 'must be "linear" or "inverse"'),
  /** Contract value: quote units per contract (inverse), base units per contract (OKX linear ctVal). */
  contractSize: v.optional(Positive),
  entryPrice: Positive,
  markPrice: v.nullable(Positive),
  marginMode: v.picklist(['cross', 'isolated'], 'must be "cross" or "isolated"'),
  leverage: v.nullable(Leverage),
  /** Isolated position's wallet (Binance isolatedWallet, excludes unrealized PnL). Isolated only. */
  isolatedMargin: v.optional(v.nullable(NonNegative)),
  maxLeverage: v.optional(Leverage),
  tier: v.optional(TierOverrideSchema),
  displayed: v.optional(PositionDisplayedSchema),
});

/**
 * What the exchange's account panel shows. `marginBalance` and `unrealizedPnl` are whole-account
 * figures (wallet + every unrealized PnL, cross and isolated), compared with the engine's `equity`
 * and total unrealized PnL; `marginRatio` and `maintenanceMargin` are the cross account's.
 */
export const AccountDisplayedSchema = v.object({
  marginRatio: v.optional(v.nullable(Amount)),
  maintenanceMargin: v.optional(v.nullable(Amount)),
  marginBalance: v.optional(v.nullable(Amount)),
  availableBalance: v.optional(v.nullable(Amount)),
  unrealizedPnl: v.optional(v.nullable(Amount)),
});

export const SourceSchema = v.object({
  url: v.optional(v.pipe(v.string(), v.maxLength(2048))),
  readAt: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
  reader: v.optional(v.pipe(v.string(), v.maxLength(100))),
});

/** Most open orders a snapshot may hold. */
export const MAX_ORDERS = 500;

/**
 * Order kinds as the exchanges' open-orders / TP-SL views show them. `stop-*` and
 * `take-profit-*` fire when the mark (or last) price reaches `triggerPrice`; `trailing-stop`
 * has a trigger that follows the price (`triggerPrice` = its current trigger when shown).
 */
export const ORDER_TYPES = ['limit', 'market', 'stop-market', 'stop-limit', 'take-profit-market', 'take-profit-limit', 'trailing-stop'] as const;
/** Order types that wait for a trigger price. */
export const TRIGGER_TYPES: readonly OrderType[] = ['stop-market', 'stop-limit', 'take-profit-market', 'take-profit-limit', 'trailing-stop'];

/**
 * One open order (or position-attached TP/SL). Units as positions: `size` in base units
 * (linear) or contracts (inverse); prices in quote units.
 * - `side`: `buy` or `sell`; a reduce-only `sell` closes (part of) a long, a reduce-only `buy` a short.
 * - `triggerPrice`: trigger types only; `null` = the page shows the order but not its trigger.
 * - `price`: limit price of limit types; absent for market types.
 * - `size` or `closePosition: true` (closes whatever the position is when it fires); `size: null`
 *   with no `closePosition` = size not shown (unknown).
 * - `reduceOnly`: `null` = not shown.
 */
export const OrderSchema = v.object({
  symbol: v.pipe(v.string(), v.regex(/^[A-Za-z0-9._:\-/]{1,40}$/, 'must be an exchange symbol such as BTCUSDT')),
  side: v.picklist(['buy', 'sell'], 'must be "buy" or "sell"'),
  type: v.picklist(ORDER_TYPES, `must be one of ${ORDER_TYPES.join(', ')}`),
  triggerPrice: v.optional(v.nullable(Positive)),
  price: v.optional(v.nullable(Positive)),
  size: v.optional(v.nullable(Positive)),
  closePosition: v.optional(v.boolean()),
  reduceOnly: v.nullable(v.boolean()),
});

export const AccountSnapshotSchema = v.object({
  exchange: v.picklist(EXCHANGES, `must be one of ${EXCHANGES.join(', ')}`),
  positionMode: v.picklist(['one-way', 'hedge'], 'must be "one-way" or "hedge"'),
  /** Cross wallet balance, settlement asset; excludes unrealized PnL and isolated wallets. */
  walletBalance: v.nullable(Amount),
  takerFeeRate: v.optional(Fraction),
  /**
   * Bybit only: `uta` (Unified Trading Account, the default when absent) or `classic` (the older
   * contract account, still in use for inverse contracts), read from the page where it shows.
   * Classic accounts use entry-value MM and the fee to close at the bankruptcy price.
   */
  accountType: v.optional(v.picklist(['uta', 'classic'], 'must be "uta" or "classic"')),
  source: v.optional(SourceSchema),
  displayed: v.optional(AccountDisplayedSchema),
  positions: v.pipe(v.array(PositionSchema), v.maxLength(MAX_POSITIONS, `must hold at most ${MAX_POSITIONS} positions`)),
  /** Open orders read from the page; absent = not read (unknown), `[]` = the page shows none. */
  orders: v.optional(v.pipe(v.array(OrderSchema), v.maxLength(MAX_ORDERS, `must hold at most ${MAX_ORDERS} orders`))),
  /**
   * False when `orders` may miss open orders (e.g. only the positions table's TP/SL was read while
   * the open-orders tab shows others): a position with no stop among them is then "unknown", not
   * "no stop". Absent = `orders` is the complete list.
   */
  ordersComplete: v.optional(v.boolean()),
});

export type AccountSnapshot = v.InferOutput<typeof AccountSnapshotSchema>;
export type PositionSnapshot = v.InferOutput<typeof PositionSchema>;
export type TierOverride = v.InferOutput<typeof TierOverrideSchema>;
export type OrderSnapshot = v.InferOutput<typeof OrderSchema>;
export type OrderType = (typeof ORDER_TYPES)[number];
export type Side = PositionSnapshot['side'];
export type MarginMode = PositionSnapshot['marginMode'];
export type ContractKind = PositionSnapshot['contract'];

/** Thrown for input that does not match the snapshot schema. `field` is a dotted path. */
export class SnapshotError extends Error {
  override name = 'SnapshotError';
  constructor(
    readonly field: string,
    readonly problem: string,
  ) {
    super(`${field}: ${problem}`);
  }
}

function pathOf(issue: v.BaseIssue<unknown>): string {
  let out = '';
  for (const item of issue.path ?? []) {
    const key = (item as { key: unknown }).key;
    out += typeof key === 'number' ? `[${key}]` : out ? `.${String(key)}` : String(key);
  }
  return out || '(snapshot)';
}

/** Validation result without throwing: `{ ok: true, snapshot }` or `{ ok: false, errors }`. */
export function safeParseSnapshot(input: unknown):
  | { ok: true; snapshot: AccountSnapshot }
  | { ok: false; errors: SnapshotError[] } {
  const result = v.safeParse(AccountSnapshotSchema, input);
  if (result.success) {
    const semantic = checkSemantics(result.output);
    return semantic.length ? { ok: false, errors: semantic } : { ok: true, snapshot: result.output };
  }
  return { ok: false, errors: result.issues.map((i) => new SnapshotError(pathOf(i), i.message)) };
}

/**
 * Validate unknown input as an {@link AccountSnapshot}.
 * @throws {SnapshotError} for the first problem found, naming the field.
 */
export function parseSnapshot(input: unknown): AccountSnapshot {
  const r = safeParseSnapshot(input);
  if (!r.ok) throw r.errors[0]!;
  return r.snapshot;
}

/** Rules that span fields and that the structural schema cannot state. */
function checkSemantics(s: AccountSnapshot): SnapshotError[] {
  const errors: SnapshotError[] = [];
  const seen = new Map<string, number>();
  if (s.accountType !== undefined && s.exchange !== 'bybit') {
    errors.push(new SnapshotError('accountType', `is only allowed on Bybit snapshots (got ${JSON.stringify(s.accountType)} on ${s.exchange})`));
  }
  s.positions.forEach((p, i) => {
    const at = `positions[${i}]`;
    if (p.contract === 'inverse' && p.contractSize === undefined) {
      errors.push(new SnapshotError(`${at}.contractSize`, 'is required for inverse contracts (quote units per contract)'));
    }
    if (p.marginMode === 'cross' && p.isolatedMargin != null) {
      errors.push(new SnapshotError(`${at}.isolatedMargin`, 'is only allowed on isolated positions'));
    }
    const key = `${p.symbol}|${p.marginMode}|${s.positionMode === 'hedge' ? p.side : ''}`;
    const prev = seen.get(key);
    if (prev !== undefined) {
      errors.push(
        new SnapshotError(
          `${at}.symbol`,
          `duplicates positions[${prev}] (${p.symbol} ${p.marginMode}${s.positionMode === 'hedge' ? ' ' + p.side : ''}); ` +
            (s.positionMode === 'one-way' ? 'one-way mode holds one position per symbol' : 'hedge mode holds one leg per side'),
        ),
      );
    }
    seen.set(key, i);
  });
  s.orders?.forEach((o, i) => {
    const at = `orders[${i}]`;
    const trigger = TRIGGER_TYPES.includes(o.type);
    if (!trigger && o.triggerPrice != null) errors.push(new SnapshotError(`${at}.triggerPrice`, `is only allowed on trigger orders (not ${o.type})`));
    if (trigger && o.triggerPrice === undefined) errors.push(new SnapshotError(`${at}.triggerPrice`, `is required for ${o.type} (null when the page does not show it)`));
    if (o.closePosition && o.size != null) errors.push(new SnapshotError(`${at}.size`, 'give size or closePosition, not both'));
    if (o.size === undefined && !o.closePosition) errors.push(new SnapshotError(`${at}.size`, 'is required unless closePosition is true (null when not shown)'));
  });
  return errors;
}

// ---------------------------------------------------------------------------------------------
// Spot margin accounts (Binance Cross Margin and Isolated Margin). A separate account kind,
// told apart by `kind: 'spot-margin'`; futures snapshots (no `kind`) are unchanged.
//
// Units: every amount is in units of its own asset (`free: "0.5"` of BTC is 0.5 BTC);
// `price` is that asset's price in the account's `quoteAsset` (USDT by default: Binance values
// the account in BTC, but the margin level is a ratio of two values in the same unit, so any
// common quote gives the same level). Thresholds are margin levels (plain ratios, "1.1").
// Sources: https://www.binance.com/en/support/faq/binance-margin-level-and-margin-call-360030493931,
// https://developers.binance.com/docs/margin_trading/account/Query-Cross-Margin-Account-Details
// (field names free / locked / borrowed / interest / netAsset).
// ---------------------------------------------------------------------------------------------

/** Most assets a cross margin snapshot may hold, most pairs an isolated one may hold. */
export const MAX_SPOT_ASSETS = 300;

const AssetName = v.pipe(v.string(), v.regex(/^[A-Za-z0-9]{1,20}$/, 'must be an asset ticker such as BTC'));
const Level = decimalString({ positive: true, max: 1000 });

/** One asset's balances in a margin account (Binance `userAssets[]`). */
export const SpotMarginAssetSchema = v.object({
  asset: AssetName,
  /** Available, asset units. */
  free: NonNegative,
  /** In open orders, asset units. */
  locked: NonNegative,
  /** Outstanding loan principal, asset units. */
  borrowed: NonNegative,
  /** Outstanding interest, asset units. */
  interest: NonNegative,
  /** Price in the account's quote asset; null = unknown (the quote asset itself is always 1). */
  price: v.nullable(Positive),
});

/** Margin-level thresholds (ratios). Absent ones take the documented defaults (see spotMarginThresholds.ts). */
export const SpotMarginThresholdsSchema = v.object({
  /** Binance `normalBar`: above it borrowing/transfers are allowed. Informational. */
  normal: v.optional(Level),
  /** Binance `marginCallBar`. */
  marginCall: v.optional(Level),
  /** Binance `forceLiquidationBar`. */
  liquidation: v.optional(Level),
});

/** What the exchange shows for a margin account or pair. */
export const SpotMarginDisplayedSchema = v.object({
  marginLevel: v.optional(v.nullable(Amount)),
  /** In the account's quote asset. */
  totalAssetValue: v.optional(v.nullable(Amount)),
  totalLiability: v.optional(v.nullable(Amount)),
  netAsset: v.optional(v.nullable(Amount)),
  /** Isolated pairs: the exchange's liquidation price of the base asset, in the quote. */
  liquidationPrice: v.optional(v.nullable(Amount)),
});

/** One Isolated Margin pair: its own base and quote balances, its own level and thresholds. */
export const IsolatedPairSchema = v.object({
  symbol: v.pipe(v.string(), v.regex(/^[A-Z0-9]{2,30}$/, 'must be a pair symbol such as BTCUSDT')),
  base: v.object({ asset: AssetName, free: NonNegative, locked: NonNegative, borrowed: NonNegative, interest: NonNegative }),
  quote: v.object({ asset: AssetName, free: NonNegative, locked: NonNegative, borrowed: NonNegative, interest: NonNegative }),
  /** Price of the base asset in the pair's quote asset (index price); null = unknown. */
  price: v.nullable(Positive),
  thresholds: v.optional(SpotMarginThresholdsSchema),
  displayed: v.optional(SpotMarginDisplayedSchema),
});

export const SpotMarginSnapshotSchema = v.object({
  kind: v.literal('spot-margin', 'must be "spot-margin"'),
  exchange: v.picklist(['binance-margin'], 'must be "binance-margin"'),
  /** `cross`: one Cross Margin account (assets). `isolated`: Isolated Margin pairs. */
  mode: v.picklist(['cross', 'isolated'], 'must be "cross" or "isolated"'),
  /**
   * Cross Margin account type: `classic` (Binance MARGIN_1, the level computed here), `pro`
   * (MARGIN_2: a different definition; our level is then unknown and the exchange's is used).
   */
  variant: v.optional(v.picklist(['classic', 'pro'], 'must be "classic" or "pro"'), 'classic'),
  /** Cross Margin Classic leverage tier (3x or 5x: their margin-call bars differ). */
  maxLeverage: v.optional(v.picklist(['3', '5'], 'must be "3" or "5"')),
  /** The asset every price is quoted in. */
  quoteAsset: v.optional(AssetName, 'USDT'),
  /** Assets whose price is held fixed in moves and liquidation-price solving (default: the quote and USD stablecoins when the quote is one). */
  stableAssets: v.optional(v.pipe(v.array(AssetName), v.maxLength(50))),
  assets: v.optional(v.pipe(v.array(SpotMarginAssetSchema), v.maxLength(MAX_SPOT_ASSETS, `must hold at most ${MAX_SPOT_ASSETS} assets`)), []),
  pairs: v.optional(v.pipe(v.array(IsolatedPairSchema), v.maxLength(MAX_SPOT_ASSETS, `must hold at most ${MAX_SPOT_ASSETS} pairs`)), []),
  thresholds: v.optional(SpotMarginThresholdsSchema),
  displayed: v.optional(SpotMarginDisplayedSchema),
  /**
   * Assets (cross) or pairs (isolated) the page lists but the reader could not read. A missing
   * debt would make the level look safer than it is, so any entry makes the cross totals, level and
   * liquidation prices unknown (isolated: the named pairs are unknown, and the account's worst).
   */
  unread: v.optional(v.pipe(v.array(v.pipe(v.string(), v.maxLength(40))), v.maxLength(MAX_SPOT_ASSETS))),
  source: v.optional(SourceSchema),
});

export type SpotMarginSnapshot = v.InferOutput<typeof SpotMarginSnapshotSchema>;
export type SpotMarginAssetSnapshot = v.InferOutput<typeof SpotMarginAssetSchema>;
export type IsolatedPairSnapshot = v.InferOutput<typeof IsolatedPairSchema>;
export type SpotMarginThresholdsInput = v.InferOutput<typeof SpotMarginThresholdsSchema>;

/** True when the input claims to be a spot-margin snapshot (`kind: "spot-margin"`); futures snapshots have no `kind`. */
export function isSpotMarginInput(input: unknown): boolean {
  return typeof input === 'object' && input !== null && (input as { kind?: unknown }).kind === 'spot-margin';
}

/** Validation of a spot-margin snapshot without throwing. */
export function safeParseSpotMarginSnapshot(input: unknown):
  | { ok: true; snapshot: SpotMarginSnapshot }
  | { ok: false; errors: SnapshotError[] } {
  const result = v.safeParse(SpotMarginSnapshotSchema, input);
  if (!result.success) return { ok: false, errors: result.issues.map((i) => new SnapshotError(pathOf(i), i.message)) };
  const s = result.output;
  const errors: SnapshotError[] = [];
  if (s.mode === 'cross' && s.pairs.length) errors.push(new SnapshotError('pairs', 'is only allowed in isolated mode'));
  if (s.mode === 'isolated' && s.assets.length) errors.push(new SnapshotError('assets', 'is only allowed in cross mode (isolated pairs go in `pairs`)'));
  const seen = new Map<string, number>();
  const list = s.mode === 'cross' ? s.assets.map((a) => a.asset) : s.pairs.map((p) => p.symbol);
  list.forEach((name, i) => {
    const prev = seen.get(name);
    if (prev !== undefined) errors.push(new SnapshotError(`${s.mode === 'cross' ? 'assets' : 'pairs'}[${i}]`, `duplicates [${prev}] (${name})`));
    seen.set(name, i);
  });
  const t = s.thresholds;
  if (t?.marginCall && t.liquidation && Number(t.marginCall) <= Number(t.liquidation)) {
    errors.push(new SnapshotError('thresholds.marginCall', `must be above thresholds.liquidation (${t.liquidation})`));
  }
  return errors.length ? { ok: false, errors } : { ok: true, snapshot: s };
}

/**
 * Validate unknown input as a {@link SpotMarginSnapshot}.
 * @throws {SnapshotError} for the first problem found, naming the field.
 */
export function parseSpotMarginSnapshot(input: unknown): SpotMarginSnapshot {
  const r = safeParseSpotMarginSnapshot(input);
  if (!r.ok) throw r.errors[0]!;
  return r.snapshot;
}

/** Either kind: a futures {@link AccountSnapshot} or a {@link SpotMarginSnapshot}. */
export type AnySnapshot = AccountSnapshot | SpotMarginSnapshot;

/** Validate either kind, dispatching on `kind`. @throws {SnapshotError} */
export function parseAnySnapshot(input: unknown): AnySnapshot {
  return isSpotMarginInput(input) ? parseSpotMarginSnapshot(input) : parseSnapshot(input);
}
