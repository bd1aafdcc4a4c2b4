/**
 * Background-side registry of public mark-price stream adapters, and the shapes they share.
 *
 * An adapter is pure: it composes URLs and subscribe/unsubscribe/keepalive messages, and turns
 * one raw text frame into a {@link StreamEvent}. The socket, reconnects and timers live in
 * lib/background/stream-client.ts; symbol filtering and ordering in {@link MarkGate}.
 *
 * Every price is a decimal string (never parsed to a JS number for arithmetic); every time is
 * milliseconds since the Unix epoch.
 */
import type { ExchangeId } from '../engine/snapshot';
import { binanceCoinmStream } from './binance-coinm/stream';
import { binanceUsdmStream } from './binance-usdm/stream';
import { bybitStream } from './bybit/stream';
import { hyperliquidStream } from './hyperliquid/stream';
import { okxStream } from './okx/stream';

/** One mark price from a stream. `symbol` is the stream's spelling (e.g. `BTC-USDT-SWAP` on OKX). */
export interface MarkTick {
  symbol: string;
  /** Mark price, quote currency per base unit (USD per BTC), positive decimal string. */
  price: string;
  /** Exchange event time (ms epoch), or receive time where the exchange sends none (Hyperliquid). */
  time: number;
  /**
   * Current funding rate for the next funding time, a signed **fraction** as a decimal string
   * (`"0.0001"` = 0.01 %; positive: longs pay shorts). Absent when the stream carries none (OKX
   * mark-price channel, delivery futures) or sent a malformed value (the mark is still admitted).
   * Binance `r`, Bybit `fundingRate` (per funding interval); Hyperliquid `funding` (per hour).
   */
  fundingRate?: string;
  /** When that rate is next paid (ms epoch). Absent when unknown. */
  nextFundingTime?: number;
}

/** Why a frame (or a tick inside it) was refused. Counted per reason in the stream status. */
export type RejectReason = 'malformed' | 'non-positive' | 'wrong-symbol' | 'out-of-order';

/** What one frame means. */
export type StreamEvent =
  | { kind: 'marks'; marks: MarkTick[]; rejected?: { reason: RejectReason; detail: string }[] }
  | { kind: 'pong' }
  | { kind: 'ack' }
  | { kind: 'ignored'; detail: string }
  | { kind: 'error'; detail: string }
  | { kind: 'rejected'; reason: RejectReason; detail: string };

/** Per-connection parser (Bybit keeps a ticker cache to merge deltas into). */
export interface StreamParser {
  /** Parse one text frame. Never throws; `now` is the receive time in ms. */
  parse(raw: string, now: number): StreamEvent;
}

/** Application-level heartbeat an exchange expects from the client. */
export interface Keepalive {
  /** Send `message` after this long. */
  everyMs: number;
  /** `true`: the timer restarts on every received message (OKX: "reset a timer of N < 30 s"); `false`: fixed interval (Bybit: every 20 s). */
  idleOnly: boolean;
  message: string;
  /** Reconnect when no pong arrives within this long after a ping. */
  pongTimeoutMs: number;
}

/** Everything exchange-specific about one public mark-price stream. */
export interface StreamAdapter {
  exchange: ExchangeId;
  /** The stream's symbol for a snapshot symbol, or null when this stream cannot serve it. */
  streamSymbol(snapshotSymbol: string): string | null;
  /** URL query (without `?`) for the symbols known at connect time ('' for none). */
  connectQuery(symbols: readonly string[]): string;
  /** Frames to send after open, or when symbols are added. */
  subscribeMessages(symbols: readonly string[]): string[];
  /** Frames to send when symbols are no longer held. */
  unsubscribeMessages(symbols: readonly string[]): string[];
  keepalive: Keepalive | null;
  /** Reconnect when nothing at all arrives for this long (stream cadence × margin). */
  silenceTimeoutMs: number;
  createParser(): StreamParser;
}

/** The adapter for each exchange id. */
export const STREAM_ADAPTERS: Record<ExchangeId, StreamAdapter> = {
  'binance-usdm': binanceUsdmStream,
  'binance-coinm': binanceCoinmStream,
  bybit: bybitStream,
  okx: okxStream,
  hyperliquid: hyperliquidStream,
};

const POSITIVE_DECIMAL = /^(?:\d{1,20}(?:\.\d{1,20})?|\.\d{1,20})$/;

