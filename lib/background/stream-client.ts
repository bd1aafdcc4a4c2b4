/**
 * One public mark-price stream connection for one exchange: reconnecting WebSocket
 * (partysocket's ReconnectingWebSocket: no `window` needed, runs in a service worker), with
 * exponential backoff plus random jitter, the exchange's app-level keepalive, a silence
 * watchdog, subscription diffs as held symbols change, and counted rejections.
 *
 * Everything exchange-specific is in the {@link StreamAdapter} (lib/exchanges/<id>/stream.ts); the
 * shapes ({@link MarkTick}, {@link StreamStatus}) and the admission rules ({@link MarkGate}: symbol,
 * order, no future time stamps) in lib/exchanges/common/stream.ts. Every admitted tick carries
 * `receivedAt`, the local receive time of its frame.
 */
import ReconnectingWebSocket from 'partysocket/ws';
import {
  MarkGate,
  MAX_SYMBOLS_PER_EXCHANGE,
  REJECT_REASONS,
  type MarkTick,
  type RejectReason,
  type StreamAdapter,
  type StreamStatus,
} from '../exchanges/common/stream';

/** Largest frame parsed (characters). */
export const MAX_FRAME_CHARS = 256 * 1024;

/** Reconnect backoff: delay = min(maxMs, minMs × factor^(n−1)) + random jitter in [0, jitterMs). */
export interface Backoff {
  minMs: number;
  maxMs: number;
  factor: number;
  jitterMs: number;
}

/** Defaults: 1 s, ×2, at most 60 s, plus up to 1 s jitter (Binance bans IPs that reconnect in a tight loop). */
export const DEFAULT_BACKOFF: Backoff = { minMs: 1000, maxMs: 60_000, factor: 2, jitterMs: 1000 };

export interface StreamClientOptions {
  /** Full URL for a connect query (from lib/exchanges/endpoints.ts `streamUrl`). */
  url: (query: string) => string;
  /** Admitted ticks (subscribed symbol, in order, not from the future, valid price), stamped with `receivedAt`. */
  onMarks: (ticks: MarkTick[]) => void;
  /** Status changes (open/close/reject counts); called often, keep it cheap. */
  onStatus?: (s: StreamStatus) => void;
  /** WebSocket constructor; defaults to the global one (the service worker's). Tests pass `ws`. */
  WebSocket?: unknown;
  backoff?: Partial<Backoff>;
  /** Clock, ms epoch. */
  now?: () => number;
  /** Override the adapter's keepalive/silence timings (tests). */
  timings?: { keepaliveMs?: number; pongTimeoutMs?: number; silenceTimeoutMs?: number };
  /** Connect timeout, ms (default 10 s). */
  connectTimeoutMs?: number;
}

const ZERO_REJECTS = (): Record<RejectReason, number> => Object.fromEntries(REJECT_REASONS.map((r) => [r, 0])) as Record<RejectReason, number>;

/** A mark-price stream for one exchange. Create once, then call {@link setSymbols}. */
export class MarkStreamClient {
  private ws: ReconnectingWebSocket | null = null;
  private parser;
  private gate = new MarkGate(new Set());
  private subscribed = new Set<string>();
  private wanted: string[] = [];
  private opens = 0;
  private keepTimer: ReturnType<typeof setTimeout> | null = null;
  private pongTimer: ReturnType<typeof setTimeout> | null = null;
  private silenceTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly st: StreamStatus;
  private readonly now: () => number;
  private readonly backoff: Backoff;

  constructor(
    readonly adapter: StreamAdapter,
    private readonly opts: StreamClientOptions,
  ) {
    this.parser = adapter.createParser();
    this.now = opts.now ?? Date.now;
    this.backoff = { ...DEFAULT_BACKOFF, ...opts.backoff };
    this.st = {
      exchange: adapter.exchange,
      state: 'idle',
      symbols: [],
      overCap: [],
      connectedAt: null,
      lastMessageAt: null,
      lastMarkAt: null,
      reconnects: 0,
      rejected: ZERO_REJECTS(),
      errors: 0,
      lastError: null,
    };
  }

