/**
 * Optional read-only API connections in the worker (issue 18): for each exchange the trader
 * connected (a key in IndexedDB, lib/api/keystore.ts), run the read-only gate before first use
 * and again every {@link GATE_RECHECK_MS}, then read positions and balances on every watchdog tick
 * and feed them to the monitor as the account `api:<exchange>` through the same intake other
 * keyless sources use (`Monitor.putAccount`: same snapshot type, same engine, alerts and UI).
 *
 * - A key the gate refuses is never used for data; an account it fed keeps its last snapshot,
 *   which ages into STALE (never silently dropped), and the options page shows the reason.
 * - 429/418 (or Bybit/OKX "too many"): no request to that exchange before `backoffUntil`.
 * - Requests go only to the key's own exchange (lib/exchanges/endpoints.ts `apiOrigin`, `apiStreamUrl`).
 * - Monitoring of the exchange turned off in options → no request at all.
 * - Each read passes the engine's snapshot schema (as a page read does at intake) and is compared with
 *   fresh page reads of the same exchange (lib/engine/cross-check.ts; disagreements go to the status).
 * - A private user-data stream per connected exchange (./api-stream.ts) triggers a read on every account
 *   event and on every (re)connect; a skewed clock is corrected from the exchange's server time.
 * - A connected key found no longer read-only raises one sticky notification.
 */
import { API_ACCOUNT, API_EXCHANGES, API_NAMES, apiAccountKey, type ApiExchange } from '../api/exchanges';
import { ApiError } from '../api/client';
import { API_CONNECTORS } from '../api/connectors';
import type { StoredCredential } from '../api/keystore';
import type { ApiConnector, ApiContext } from '../api/types';
import { safeParseSnapshot, type AccountSnapshot } from '../engine/snapshot';
import { crossCheck } from '../engine/cross-check';
import type { ExchangeId } from '../engine/exchanges';
import type { EndpointOverride } from '../exchanges/endpoints';
import type { ApiConnectionStatus } from '../storage/api-status';
import type { ApiConnectionReply } from '../protocol';
import { KeyStore } from '../api/keystore';
import { apiStatusItem } from '../storage/api-status';
import type { Monitor } from './monitor';
import type { MonitorPorts } from './ports';
import type { NotificationText } from '../alerts/text';
import { PrivateStream } from './api-stream';

/** Days before the exchange expires a key from which a daily reminder is shown (reference account-apis.md §6 step 7). */
export const KEY_EXPIRY_WARN_DAYS = 14;
/** Re-run the read-only gate at least this often (a key's permissions can be edited after creation). */
export const GATE_RECHECK_MS = 24 * 60 * 60_000;
/** A stream event is answered by a REST read after this delay (events come in bursts: one read for the burst). */
export const STREAM_READ_DELAY_MS = 300;
/**
 * Least time between two stream-triggered reads of one exchange: Binance 5 s (a read weighs 20 of
 * its 2 400 per minute and IP: at most 240/min, 10 %), Bybit and OKX 2 s (per-UID limits of 50/s and 10/2 s).
 */
export const STREAM_READ_MIN_GAP_MS: Readonly<Record<ApiExchange, number>> = { binance: 5000, bybit: 2000, okx: 2000 };
/** Above this share of an exchange's reported request weight, reads pause for {@link WEIGHT_PAUSE_MS} (other tools share the IP). */
export const WEIGHT_SHARE_MAX = 0.5;
export const WEIGHT_PAUSE_MS = 60_000;

/** A page read is compared with the API read only when received within this long of it (both describe the same moment). */
export const CROSS_CHECK_WINDOW_MS = 90_000;