/**
 * Check a price field from a stream: a positive plain decimal string (numbers are accepted
 * only if finite, and converted with `String`, which is exact for what JSON delivered).
 * Returns the decimal string or a reject reason.
 */
export function checkPrice(value: unknown): { ok: true; price: string } | { ok: false; reason: RejectReason; detail: string } {
  const s = typeof value === 'number' && Number.isFinite(value) ? String(value) : value;
  if (typeof s !== 'string' || !POSITIVE_DECIMAL.test(s.startsWith('-') ? s.slice(1) : s)) {
    return { ok: false, reason: 'malformed', detail: `price is not a decimal: ${JSON.stringify(value)?.slice(0, 40)}` };
  }
  if (s.startsWith('-') || !/[1-9]/.test(s)) return { ok: false, reason: 'non-positive', detail: `price must be > 0 (got ${s})` };
  return { ok: true, price: s };
}

const RATE = /^-?(?:0(?:\.\d{1,20})?|\.\d{1,20})$/;

/**
 * Check a funding-rate field: a signed plain decimal string (or finite JSON number converted
 * with `String`) with |rate| < 1 (a fraction per funding interval; exchanges cap it at a few
 * percent). Returns the decimal string, or null when absent or malformed (never a reject: the
 * mark in the same message stays valid).
 */
export function checkRate(value: unknown): string | null {
  const s = typeof value === 'number' && Number.isFinite(value) ? String(value) : value;
  return typeof s === 'string' && RATE.test(s) ? s : null;
}

/**
 * The optional funding fields of a {@link MarkTick}, from a raw rate and next-funding time:
 * each is set only when valid (see {@link checkRate}, {@link checkTime}); the time is kept only
 * together with a rate.
 */
export function fundingFields(rate: unknown, nextTime: unknown): Pick<MarkTick, 'fundingRate' | 'nextFundingTime'> {
  const fundingRate = checkRate(rate);
  if (fundingRate === null) return {};
  const t = checkTime(nextTime);
  return t === null ? { fundingRate } : { fundingRate, nextFundingTime: t };
}

/** Parse an epoch-ms time given as number or digit string; null if absent or malformed. */
export function checkTime(value: unknown): number | null {
  const n = typeof value === 'string' && /^\d{1,16}$/.test(value) ? Number(value) : value;
  return typeof n === 'number' && Number.isSafeInteger(n) && n > 0 ? n : null;
}

/** Parse JSON without throwing. */
export function tryJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}

/** True for a non-null, non-array object. */
export function isObj(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** How far ahead of our clock a tick's event time may be (clock skew) before it is refused. */
export const MAX_TICK_AHEAD_MS = 5 * 60_000;

/**
 * Admits ticks only for subscribed symbols, in time order per symbol. A tick older than the
 * last admitted one for its symbol is `out-of-order`; an equal time is admitted (exchanges
 * repeat event times at millisecond resolution). A tick stamped more than
 * {@link MAX_TICK_AHEAD_MS} ahead of `now` is refused too: admitted, it would make every real
 * tick after it look out of order.
 */
export class MarkGate {
  private readonly last = new Map<string, number>();
  constructor(private subscribed: ReadonlySet<string>) {}

  /** Replace the subscribed symbol set (keeps the ordering memory of symbols still held). */
  setSymbols(symbols: ReadonlySet<string>): void {
    this.subscribed = symbols;
  }

  /** Admit or reject one tick. */
  admit(tick: MarkTick, now: number = Date.now()): { ok: true } | { ok: false; reason: RejectReason; detail: string } {
    if (!this.subscribed.has(tick.symbol)) return { ok: false, reason: 'wrong-symbol', detail: `not subscribed: ${tick.symbol}` };
    if (tick.time > now + MAX_TICK_AHEAD_MS) {
      return { ok: false, reason: 'out-of-order', detail: `${tick.symbol} time ${tick.time} is ahead of the clock (${now})` };
    }
    const prev = this.last.get(tick.symbol);
    if (prev !== undefined && tick.time < prev) {
      return { ok: false, reason: 'out-of-order', detail: `${tick.symbol} time ${tick.time} < last ${prev}` };
    }
    this.last.set(tick.symbol, tick.time);
    return { ok: true };
  }
}
