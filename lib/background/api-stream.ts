/**
 * One private user-data stream of the read-only API connection (issue 18): a WebSocket per
 * exchange, opened by its {@link PrivateStreamSpec} (URL, auth frames, app-level ping, REST
 * keepalive, lifetime), used as a trigger: every account event, and every (re)connect, calls
 * `onUpdate` so the worker reads the account through REST at once. Reconnects with exponential
 * backoff (1 s … 60 s); a refused login stops it (REST polling goes on and the status says so).
 * The watchdog tick calls {@link PrivateStream.tick}: REST keepalive when due, reconnect when
 * closed, renew before the server's connection lifetime ends.
 */
import type { ApiContext, PrivateStreamSpec } from '../api/types';

export interface PrivateStreamDeps {
  spec: PrivateStreamSpec;
  /** A fresh signing context (null: no usable key). */
  context: () => Promise<ApiContext | null>;
  WebSocket: unknown;
  now: () => number;
  /** The account changed (`event`) or the stream (re)connected (`connected`): read it now. */
  onUpdate: (why: 'event' | 'connected') => void;
  /** A problem to show (null: none). */
  onProblem: (text: string | null) => void;
  backoff?: { minMs: number; maxMs: number };
}

type Ws = { send(d: string): void; close(): void; readyState: number; onopen: unknown; onmessage: unknown; onclose: unknown; onerror: unknown };
type WsCtor = new (url: string) => Ws;

export type PrivateStreamState = 'idle' | 'connecting' | 'open' | 'refused' | 'stopped';

export class PrivateStream {
  private ws: Ws | null = null;
  private ctx: ApiContext | null = null;
  private attempts = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private pingTimer: ReturnType<typeof setInterval> | null = null;
  private openedAt = 0;
  private keptAliveAt = 0;
  state: PrivateStreamState = 'idle';
  /** Connections opened so far (first + reconnects). */
  opens = 0;

  constructor(private readonly deps: PrivateStreamDeps) {}

  /** Connect unless already connecting, open, refused or stopped. */
  start(): void {
    if (this.state === 'idle') void this.connect();
  }

  /** Close for good (key removed or refused). */
  stop(): void {
    this.state = 'stopped';
    this.teardown();
  }

  /** Watchdog: reconnect a dropped stream, run the REST keepalive when due, renew an old connection. */
  async tick(): Promise<void> {
    if (this.state === 'idle') return this.connect();
    if (this.state !== 'open' || !this.ctx) return;
    const now = this.deps.now();
    const { keepalive, maxAgeMs } = this.deps.spec;
    if (maxAgeMs !== undefined && now - this.openedAt >= maxAgeMs) return this.reconnectNow();
    if (keepalive && now - this.keptAliveAt >= keepalive.everyMs) {
      try {
        await keepalive.run(this.ctx);
        this.keptAliveAt = now;
      } catch (e) {
        this.deps.onProblem(`private stream keepalive failed: ${e instanceof Error ? e.message : String(e)}`);
        await this.reconnectNow();
      }
    }
  }

  private teardown(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.retryTimer = this.pingTimer = null;
    const ws = this.ws;
    this.ws = null;
    if (ws) {
      ws.onclose = ws.onmessage = ws.onopen = null;
      // Closing a socket still connecting fails it with an error event: keep a listener that swallows
      // it (with none, Node's `ws` raises it as an uncaught exception).
      ws.onerror = () => {};
      try {
        ws.close();
      } catch {
        /* already closed */
      }
    }
  }

  private async reconnectNow(): Promise<void> {
    this.teardown();
    this.state = 'idle';
    await this.connect();
  }

  private scheduleRetry(): void {
    if (this.state === 'stopped' || this.state === 'refused') return;
    this.teardown();
    this.state = 'connecting';
    const b = this.deps.backoff ?? { minMs: 1000, maxMs: 60_000 };
    const delay = Math.min(b.maxMs, b.minMs * 2 ** Math.min(this.attempts, 16));
    this.attempts++;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.state = 'idle';
      void this.connect();
    }, delay);
  }

  private async connect(): Promise<void> {
    if (this.state !== 'idle') return;
    this.state = 'connecting';
    const spec = this.deps.spec;
    let url: string;
    let hello: string[];
    try {
      this.ctx = await this.deps.context();
      if (!this.ctx) return void (this.state = 'idle');
      url = await spec.url(this.ctx);
      hello = await spec.hello(this.ctx);
    } catch (e) {
      this.deps.onProblem(`private stream not opened: ${e instanceof Error ? e.message : String(e)}`);
      return this.scheduleRetry();
    }
    if ((this.state as PrivateStreamState) === 'stopped') return;
    const ws = new (this.deps.WebSocket as WsCtor)(url);
    this.ws = ws;
    const loggedIn = () => {
      this.state = 'open';
      this.attempts = 0;
      this.deps.onProblem(null);
      this.deps.onUpdate('connected');
    };
    ws.onopen = () => {
      this.opens++;
      this.openedAt = this.keptAliveAt = this.deps.now();
      for (const f of hello) ws.send(f);
      if (spec.ping) {
        const ping = spec.ping;
        this.pingTimer = setInterval(() => {
          if (ws.readyState === 1) ws.send(ping.message());
        }, ping.everyMs);
      }
      if (!spec.afterLogin) loggedIn();
    };
    ws.onmessage = (ev: { data: unknown }) => {
      if (typeof ev.data !== 'string' || ev.data.length > 1_000_000) return;
      switch (spec.classify(ev.data)) {
        case 'update':
          this.deps.onUpdate('event');
          break;
        case 'login-ok':
          for (const f of spec.afterLogin?.(this.ctx!) ?? []) ws.send(f);
          loggedIn();
          break;
        case 'auth-failed':
          this.state = 'refused';
          this.teardown();
          this.deps.onProblem('the private stream refused the key: positions are read every 30 s only');
          break;
        case 'reconnect':
          void this.reconnectNow();
          break;
      }
    };
    ws.onerror = () => {};
    ws.onclose = () => this.scheduleRetry();
  }
}
