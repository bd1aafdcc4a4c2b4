/**
 * Liquidation in units of volatility, per position and for the account: the distance from the
 * mark to the liquidation price in σ and the probability of touching it within 24 h, from the
 * symbol's realized 1-day σ ({@link realizedVolatility}) and the barrier formula of
 * {@link touchProbability} (driftless Brownian motion, reflection principle; sources there).
 *
 * Account figure: the largest per-position probability (and the smallest σ distance). Touching
 * any position's liquidation price (the others held at mark) liquidates the account, so this is
 * a lower bound on the account's probability; joint moves of several symbols are not modelled.
 */
import { D } from './decimal';
import type { AccountRisk } from './types';
import { sigmaDistance, touchProbability, type VolatilityEstimate } from './volatility';

export interface PositionOdds {
  /** Index into `risk.positions`. */
  position: number;
  symbol: string;
  /** 1-day σ of the symbol, fraction; null when unknown (see `reason`). */
  sigma: string | null;
  /** |ln(liquidation / mark)| / σ. */
  sigmaDistance: string | null;
  /** Probability of touching the liquidation price within 24 h, fraction in [0, 1]. */
  touch24h: string | null;
  /** The σ window in words, e.g. "1-day σ from 1-hour log returns over 7 days". */
  window: string | null;
  /** Why a figure is null. */
  reason: string | null;
}

export interface AccountOdds {
  positions: PositionOdds[];
  /** Largest `touch24h` over the positions (a lower bound for the account); null when none is known. */
  touch24h: string | null;
  /** Smallest `sigmaDistance`; null when none is known. */
  sigmaDistance: string | null;
  /** Index of the position with the largest probability. */
  worst: number | null;
  /** Positions whose probability is unknown while they have a liquidation price. */
  unknown: number;
}

/**
 * @param risk an evaluated account
 * @param vol symbol → its volatility estimate with a 1-day horizon (missing symbol = no candles)
 */
export function liquidationOdds(risk: AccountRisk, vol: Readonly<Record<string, VolatilityEstimate | undefined>>): AccountOdds {
  const positions = risk.positions.map((p, i): PositionOdds => {
    const o: PositionOdds = { position: i, symbol: p.symbol, sigma: null, sigmaDistance: null, touch24h: null, window: null, reason: null };
    const v = vol[p.symbol];
    if (!v) o.reason = 'no candles for this symbol: σ unknown';
    else if (v.sigma === null) o.reason = `σ unknown: ${v.reason}`;
    else if (v.window.horizonMs !== 86_400_000) o.reason = 'σ is not a 1-day σ';
    else {
      o.sigma = v.sigma;
      o.window = v.label;
    }
    if (p.liquidationPrice === null) o.reason ??= p.reasons.some((x) => x.field === 'liquidationPrice' && x.none) ? 'no liquidation price' : 'liquidation price unknown';
    else if (p.markPrice === null) o.reason ??= 'mark price unknown';
    else if (p.distanceToLiquidation === '0') {
      o.touch24h = '1';
      o.sigmaDistance = '0';
    } else if (o.sigma !== null) {
      o.sigmaDistance = sigmaDistance(p.markPrice, p.liquidationPrice, o.sigma);
      o.touch24h = touchProbability(p.markPrice, p.liquidationPrice, o.sigma);
    }
    return o;
  });
  let worst: number | null = null;
  let dist: string | null = null;
  for (const o of positions) {
    if (o.touch24h !== null && (worst === null || new D(o.touch24h).gt(positions[worst]!.touch24h!))) worst = o.position;
    if (o.sigmaDistance !== null && (dist === null || new D(o.sigmaDistance).lt(dist))) dist = o.sigmaDistance;
  }
  const unknown = positions.filter((o, i) => o.touch24h === null && risk.positions[i]!.liquidationPrice !== null).length;
  return { positions, touch24h: worst === null ? null : positions[worst]!.touch24h, sigmaDistance: dist, worst, unknown };
}
