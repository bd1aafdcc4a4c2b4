/**
 * The interface every live instrument source implements (lib/exchanges/<id>/instrument-source.ts):
 * tick size, lot size and contract value per symbol from the exchange's public instruments endpoint.
 * The registry is lib/exchanges/instrument-sources.ts; the cache and refresh policy is
 * lib/background/instruments.ts (InstrumentService); bundled fallbacks are lib/exchanges/instruments.ts.
 */
import { D } from '../../engine/decimal';
import type { ExchangeId } from '../../engine/exchanges';
import type { InstrumentSpec } from '../../engine/instruments';
import type { TierFetchContext } from './tier-source';

/** Same capabilities as a tier source: a fetch (through ./rest.ts) and URLs from ../endpoints.ts. */
export type InstrumentFetchContext = TierFetchContext;

/** One exchange's live instruments endpoint. */
export interface InstrumentSource {
  exchange: ExchangeId;
  /**
   * Fetch, validate (valibot) and convert the specs of these snapshot symbols (at most
   * MAX_SYMBOLS_PER_EXCHANGE). Symbols the exchange does not list are left out.
   * @throws Error naming the endpoint and the field when a response does not validate.
   */
  fetchInstruments(symbols: readonly string[], ctx: InstrumentFetchContext): Promise<Record<string, InstrumentSpec>>;
}

/**
 * Why an instrument spec is implausible, or null: tick size (and lot size, contract value when
 * present) must be decimals > 0 and < 1e6; significant figures an integer 1–15. A live spec that
 * fails is refused and the bundled or cached one stays in use.
 */
export function instrumentProblem(spec: InstrumentSpec): string | null {
  const positive = (what: string, x: string | undefined): string | null => {
    if (x === undefined) return null;
    try {
      const d = new D(x);
      return d.gt(0) && d.lt(1e6) ? null : `${what} ${x} is not in (0, 1e6)`;
    } catch {
      return `${what} ${JSON.stringify(x)} is not a decimal`;
    }
  };
  const sf = spec.significantFigures;
  if (sf !== undefined && !(Number.isInteger(sf) && sf >= 1 && sf <= 15)) return `significant figures ${sf} is not an integer in 1–15`;
  return positive('tick size', spec.tickSize) ?? positive('lot size', spec.lotSize) ?? positive('contract value', spec.contractValue);
}