/** What the connection logic needs from the monitor and the browser. */
export interface ApiAccountsDeps {
  keys: Pick<KeyStore, 'get' | 'all' | 'delete'>;
  fetch?: typeof fetch;
  now: () => number;
  override: () => EndpointOverride | null;
  enabled: () => readonly ExchangeId[];
  putAccount(key: string, exchange: ExchangeId, label: string, snapshot: AccountSnapshot, at: number): Promise<void>;
  removeAccount(key: string): Promise<void>;
  /** Page-read accounts of `exchange` (label, snapshot, when received), for the page-vs-API cross-check. */
  pageAccounts?(exchange: ExchangeId): { label: string; snapshot: AccountSnapshot; at: number }[];
  /** Show a notification (a connected key found no longer read-only is said at once, loudly). */
  notify?: (id: string, text: NotificationText) => Promise<void>;
  /** WebSocket constructor for the private user-data streams; absent: REST polling only. */
  WebSocket?: unknown;
  /** Reconnect backoff of the private streams (tests shorten it). */
  streamBackoff?: { minMs: number; maxMs: number };
  loadStatus(): Promise<Partial<Record<ApiExchange, ApiConnectionStatus>>>;
  saveStatus(s: Partial<Record<ApiExchange, ApiConnectionStatus>>): Promise<void>;
  connectors?: Readonly<Record<ApiExchange, ApiConnector>>;
}

function emptyStatus(exchange: ApiExchange): ApiConnectionStatus {
  return { exchange, state: 'checking', reason: null, switchOff: [], notes: [], checkedAt: null, polledAt: null, pollError: null, problems: [], backoffUntil: null, expiresInDays: null };
}

function message(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).slice(0, 300);
}

export class ApiAccounts {
  private status: Partial<Record<ApiExchange, ApiConnectionStatus>> = {};
  private chain: Promise<unknown> = Promise.resolve();
  private loaded = false;
  /** Server time − local time per exchange (ms), learnt when a request was refused for its timestamp. */
  private offsets: Partial<Record<ApiExchange, number>> = {};
  private streams: Partial<Record<ApiExchange, PrivateStream>> = {};
  private readTimers: Partial<Record<ApiExchange, ReturnType<typeof setTimeout>>> = {};
  private lastReadAt: Partial<Record<ApiExchange, number>> = {};
  /** Highest request weight an exchange reported during the current read (Binance), with its limit. */
  private weight: Partial<Record<ApiExchange, { used: number; limit: number }>> = {};

  constructor(private readonly deps: ApiAccountsDeps) {}

  /** Current status per connected exchange (read-only view). */
  get statuses(): Readonly<Partial<Record<ApiExchange, ApiConnectionStatus>>> {
    return this.status;
  }

  /** Run `f` after every earlier operation (one at a time: no two polls or checks overlap). */
  private serial<T>(f: () => Promise<T>): Promise<T> {
    const next = this.chain.then(f, f);
    this.chain = next.catch(() => {});
    return next;
  }

  private async load(): Promise<void> {
    if (this.loaded) return;
    this.status = await this.deps.loadStatus().catch(() => ({}));
    this.loaded = true;
  }

  private async save(): Promise<void> {
    await this.deps.saveStatus({ ...this.status }).catch((e) => console.error('[api] status not saved', e));
  }

  private async context(c: StoredCredential): Promise<ApiContext | null> {
    const f = this.deps.fetch ?? globalThis.fetch?.bind(globalThis);
    if (!f || !c.apiKey) return null;
    const offset = () => this.offsets[c.exchange] ?? 0;
    const ex = c.exchange;
    return {
      fetch: f,
      now: () => this.deps.now() + offset(),
      override: this.deps.override(),
      key: { algorithm: c.algorithm, key: c.privateKey, apiKey: c.apiKey, passphrase: c.passphrase },
      publicKeyPem: c.publicKeyPem,
      usedWeight: (used, limit) => {
        if (used > (this.weight[ex]?.used ?? 0)) this.weight[ex] = { used, limit };
      },
    };
  }

  private connector(ex: ApiExchange): ApiConnector {
    return (this.deps.connectors ?? API_CONNECTORS)[ex];
  }

  /**
   * Run `f`; when the exchange refuses the request's timestamp (a skewed local clock), learn the
   * offset from its public server time and run `f` once more (issue 18; reference account-apis.md §1.2).
   */
  private async withClock<T>(ex: ApiExchange, ctx: ApiContext, f: (ctx: ApiContext) => Promise<T>): Promise<T> {
    try {
      return await f(ctx);
    } catch (e) {
      if (!(e instanceof ApiError && e.kind === 'clock')) throw e;
      const t0 = this.deps.now();
      const server = await this.connector(ex).serverTime(ctx);
      const t1 = this.deps.now();
      this.offsets[ex] = Math.round(server - (t0 + t1) / 2);
      return f(ctx);
    }
  }

