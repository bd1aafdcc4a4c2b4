/**
 * The background worker under test, shared by the worker's test files: the real worker
 * (`startBackground`) on WXT's fake browser, its mark streams pointed at a loopback stream
 * server speaking the exchanges' formats, and a controllable clock.
 *
 * Call {@link useWorker} once at the top of a test file: it registers the hooks (server up for
 * the file, fake browser reset and endpoint override before each test, worker disposed after).
 */
import fs from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import WebSocket from 'ws';
import { startBackground } from '@/lib/background';
import type { Monitor, MonitorPorts } from '@/lib/background/monitor';
import type { AccountSnapshot } from '@/lib/engine/snapshot';
import type { ReaderHealth } from '@/lib/exchanges/health';
import type { PageReadMessage } from '@/lib/protocol/page-read';
import { endpointOverrideItem } from '@/lib/storage';
import { startStreamServer, type StreamServer } from '../../harness/stream-server';

/** The Hyperliquid account snapshot most worker tests use (test/fixtures/snapshots/hyperliquid.json). */
export function hyperliquidSnapshot(): AccountSnapshot {
  return JSON.parse(fs.readFileSync(new URL('../fixtures/snapshots/hyperliquid.json', import.meta.url), 'utf8'));
}

/** A healthy Hyperliquid page read's health (status ok, nothing missing). */
export const HYPERLIQUID_HEALTH: ReaderHealth = { exchange: 'hyperliquid', status: 'ok', url: 'https://app.hyperliquid.xyz/trade', readAt: 0, found: [], missing: [], problems: [], lastGoodReadAt: 0 };

/** The sender of a message from the content script in tab `tab` (window 1) at `url`. */
export const tabSender = (tab: number, url = 'https://app.hyperliquid.xyz/trade') => ({ id: fakeBrowser.runtime.id, url, tab: { id: tab, windowId: 1 } });

/** A Hyperliquid page-read message for `snapshot`, with fields of the message or its health overridden. */
export const hyperliquidRead = (snapshot: AccountSnapshot, extra: Omit<Partial<PageReadMessage>, 'health'> & { health?: Partial<ReaderHealth> } = {}): PageReadMessage =>
  ({ type: 'page-read', exchange: 'hyperliquid', snapshot, ...extra, health: { ...HYPERLIQUID_HEALTH, ...extra.health } }) as PageReadMessage;

/** Deliver `msg` to the worker's runtime.onMessage listener as if from `sender`; resolves with the reply. */
export function send<T = any>(msg: unknown, sender: object): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    (fakeBrowser.runtime.onMessage as any).trigger(msg, sender, resolve).catch(reject);
  });
}

/** Poll `cond` every 10 ms (real time) until it holds; throws after `ms`. */
export { until } from './until';

export interface WorkerHarness {
  /** The loopback stream server (up for the whole file, reset before each test). */
  readonly server: StreamServer;
  /** The worker's clock (ms epoch); reset to `Date.now()` before each test. */
  clock: number;
  /**
   * Start the worker (settings and stored state as the fake browser's storage holds them) with
   * the loopback WebSocket, short reconnect backoff and the harness clock, plus `overrides`;
   * resolves with its monitor once started.
   */
  start(overrides?: Partial<MonitorPorts>): Promise<Monitor>;
  /** Like {@link start}, but returns at once with the `ready` promise (for start-up failures). */
  launch(overrides?: Partial<MonitorPorts>): { monitor: Monitor; ready: Promise<void> };
  /** Simulate the worker dying: drop listeners and in-memory state, keep storage. */
  kill(): Promise<void>;
}

/** Register the hooks of a worker test file and return its harness (see the module comment). */
export function useWorker(): WorkerHarness {
  let server: StreamServer | null = null;
  let started: { monitor: Monitor; ready: Promise<void> } | null = null;
  const h: WorkerHarness = {
    get server() {
      if (!server) throw new Error('the stream server starts in beforeAll');
      return server;
    },
    clock: Date.now(),
    launch(overrides = {}) {
      started = startBackground({ WebSocket, backoff: { minMs: 30, maxMs: 200, jitterMs: 10 }, now: () => h.clock, ...overrides });
      return started;
    },
    async start(overrides = {}) {
      const s = h.launch(overrides);
      await s.ready;
      return s.monitor;
    },
    async kill() {
      await started?.monitor.dispose();
      started = null;
      fakeBrowser.runtime.onMessage.removeAllListeners();
      fakeBrowser.alarms.onAlarm.removeAllListeners();
      fakeBrowser.notifications.onClicked.removeAllListeners();
      fakeBrowser.storage.onChanged.removeAllListeners();
    },
  };
  beforeAll(async () => {
    server = await startStreamServer();
  });
  afterAll(async () => {
    await server?.close();
  });
  beforeEach(async () => {
    fakeBrowser.reset();
    h.server.reset();
    h.clock = Date.now();
    await endpointOverrideItem.setValue({ stream: h.server.origin, rest: h.server.httpOrigin });
  });
  afterEach(async () => {
    await started?.monitor.dispose();
    started = null;
  });
  return h;
}