  /** A copy of the current status. */
  status(): StreamStatus {
    return { ...this.st, symbols: [...this.st.symbols], overCap: [...this.st.overCap], rejected: { ...this.st.rejected } };
  }

  /**
   * Subscribe exactly these snapshot symbols (mapped through the adapter; unmappable ones are
   * skipped). Opens the connection on the first symbol, closes it when none is left, and sends
   * subscribe/unsubscribe frames for the difference while open. At most
   * {@link MAX_SYMBOLS_PER_EXCHANGE} symbols are subscribed (the first in sorted order); the rest
   * are listed in the status's `overCap`.
   */
  setSymbols(snapshotSymbols: readonly string[]): void {
    const all = [...new Set(snapshotSymbols.map((s) => this.adapter.streamSymbol(s)).filter((s): s is string => s !== null))].sort();
    const next = all.slice(0, MAX_SYMBOLS_PER_EXCHANGE);
    const overCap = all.slice(MAX_SYMBOLS_PER_EXCHANGE);
    if (next.join() === this.wanted.join() && overCap.join() === this.st.overCap.join()) return;
    this.st.overCap = overCap;
    if (next.join() === this.wanted.join()) {
      this.emit();
      return;
    }
    this.wanted = next;
    this.st.symbols = next;
    this.gate.setSymbols(new Set(next));
    if (next.length === 0) {
      this.stop();
      return;
    }
    if (!this.ws) {
      this.start();
      return;
    }
    if (this.ws.readyState === 1) this.syncSubscriptions();
    this.emit();
  }

  /** Watchdog hook: reconnect now if symbols are wanted and the socket is not open or connecting. */
  ensureConnected(): void {
    if (this.wanted.length === 0) return;
    if (!this.ws) this.start();
    else if (this.ws.readyState === 3) this.ws.reconnect();
  }

  /** Close for good (symbols are kept; {@link ensureConnected} or setSymbols reopens). */
  stop(): void {
    this.clearTimers();
    if (this.ws) {
      const ws = this.ws;
      this.ws = null;
      ws.close(1000, 'no symbols');
    }
    this.subscribed.clear();
    this.st.state = this.wanted.length ? 'closed' : 'idle';
    this.emit();
  }

  private start(): void {
    const b = this.backoff;
    let rws: ReconnectingWebSocket | null = null;
    const urlProvider = async () => {
      // Jitter on reconnects only: spreads many clients' retries (and ours after a server drop).
      if (rws && rws.retryCount > 0 && b.jitterMs > 0) await new Promise((r) => setTimeout(r, Math.random() * b.jitterMs));
      return this.opts.url(this.adapter.connectQuery(this.wanted));
    };
    rws = new ReconnectingWebSocket(urlProvider, undefined, {
      WebSocket: this.opts.WebSocket,
      minReconnectionDelay: b.minMs,
      maxReconnectionDelay: b.maxMs,
      reconnectionDelayGrowFactor: b.factor,
      connectionTimeout: this.opts.connectTimeoutMs ?? 10_000,
      maxEnqueuedMessages: 0, // never replay stale frames: we resubscribe on open
      minUptime: 5000,
    });
    this.ws = rws;
    this.st.state = 'connecting';
    rws.addEventListener('open', () => this.onOpen(rws!));
    rws.addEventListener('close', () => this.onClose(rws!));
    rws.addEventListener('message', (e) => this.onMessage(rws!, (e as MessageEvent).data));
    this.emit();
  }

  private onOpen(rws: ReconnectingWebSocket): void {
    if (rws !== this.ws) return;
    if (this.opens++ > 0) this.st.reconnects++;
    this.parser = this.adapter.createParser();
    this.st.state = 'open';
    this.st.connectedAt = this.now();
    // Symbols in the connect query are subscribed by the URL itself; everything else by frames.
    const inUrl = this.adapter.connectQuery(this.wanted) ? new Set(this.wanted) : new Set<string>();
    this.subscribed = new Set(inUrl);
    this.syncSubscriptions();
    this.armKeepalive();
    this.armSilence();
    this.emit();
  }