  /**
   * Run the read-only gate for `exchange` now (options page "Check", and before first use).
   * @returns the new status; `error` when there is no key or API key yet, or the check failed.
   */
  check(exchange: ApiExchange): Promise<ApiConnectionStatus> {
    return this.serial(async () => {
      await this.load();
      return this.checkNow(exchange);
    });
  }

  private async checkNow(exchange: ApiExchange): Promise<ApiConnectionStatus> {
    const now = this.deps.now();
    const prev = this.status[exchange] ?? emptyStatus(exchange);
    const cred = await this.deps.keys.get(exchange);
    const ctx = cred ? await this.context(cred) : null;
    let next: ApiConnectionStatus;
    if (!cred || !ctx) {
      next = { ...prev, state: 'error', reason: cred ? 'paste the API key the exchange showed first' : 'no key: generate one first' };
    } else {
      try {
        const v = await this.withClock(exchange, ctx, (c) => this.connector(exchange).gate(c));
        next = v.ok
          ? { ...prev, state: 'connected', reason: null, switchOff: [], notes: v.notes, checkedAt: now, expiresInDays: v.expiresInDays, backoffUntil: null }
          : { ...prev, state: 'refused', reason: v.reason, switchOff: v.switchOff, notes: [], checkedAt: null };
      } catch (e) {
        const limited = e instanceof ApiError && e.kind === 'rate-limit';
        next = { ...prev, state: prev.state === 'connected' && !(e instanceof ApiError && e.kind === 'auth') ? 'connected' : 'error', reason: message(e), backoffUntil: limited ? now + (e.retryAfterMs ?? 60_000) : prev.backoffUntil };
        // A connected key whose re-check failed for a network reason stays connected until the next try;
        // an auth failure (key deleted or edited at the exchange) stops it.
        if (next.state === 'error') next.checkedAt = null;
      }
    }
    this.status[exchange] = next;
    if (next.state !== 'connected') this.stopStream(exchange);
    if (next.state === 'connected' && next.expiresInDays !== null && next.expiresInDays <= KEY_EXPIRY_WARN_DAYS) {
      // Once per gate run (daily): the exchange will stop the key (Bybit: 90 days without an IP bound).
      await this.deps
        .notify?.(`ms|${apiAccountKey(exchange)}|api-key|expiry`, {
          title: `${API_NAMES[exchange]}: the API key expires in ${next.expiresInDays} days`,
          message: 'Create a new read-only key and connect it in Margin Sentinel\'s options before then, or monitoring through the API stops.',
          requireInteraction: false,
          priority: 1,
        })
        .catch((e) => console.error('[api] notification failed', e));
    }
    if (prev.state === 'connected' && next.state === 'refused') {
      await this.deps
        .notify?.(`ms|${apiAccountKey(exchange)}|api-key|refused`, {
          title: `${API_NAMES[exchange]}: the API key is no longer read-only`,
          message: `Margin Sentinel stopped using it: ${next.reason ?? 'it can trade, transfer or withdraw'}. Until you fix or remove it, this account is not read through the API.`.slice(0, 300),
          requireInteraction: true,
          priority: 2,
        })
        .catch((e) => console.error('[api] notification failed', e));
    }
    await this.save();
    return next;
  }

