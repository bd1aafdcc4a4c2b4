/**
 * Public candle sources for realized volatility (lib/engine/volatility.ts): one per exchange, in
 * lib/exchanges/<id>/candles.ts, behind ./../candle-sources.ts. Each fetches the last 7 days of
 * 1-hour candles of one symbol from the exchange's public, keyless REST (URLs composed by
 * lib/exchanges/endpoints.ts `candleUrl`, so tests and the e2e harness can redirect them to
 * loopback) and validates the answer with valibot. Only closed candles are returned.
 */
import * as v from 'valibot';
import type { Candle } from '../../engine/volatility';

/** 1 hour, ms: the candle interval every source asks for. */
export const CANDLE_INTERVAL_MS = 3_600_000;
/** Candles asked for: 7 days of 1-hour candles + the one before (168 returns) + the open one. */
export const CANDLES_WANTED = 170;

export interface CandleFetchContext {
  fetch: typeof fetch;
  /** Full URL for a path and query on this exchange's candle origin. */
  url(path: string, query?: string): string;
  now: number;
}

export interface CandleSource {
  /** Which price the candles follow: the mark price, or (Hyperliquid) the last trade. */
  price: 'mark' | 'index' | 'trade';
  /** Documentation of the endpoint. */
  doc: string;
  /** Closed 1-hour candles of `symbol`, oldest first. @throws Error naming the endpoint on any failure. */
  fetchCandles(symbol: string, ctx: CandleFetchContext): Promise<Candle[]>;
}

/** A positive decimal price as the exchanges write it (string). */
export const PriceString = v.pipe(v.string(), v.regex(/^\d+(?:\.\d+)?$/, 'must be a decimal price'), v.check((s) => /[1-9]/.test(s), 'must be > 0'));
/** Milliseconds since the epoch, as a number or a digit string. */
export const MsTime = v.pipe(v.union([v.number(), v.pipe(v.string(), v.regex(/^\d{10,16}$/))]), v.transform(Number), v.integer(), v.minValue(0));

/** Candles opened at `openTime` are closed once `openTime + interval ≤ now`; keep those, oldest first, one per open time. */
export function closedCandles(candles: readonly Candle[], now: number): Candle[] {
  const byTime = new Map<number, Candle>();
  for (const c of candles) if (c.openTime + CANDLE_INTERVAL_MS <= now) byTime.set(c.openTime, c);
  return [...byTime.values()].sort((a, b) => a.openTime - b.openTime);
}
