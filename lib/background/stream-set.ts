/**
 * One mark-price stream client per exchange, subscribed to exactly the symbols the accounts hold
 * (lib/background/stream-client.ts does the connection; this file decides what it carries).
 */
import { EXCHANGES, type ExchangeId } from '../engine/exchanges';
import { streamUrl, type EndpointOverride } from '../exchanges/endpoints';
import type { MarkTick } from '../exchanges/common/stream';
import { STREAM_ADAPTERS } from '../exchanges/streams';
import type { StreamStatus } from '../exchanges/common/stream';
import { MarkStreamClient, type StreamClientOptions } from './stream-client';

export interface StreamSetDeps {
  now: () => number;
  /** Admitted ticks of one exchange. */
  onMarks: (exchange: ExchangeId, ticks: MarkTick[]) => void;
  /** Some client's status changed. */
  onStatus: () => void;
  WebSocket?: unknown;
  backoff?: StreamClientOptions['backoff'];
}

export class StreamSet {
  private readonly clients = new Map<ExchangeId, MarkStreamClient>();
  private readonly since: Partial<Record<ExchangeId, number>> = {};
  private override: EndpointOverride | null = null;
  private stopped = false;

  constructor(private readonly deps: StreamSetDeps) {}

  /** Open, update or close each exchange's stream for exactly `symbols` (snapshot symbols per exchange). */
  sync(symbols: Partial<Record<ExchangeId, ReadonlySet<string>>>): void {
    if (this.stopped) return;
    for (const exchange of EXCHANGES) {
      const wanted = symbols[exchange] ?? new Set<string>();
      let client = this.clients.get(exchange);
      if (!client && wanted.size === 0) continue;
      if (!client) {
        client = new MarkStreamClient(STREAM_ADAPTERS[exchange], {
          url: (q) => streamUrl(exchange, q, this.override),
          onMarks: (ticks) => this.deps.onMarks(exchange, ticks),
          onStatus: () => this.deps.onStatus(),
          WebSocket: this.deps.WebSocket,
          backoff: this.deps.backoff,
          now: this.deps.now,
        });
        this.clients.set(exchange, client);
      }
      const before = client.status().symbols.join();
      client.setSymbols([...wanted]);
      if (client.status().symbols.join() !== before) this.since[exchange] = this.deps.now();
    }
  }

  /** When the exchange's subscription last changed (ms epoch), or undefined. */
  subscribedSince(exchange: ExchangeId): number | undefined {
    return this.since[exchange];
  }

  /** Watchdog: reconnect every client that wants symbols and is closed. */
  ensureConnected(): void {
    for (const c of this.clients.values()) c.ensureConnected();
  }

  /** Status of every client (fresh `lastMessageAt` / `lastMarkAt`). */
  status(): Partial<Record<ExchangeId, StreamStatus>> {
    const out: Partial<Record<ExchangeId, StreamStatus>> = {};
    for (const [ex, c] of this.clients) out[ex] = c.status();
    return out;
  }

  /** Point the streams at a loopback endpoint (tests, demo): every client is closed and reopened by the next {@link sync}. */
  setOverride(o: EndpointOverride | null): void {
    this.override = o;
    for (const c of this.clients.values()) c.stop();
    this.clients.clear();
  }

  /** Close every stream for good. */
  stop(): void {
    this.stopped = true;
    for (const c of this.clients.values()) c.stop();
    this.clients.clear();
  }
}