  /** Worker start and every watchdog tick: re-check due gates, then read every connected account (skipping back-offs). */
  poll(): Promise<void> {
    return this.serial(async () => {
      await this.load();
      const creds = await this.deps.keys.all().catch((e) => (console.error('[api] key store unreadable', e), [] as StoredCredential[]));
      const enabled = this.deps.enabled();
      for (const c of creds) {
        const ex = c.exchange;
        if (!API_EXCHANGES.includes(ex) || !c.apiKey || !enabled.includes(API_ACCOUNT[ex])) continue;
        const now = this.deps.now();
        const st = this.status[ex];
        if (st?.backoffUntil && st.backoffUntil > now) continue;
        if (!st || st.checkedAt === null || now - st.checkedAt >= GATE_RECHECK_MS) {
          if (st?.state === 'refused') continue; // refused keys wait for the trader's "Check" after fixing them
          const r = await this.checkNow(ex);
          if (r.state !== 'connected') continue;
        }
        if (this.status[ex]?.state !== 'connected') continue;
        await this.readNow(c);
        await this.streamFor(ex)?.tick();
      }
      // Streams of keys no longer connected (refused, removed, exchange turned off) stop.
      for (const ex of Object.keys(this.streams) as ApiExchange[]) {
        const c = creds.find((x) => x.exchange === ex);
        if (!c || this.status[ex]?.state !== 'connected' || !enabled.includes(API_ACCOUNT[ex])) this.stopStream(ex);
      }
    });
  }

  /** The private stream of a connected exchange, created and started on first use (null without a WebSocket). */
  private streamFor(ex: ApiExchange): PrivateStream | null {
    if (!this.deps.WebSocket) return null;
    let s = this.streams[ex];
    if (!s || s.state === 'stopped') {
      s = new PrivateStream({
        spec: this.connector(ex).stream,
        context: async () => {
          const c = await this.deps.keys.get(ex);
          return c ? this.context(c) : null;
        },
        WebSocket: this.deps.WebSocket,
        now: this.deps.now,
        backoff: this.deps.streamBackoff,
        onUpdate: () => this.readSoon(ex),
        onProblem: (text) => {
          const st = this.status[ex];
          if (!st || (st.streamProblem ?? null) === text) return;
          this.status[ex] = { ...st, streamProblem: text };
          void this.save();
        },
      });
      this.streams[ex] = s;
    }
    s.start();
    return s;
  }

  private stopStream(ex: ApiExchange): void {
    this.streams[ex]?.stop();
    delete this.streams[ex];
    const t = this.readTimers[ex];
    if (t) clearTimeout(t);
    delete this.readTimers[ex];
  }

  /** A stream said the account changed (or reconnected): one REST read soon (bursts coalesce; at most one per 2 s). */
  private readSoon(ex: ApiExchange): void {
    if (this.readTimers[ex]) return;
    const wait = Math.max(STREAM_READ_DELAY_MS, (this.lastReadAt[ex] ?? 0) + STREAM_READ_MIN_GAP_MS[ex] - this.deps.now());
    this.readTimers[ex] = setTimeout(() => {
      delete this.readTimers[ex];
      void this.serial(async () => {
        const st = this.status[ex];
        if (st?.state !== 'connected' || (st.backoffUntil !== null && st.backoffUntil > this.deps.now())) return;
        const c = await this.deps.keys.get(ex);
        if (c) await this.readNow(c);
      });
    }, wait);
  }

  /** Stop every stream and timer (tests; worker shutdown). */
  dispose(): void {
    for (const ex of Object.keys(this.streams) as ApiExchange[]) this.stopStream(ex);
  }

  private async readNow(c: StoredCredential): Promise<void> {
    const ex = c.exchange;
    const ctx = await this.context(c);
    if (!ctx) return;
    const st = this.status[ex]!;
    this.lastReadAt[ex] = this.deps.now();
    delete this.weight[ex];
    try {
      const read = await this.withClock(ex, ctx, (c) => this.connector(ex).snapshot(c));
      // The same check a page read gets at intake (./intake.ts): the engine's schema and its cross-field rules.
      const checked = safeParseSnapshot(read.snapshot);
      if (!checked.ok) throw new Error(`snapshot refused: ${checked.errors.map((e) => e.message).join('; ')}`.slice(0, 300));
      const { snapshot } = checked;
      const problems = read.problems;
      const at = this.deps.now();
      await this.deps.putAccount(apiAccountKey(ex), API_ACCOUNT[ex], `${API_NAMES[ex]} (API)`, snapshot, at);
      const pages = (this.deps.pageAccounts?.(API_ACCOUNT[ex]) ?? []).filter((p) => Math.abs(at - p.at) <= CROSS_CHECK_WINDOW_MS);
      const crossed = pages.flatMap((p) => crossCheck(p.snapshot, snapshot).map((d) => `${p.label}: ${d}`));
      this.status[ex] = { ...st, polledAt: at, pollError: null, problems, backoffUntil: null, crossCheck: crossed.slice(0, 20) };
      const w = this.weight[ex];
      if (w && w.used > w.limit * WEIGHT_SHARE_MAX) {
        // Our reads are a small share; someone else on this IP uses the rest: step aside for a minute.
        this.status[ex] = { ...this.status[ex]!, backoffUntil: at + WEIGHT_PAUSE_MS, pollError: `the exchange reports ${w.used} of ${w.limit} request weight used this minute from this IP: reads pause for ${WEIGHT_PAUSE_MS / 1000} s` };
      }
    } catch (e) {
      const limited = e instanceof ApiError && e.kind === 'rate-limit';
      const auth = e instanceof ApiError && e.kind === 'auth';
      this.status[ex] = {
        ...st,
        pollError: message(e),
        backoffUntil: limited ? this.deps.now() + (e.retryAfterMs ?? 60_000) : null,
        // The key stopped working: check it again at the next tick (it may have been edited or deleted).
        ...(auth && { checkedAt: null }),
      };
      console.warn('[api] read failed', ex, e);
    }
    await this.save();
  }

