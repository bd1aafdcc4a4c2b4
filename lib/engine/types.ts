/**
 * Engine output shapes. Every figure is a decimal string, or `null` when it is unknown;
 * each `null` has at least one entry in the nearest `reasons` list saying why.
 * Money is in the account's settlement asset (USDT/USDC for linear, the coin for inverse).
 */
import type { ExchangeId } from './exchanges';
import type { ContractKind, MarginMode, Side } from './snapshot';

/** Why a figure is unknown, or a caveat about it. `field` names the figure (e.g. `liquidationPrice`). */
export interface Reason {
  field: string;
  reason: string;
  /** True when the figure does not exist (e.g. a fully hedged symbol has no liquidation price), as opposed to unknown. */
  none?: true;
}

/** Our figure beside the exchange's displayed one. */
export interface Reconciliation {
  field: string;
  ours: string | null;
  theirs: string;
  /** ours − theirs, or null when ours is unknown. */
  diff: string | null;
  /** Absolute tolerance applied, same unit as the field. */
  tolerance: string;
  /** True when |diff| > tolerance, or ours is unknown while the exchange shows a figure. */
  mismatch: boolean;
}

/** The maintenance tier applied to a position. */
export interface TierUsed {
  /** Maintenance margin rate, fraction. */
  mmr: string;
  /** Maintenance amount (Binance cum, Bybit/Hyperliquid deduction), settlement asset. */
  maintAmount: string;
  /** 1-based tier number in the table; absent for overrides and flat rates. */
  index?: number;
  /** Where it came from: the snapshot's `tier` override, or a table's `source`. */
  source: string;
}

/** How an exchange states its margin ratio. */
export interface RatioConvention {
  /** `lower-is-safer`: MM / margin balance (Binance, Bybit, Hyperliquid). `higher-is-safer`: equity / (MM + fees) (OKX). */
  direction: 'lower-is-safer' | 'higher-is-safer';
  /** Human definition, e.g. "maintenance margin / margin balance". */
  definition: string;
}

export interface PositionRisk {
  symbol: string;
  side: Side;
  marginMode: MarginMode;
  contract: ContractKind;
  /** As in the snapshot: base units (linear) or contracts (inverse). */
  size: string;
  entryPrice: string;
  markPrice: string | null;
  /** |position value| at mark, settlement asset (inverse: coin = contracts × contractSize / mark). */
  notional: string | null;
  /** At mark, settlement asset, positive = profit. */
  unrealizedPnl: string | null;
  initialMargin: string | null;
  maintenanceMargin: string | null;
  tier: TierUsed | null;
  /** Mark price at which this position is liquidated (cross: others held at their marks), as solved (8 dp, toward the mark). */
  liquidationPrice: string | null;
  /**
   * `liquidationPrice` as the exchange prints it: on the symbol's tick, rounded toward the mark, OKX
   * isolated one more tick toward the mark (./ticks.ts). Compared with the page's figure in
   * `reconciliation`. Without a known tick: `liquidationPrice` itself. Null when that is null.
   */
  liquidationPriceDisplayed: string | null;
  /** Mark price at which the margin behind this position is exhausted (equity = 0; Bybit classic: equity = the fee to close there). */
  bankruptcyPrice: string | null;
  /** |mark − liquidation| / mark, fraction; 0 when already past liquidation. */
  distanceToLiquidation: string | null;
  /** Isolated positions: the position's own margin ratio in the exchange's convention, fraction. */
  marginRatio: string | null;
  reasons: Reason[];
  reconciliation: Reconciliation[];
}

export interface AccountRisk {
  exchange: ExchangeId;
  positionMode: 'one-way' | 'hedge';
  /** Cross wallet balance as given. */
  walletBalance: string | null;
  /** Σ unrealized PnL of cross positions at mark. */
  unrealizedPnl: string | null;
  /** Cross margin balance = wallet balance + cross unrealized PnL. */
  marginBalance: string | null;
  /** Σ maintenance margin of cross positions (OKX: without the liquidation fee, see `liquidationFee`). */
  maintenanceMargin: string | null;
  /** OKX only: taker fee × cross position value, added to MM in its margin ratio; "0" elsewhere. */
  liquidationFee: string | null;
  /** Σ initial margin of cross positions (notional at mark / leverage). */
  initialMargin: string | null;
  /** max(0, margin balance − cross initial margin); open orders are not seen, so this is an upper bound. */
  availableBalance: string | null;
  /** The exchange's own margin ratio for the cross account, fraction, in its own direction. */
  marginRatio: string | null;
  marginRatioConvention: RatioConvention;
  /** Normalized: (MM + liquidation fee) / margin balance. 1 = liquidation on every exchange; lower is safer. */
  riskRatio: string | null;
  /** True when the cross account is at or past liquidation (risk ratio ≥ 1 or margin balance ≤ 0); null when unknown. */
  liquidated: boolean | null;
  /** Σ |cross notional| / margin balance. */
  effectiveLeverage: string | null;
  /** Uniform move x (all marks × (1 + x)) at which the cross account is liquidated, fraction; `down` ≤ 0 ≤ `up`. */
  liquidationMove: { down: string | null; up: string | null };
  /** Cross margin balance + Σ isolated (margin + unrealized PnL): what the account is worth now. */
  equity: string | null;
  positions: PositionRisk[];
  /** Index into `positions` of the position nearest to liquidation (smallest distance), or null. */
  firstToLiquidate: number | null;
  reasons: Reason[];
  reconciliation: Reconciliation[];
}
