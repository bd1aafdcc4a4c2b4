/**
 * What every exchange's account-API module (lib/exchanges/<id>/api.ts) gets and returns: a
 * context to sign and send with, a permission verdict, and a snapshot in the page readers' format.
 */
import type { AccountSnapshot } from '../engine/snapshot';
import type { EndpointOverride } from '../exchanges/endpoints';
import type { SigningKey } from './sign';

export interface ApiContext {
  fetch: typeof fetch;
  /** Clock, ms epoch (already corrected by any known server-time offset). */
  now: () => number;
  /** Loopback endpoint override (tests, e2e), or null. */
  override: EndpointOverride | null;
  key: SigningKey;
  /** SPKI PEM of our public key (null for OKX's HMAC key). */
  publicKeyPem: string | null;
  /** Request weight the exchange reports used in its current window, and the limit (Binance `X-MBX-USED-WEIGHT-1M`). */
  usedWeight?: (used: number, limit: number) => void;
}

/**
 * The read-only gate's verdict on a key. `refused` names each permission to switch off, in the
 * exchange's own words, so the trader can fix the key (or says why else it was refused).
 */
export type GateResult =
  | { ok: true; notes: string[]; expiresInDays: number | null }
  | { ok: false; reason: string; switchOff: string[] };

/** A snapshot from the account API plus what could not be included (shown in options; never silently dropped). */
export interface ApiSnapshot {
  snapshot: AccountSnapshot;
  /** e.g. `ETHUSD_PERP: inverse positions are not read through the API yet`. */
  problems: string[];
}

/**
 * What a private-stream frame means to the connection: `update` (the account changed: read it
 * now), `login-ok` (send {@link PrivateStreamSpec.afterLogin}), `auth-failed` (stop the stream; polling
 * goes on), `reconnect` (the server asks for a new connection, or the listen key expired), `ignore`.
 */
export type StreamEvent = 'update' | 'login-ok' | 'auth-failed' | 'reconnect' | 'ignore';

/**
 * One exchange's private user-data stream, used as a trigger: its events make the worker read the
 * account through REST at once (the pushes themselves are not parsed into snapshots: one mapping,
 * the REST one, and no partial-update bookkeeping). A (re)connect also reads at once, so an update
 * missed while the stream was down is never lost.
 */
export interface PrivateStreamSpec {
  /** Connection URL (Binance: creates a listen key first). */
  url(ctx: ApiContext): Promise<string>;
  /** Text frames to send once open (auth, subscriptions). */
  hello(ctx: ApiContext): Promise<string[]>;
  /** Text frames to send after `login-ok` (OKX subscribes after its login answer). */
  afterLogin?(ctx: ApiContext): string[];
  /** Application-level keepalive: the message and its period. */
  ping: { everyMs: number; message: () => string } | null;
  /** Meaning of one text frame. */
  classify(frame: string): StreamEvent;
  /** A REST keepalive and its period (Binance listen key: PUT every 30–50 min; 60 min validity). */
  keepalive?: { everyMs: number; run(ctx: ApiContext): Promise<void> };
  /** Reconnect before the server's connection lifetime ends (Binance: 24 h). */
  maxAgeMs?: number;
}

/** One exchange's account-API path. */
export interface ApiConnector {
  /** Query the key's permissions; refuse any key that can trade, transfer or withdraw. */
  gate(ctx: ApiContext): Promise<GateResult>;
  /** Positions and balances, mapped to the page readers' snapshot (`source.reader: 'api'`). */
  snapshot(ctx: ApiContext): Promise<ApiSnapshot>;
  /** The exchange's server time (ms epoch, public endpoint), to correct a skewed local clock. */
  serverTime(ctx: Pick<ApiContext, 'fetch' | 'override'>): Promise<number>;
  /** The private user-data stream. */
  stream: PrivateStreamSpec;
}