  /** Forget `exchange`'s key, status and API account (options page "Remove key"). */
  remove(exchange: ApiExchange): Promise<void> {
    return this.serial(async () => {
      await this.load();
      this.stopStream(exchange);
      await this.deps.keys.delete(exchange);
      delete this.status[exchange];
      await this.save();
      await this.deps.removeAccount(apiAccountKey(exchange));
    });
  }
}

/**
 * Handle an options-page `api-connection` message (sender already checked: extension pages only).
 * Validates the shape; never throws.
 */
export async function handleApiConnection(api: ApiAccounts, msg: unknown): Promise<ApiConnectionReply> {
  const m = (typeof msg === 'object' && msg !== null ? msg : {}) as { action?: unknown; exchange?: unknown };
  if (typeof m.exchange !== 'string' || !(API_EXCHANGES as readonly string[]).includes(m.exchange)) return { ok: false, error: 'unknown exchange' };
  const exchange = m.exchange as ApiExchange;
  try {
    if (m.action === 'check') {
      const status = await api.check(exchange);
      if (status.state === 'connected') await api.poll();
      return { ok: true, status: api.statuses[exchange] ?? status };
    }
    if (m.action === 'remove') {
      await api.remove(exchange);
      return { ok: true, status: null };
    }
    return { ok: false, error: 'unknown action' };
  } catch (e) {
    return { ok: false, error: message(e) };
  }
}

/**
 * The optional read-only API connections (issue 18), fed into the monitor like the Hyperliquid
 * address watch. Null where the worker has no IndexedDB (then the options page cannot store keys either).
 */
export function apiAccountsFor(monitor: Monitor, overrides: Partial<MonitorPorts>): ApiAccounts | null {
  if (typeof indexedDB === 'undefined') return null;
  return new ApiAccounts({
    keys: new KeyStore(indexedDB),
    fetch: overrides.fetch,
    notify: overrides.notify,
    WebSocket: overrides.WebSocket ?? (globalThis as { WebSocket?: unknown }).WebSocket,
    streamBackoff: overrides.backoff?.minMs !== undefined ? { minMs: overrides.backoff.minMs, maxMs: overrides.backoff.maxMs ?? 60_000 } : undefined,
    now: overrides.now ?? Date.now,
    override: () => monitor.endpointOverride,
    enabled: () => monitor.settings.enabledExchanges,
    putAccount: (key, exchange, label, snapshot, at) => monitor.putAccount(key, exchange, label, snapshot, at),
    removeAccount: (key) => monitor.removeAccount(key),
    pageAccounts: (exchange) =>
      Object.values(monitor.accounts)
        .filter((a) => a.exchange === exchange && a.health !== null && a.snapshot !== null && a.snapshotAt !== null)
        .map((a) => ({ label: a.label, snapshot: a.snapshot!, at: a.snapshotAt! })),
    loadStatus: () => apiStatusItem.getValue(),
    saveStatus: (s) => apiStatusItem.setValue(s),
  });
}