  private onClose(rws: ReconnectingWebSocket): void {
    if (rws !== this.ws) return;
    this.clearTimers();
    this.subscribed.clear();
    this.st.state = this.wanted.length ? 'closed' : 'idle';
    this.emit();
  }

  private syncSubscriptions(): void {
    const ws = this.ws;
    if (!ws) return;
    const want = new Set(this.wanted);
    const add = this.wanted.filter((s) => !this.subscribed.has(s));
    const remove = [...this.subscribed].filter((s) => !want.has(s));
    for (const m of this.adapter.unsubscribeMessages(remove)) ws.send(m);
    for (const m of this.adapter.subscribeMessages(add)) ws.send(m);
    this.subscribed = want;
  }

  private onMessage(rws: ReconnectingWebSocket, data: unknown): void {
    if (rws !== this.ws) return;
    const now = this.now();
    this.st.lastMessageAt = now;
    this.armSilence();
    if (this.adapter.keepalive?.idleOnly) this.armKeepalive();
    // Real mark-price frames are a few KB at most (Hyperliquid allMids ~20 KB): refuse anything
    // larger unparsed, so a hostile or broken frame costs no parse time or memory.
    if (typeof data !== 'string' || data.length > MAX_FRAME_CHARS) {
      this.st.rejected.malformed++;
      this.emit();
      return;
    }
    const ev = this.parser.parse(data, now);
    switch (ev.kind) {
      case 'pong':
        if (this.pongTimer) clearTimeout(this.pongTimer);
        this.pongTimer = null;
        return;
      case 'ack':
      case 'ignored':
        return;
      case 'error':
        this.st.errors++;
        this.st.lastError = ev.detail;
        this.emit();
        return;
      case 'rejected':
        this.st.rejected[ev.reason]++;
        this.emit();
        return;
      case 'marks': {
        for (const r of ev.rejected ?? []) this.st.rejected[r.reason]++;
        const ok: MarkTick[] = [];
        for (const t of ev.marks) {
          const g = this.gate.admit(t, now);
          if (g.ok) ok.push({ ...t, receivedAt: now });
          else this.st.rejected[g.reason]++;
        }
        if (ok.length) {
          this.st.lastMarkAt = now;
          this.opts.onMarks(ok);
        }
        if (ok.length !== ev.marks.length || ev.rejected?.length) this.emit();
      }
    }
  }

  private armKeepalive(): void {
    const ka = this.adapter.keepalive;
    if (!ka) return;
    if (this.keepTimer) clearTimeout(this.keepTimer);
    const every = this.opts.timings?.keepaliveMs ?? ka.everyMs;
    this.keepTimer = setTimeout(() => {
      const ws = this.ws;
      if (!ws || ws.readyState !== 1) return;
      ws.send(ka.message);
      if (!this.pongTimer) {
        this.pongTimer = setTimeout(() => {
          this.pongTimer = null;
          this.st.lastError = 'keepalive: no pong';
          this.ws?.reconnect(4000, 'no pong');
        }, this.opts.timings?.pongTimeoutMs ?? ka.pongTimeoutMs);
      }
      this.armKeepalive();
    }, every);
  }

  private armSilence(): void {
    if (this.silenceTimer) clearTimeout(this.silenceTimer);
    this.silenceTimer = setTimeout(() => {
      this.st.lastError = 'stream silent: reconnecting';
      this.ws?.reconnect(4001, 'silent');
    }, this.opts.timings?.silenceTimeoutMs ?? this.adapter.silenceTimeoutMs);
  }

  private clearTimers(): void {
    for (const t of [this.keepTimer, this.pongTimer, this.silenceTimer]) if (t) clearTimeout(t);
    this.keepTimer = this.pongTimer = this.silenceTimer = null;
  }

  private emit(): void {
    this.opts.onStatus?.(this.status());
  }
}
