/**
 * In-memory `runtime.connect` / `runtime.onConnect` for WXT's fake browser, which has none:
 * two linked port ends delivering messages asynchronously and as copies (structured clone), and
 * `disconnect()` firing `onDisconnect` on the other end only, as in Chrome. The parts on both
 * ends (the background's overlay feed, the overlay's feed client) are the real ones.
 */
import { fakeBrowser } from 'wxt/testing/fake-browser';

type Listener<A extends unknown[]> = (...args: A) => void;

export class FakeEvent<A extends unknown[]> {
  private listeners: Listener<A>[] = [];
  addListener(cb: Listener<A>): void {
    this.listeners.push(cb);
  }
  removeListener(cb: Listener<A>): void {
    this.listeners = this.listeners.filter((l) => l !== cb);
  }
  hasListener(cb: Listener<A>): boolean {
    return this.listeners.includes(cb);
  }
  hasListeners(): boolean {
    return this.listeners.length > 0;
  }
  fire(...args: A): void {
    for (const l of [...this.listeners]) l(...args);
  }
  clear(): void {
    this.listeners = [];
  }
}

export interface PortSender {
  id?: string;
  url?: string;
  tab?: { id?: number; windowId?: number; url?: string };
}

export interface FakePort {
  name: string;
  sender?: PortSender;
  onMessage: FakeEvent<[unknown]>;
  onDisconnect: FakeEvent<[]>;
  postMessage(m: unknown): void;
  disconnect(): void;
  readonly connected: boolean;
}

/** Two linked port ends: `client` (the opener, no sender) and `server` (what `onConnect` gets, with `sender`). */
export function portPair(name: string, sender: PortSender): { client: FakePort; server: FakePort } {
  let open = true;
  const make = (s?: PortSender): FakePort => ({
    name,
    ...(s ? { sender: s } : {}),
    onMessage: new FakeEvent(),
    onDisconnect: new FakeEvent(),
    postMessage(m) {
      if (!open) throw new Error('Attempting to use a disconnected port object');
      const copy = structuredClone(m);
      queueMicrotask(() => open && other(this).onMessage.fire(copy));
    },
    disconnect() {
      if (!open) return;
      open = false;
      const o = other(this);
      queueMicrotask(() => o.onDisconnect.fire());
    },
    get connected() {
      return open;
    },
  });
  const client = make();
  const server = make(sender);
  const other = (p: FakePort) => (p === client ? server : client);
  return { client, server };
}

/** The fake background's `runtime.onConnect`. */
export const onConnect = new FakeEvent<[FakePort]>();

const serverEnds = new Set<FakePort>();

/** The service worker stops: its onConnect listeners are gone and every port to it closes. */
export function workerStopped(): void {
  onConnect.clear();
  for (const p of serverEnds) p.disconnect();
  serverEnds.clear();
}

/** Open a port to the fake background as a content script of `sender` would (`runtime.connect({ name })`). */
export function connectAs(sender: PortSender, name: string): FakePort {
  const { client, server } = portPair(name, sender);
  // As in Chrome: with no onConnect listener (no background), the port closes at once.
  if (onConnect.hasListeners()) {
    serverEnds.add(server);
    onConnect.fire(server);
  } else server.disconnect();
  return client;
}

/** Install on the fake browser (vitest setup file); listeners are cleared before each test. */
export function installRuntimePorts(): void {
  const runtime = fakeBrowser.runtime as unknown as Record<string, unknown>;
  runtime.onConnect = onConnect;
  runtime.connect = (info?: { name?: string }) => connectAs({ id: fakeBrowser.runtime.id }, info?.name ?? '');
}
