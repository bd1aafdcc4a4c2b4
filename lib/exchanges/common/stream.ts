/**
 * The shapes and helpers every public mark-price stream adapter shares (pure; no registry, no
 * socket). An adapter (lib/exchanges/<id>/stream.ts) composes URLs and subscribe/unsubscribe/
 * keepalive messages and turns one raw text frame into a {@link StreamEvent}. The socket,
 * reconnects and timers live in lib/background/stream-client.ts; symbol filtering, ordering and
 * the clock check in {@link MarkGate}; the registry of adapters in lib/exchanges/streams.ts.
 *
 * Every price is a decimal string (never parsed to a JS number for arithmetic); every time is
 * milliseconds since the Unix epoch.
 */
import type { ExchangeId } from '../../engine/exchanges';

/**
 * Who a stream serves: a futures exchange account, or `binance-spot`, the public spot streams
 * that price Binance spot margin accounts (lib/exchanges/binance-margin/stream.ts).
 */
export type StreamSource = ExchangeId | 'binance-spot';

/**
 * Most stream symbols (and tier-table symbols) requested per exchange. A cross-margin account
 * rarely holds more than a handful of positions; the cap bounds subscriptions and REST requests
 * against a hostile or broken page read that lists hundreds of symbols. Symbols beyond it are
 * reported (StreamStatus `overCap`), never silently dropped.
 */
export const MAX_SYMBOLS_PER_EXCHANGE = 50;

/**
 * One mark price as an adapter parses it from a frame. `symbol` is the stream's spelling
 * (e.g. `BTC-USDT-SWAP` on OKX).
 */
export interface StreamMark {
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

/**
 * One admitted mark price as the stream client hands it on: the parsed mark plus the local time
 * its frame was received. Staleness is measured on `receivedAt` (our clock, monotone enough per
 * symbol), never on the exchange's `time` (another clock, which may be skewed or wrong).
 */
export interface MarkTick extends StreamMark {
  /** Local receive time of the frame that carried this mark (ms epoch, the stream client's `now()`). */
  receivedAt: number;
}

/** Why a frame (or a tick inside it) was refused. Counted per reason in the stream status. */
export type RejectReason = 'malformed' | 'non-positive' | 'wrong-symbol' | 'out-of-order' | 'future';

/** Every {@link RejectReason}, in display order. */
export const REJECT_REASONS: readonly RejectReason[] = ['malformed', 'non-positive', 'wrong-symbol', 'out-of-order', 'future'];

/** What one frame means. */
export type StreamEvent =
  | { kind: 'marks'; marks: StreamMark[]; rejected?: { reason: RejectReason; detail: string }[] }
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
  exchange: StreamSource;
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


/** Connection status of one exchange's stream, stored for the popup (lib/storage.ts `streamStatus`). */
export interface StreamStatus {
  exchange: StreamSource;
  state: 'idle' | 'connecting' | 'open' | 'closed';
  /** Stream symbols currently subscribed (at most {@link MAX_SYMBOLS_PER_EXCHANGE}). */
  symbols: string[];
  /** Stream symbols wanted but not subscribed because of {@link MAX_SYMBOLS_PER_EXCHANGE} (their marks come from the page only). */
  overCap: string[];
  /** ms epoch (local clock) of the last open, last frame of any kind, last admitted mark. */
  connectedAt: number | null;
  lastMessageAt: number | null;
  lastMarkAt: number | null;
  /** Connections opened after the first one (drops, keepalive failures). */
  reconnects: number;
  /** Frames or ticks refused, by reason. */
  rejected: Record<RejectReason, number>;
  /** Error frames sent by the exchange, and the last one. */
  errors: number;
  lastError: string | null;
}

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
export function fundingFields(rate: unknown, nextTime: unknown): Pick<StreamMark, 'fundingRate' | 'nextFundingTime'> {
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

/**
 * How far ahead of the local clock a mark's exchange time may be (ms): ordinary clock skew
 * between the exchange and this machine plus delivery jitter. A mark stamped further ahead is
 * refused as `future` (a wrong or hostile clock; its price is not trusted either).
 */
export const FUTURE_TOLERANCE_MS = 5_000;

/**
 * Admits marks only for subscribed symbols, in time order per symbol, and never from the future.
 *
 * - Not subscribed: `wrong-symbol`.
 * - Exchange time more than {@link FUTURE_TOLERANCE_MS} ahead of `now` (the local receive time):
 *   `future`, and the gate's ordering memory is left untouched.
 * - Older than the ordering memory of its symbol: `out-of-order`. An equal time is admitted
 *   (exchanges repeat event times at millisecond resolution).
 *
 * The ordering memory of a symbol is `min(time, now)` of the last admitted mark: a mark admitted
 * within the tolerance ahead is remembered at its local receive time, so it can never hold back a
 * later mark stamped at or after that moment. Hence no single frame, whatever its time stamp, can
 * freeze a symbol's price: at worst it is refused and counted.
 */
export class MarkGate {
  private readonly last = new Map<string, number>();
  constructor(private subscribed: ReadonlySet<string>) {}

  /** Replace the subscribed symbol set (keeps the ordering memory of symbols still held). */
  setSymbols(symbols: ReadonlySet<string>): void {
    this.subscribed = symbols;
  }

  /**
   * Admit or refuse one mark.
   * @param now - local receive time of its frame (ms epoch).
   */
  admit(tick: StreamMark, now: number = Date.now()): { ok: true } | { ok: false; reason: RejectReason; detail: string } {
    if (!this.subscribed.has(tick.symbol)) return { ok: false, reason: 'wrong-symbol', detail: `not subscribed: ${tick.symbol}` };
    if (tick.time > now + FUTURE_TOLERANCE_MS) {
      return { ok: false, reason: 'future', detail: `${tick.symbol} time ${tick.time} is ${tick.time - now} ms ahead of the local clock (${now})` };
    }
    const prev = this.last.get(tick.symbol);
    if (prev !== undefined && tick.time < prev) {
      return { ok: false, reason: 'out-of-order', detail: `${tick.symbol} time ${tick.time} < last ${prev}` };
    }
    this.last.set(tick.symbol, Math.min(tick.time, now));
    return { ok: true };
  }
}
