/**
 * Builders for component tests: real snapshots evaluated by the real engine, wrapped as the
 * background stores them; and the real background (monitor + message handler) that what-if and
 * stress requests from the popup go to.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import WebSocket from 'ws';
import { handleMessage } from '../../lib/background';
import { Monitor } from '../../lib/background/monitor';
import { evaluate } from '../../lib/engine';
import type { AccountSnapshot } from '../../lib/engine/snapshot';
import { defaultTierTables } from '../../lib/exchanges/tiers';
import type { ReaderHealth } from '../../lib/exchanges/health';
import type { StreamStatus } from '../../lib/exchanges/common/stream';
import { DEFAULT_SETTINGS } from '../../lib/settings/schema';
import { accountsItem, endpointOverrideItem, type AccountRecord } from '../../lib/storage';
import type { PopupSources } from '../../lib/view/popup';

export const NOW = 1_763_600_060_000;

export function fixture(name: string): AccountSnapshot {
  return JSON.parse(readFileSync(resolve(process.cwd(), 'test/fixtures/snapshots', `${name}.json`), 'utf8')) as AccountSnapshot;
}

export function health(exchange: AccountSnapshot['exchange'], over: Partial<ReaderHealth> = {}): ReaderHealth {
  return { exchange, status: 'ok', url: 'https://www.binance.com/en/futures/BTCUSDT', readAt: NOW - 5000, found: ['Symbol', 'Size'], missing: [], problems: [], lastGoodReadAt: NOW - 5000, ...over };
}

/** An account record as the background writes it, with the risk computed by the engine. */
export function record(snapshot: AccountSnapshot | null, over: Partial<AccountRecord> = {}): AccountRecord {
  const exchange = snapshot?.exchange ?? over.exchange ?? 'binance-usdm';
  return {
    key: exchange,
    exchange,
    label: exchange,
    snapshot,
    snapshotAt: NOW - 5000,
    health: health(exchange),
    tabId: 1,
    windowId: 1,
    url: 'https://www.binance.com/en/futures/BTCUSDT',
    risk: snapshot ? evaluate(snapshot, defaultTierTables(exchange)) : null,
    riskAt: NOW - 1000,
    marks: {},
    tierSources: {},
    stale: null,
    level: null,
    ...over,
  };
}

export function stream(exchange: AccountSnapshot['exchange'], state: StreamStatus['state'] = 'open', over: Partial<StreamStatus> = {}): StreamStatus {
  return {
    exchange,
    state,
    symbols: [],
    overCap: [],
    connectedAt: NOW - 60_000,
    lastMessageAt: NOW - 1000,
    lastMarkAt: NOW - 1000,
    reconnects: 0,
    rejected: {} as StreamStatus['rejected'],
    errors: 0,
    lastError: null,
    ...over,
  };
}

export function sources(records: AccountRecord[], over: Partial<PopupSources> = {}): PopupSources {
  const streams: PopupSources['streams'] = {};
  for (const r of records) streams[r.exchange] = stream(r.exchange);
  return {
    accounts: Object.fromEntries(records.map((r) => [r.key, r])),
    history: {},
    streams,
    settings: DEFAULT_SETTINGS,
    problems: { settings: null },
    ...over,
  };
}

/** Binance USDⓈ-M fixture with a small wallet: both positions have a liquidation price. */
export function tight(): AccountSnapshot {
  return { ...fixture('binance-usdm'), walletBalance: '100' };
}

/** OKX fixture with a flat tier override (OKX has no bundled tier table). */
export function okxWithTiers(): AccountSnapshot {
  const s = fixture('okx');
  return { ...s, positions: s.positions.map((p) => ({ ...p, tier: { mmr: '0.004', maintAmount: '0' } })) };
}

/** The sender Chrome reports for a message from our popup page. */
export function popupSender() {
  return { id: fakeBrowser.runtime.id, url: fakeBrowser.runtime.getURL('/popup.html') };
}

/**
 * The real background for popup component tests: a {@link Monitor} loaded from (fake-browser)
 * storage holding `records`, its streams pointed at the loopback `streamOrigin` (see
 * test/support/stream-server.ts), and `browser.runtime.sendMessage` from the popup routed to the
 * exported `handleMessage` with the popup's sender, as Chrome delivers it. Resets the fake browser.
 * Dispose the returned monitor after the test.
 */
export async function startTestBackground(records: AccountRecord[], streamOrigin: string, now: () => number = Date.now): Promise<Monitor> {
  fakeBrowser.reset();
  await endpointOverrideItem.setValue({ stream: streamOrigin, rest: streamOrigin.replace(/^ws/, 'http') });
  await accountsItem.setValue(Object.fromEntries(records.map((r) => [r.key, r])));
  const monitor = new Monitor({
    now,
    extensionId: fakeBrowser.runtime.id,
    notify: async () => {},
    setBadge: async () => {},
    WebSocket,
    backoff: { minMs: 30, maxMs: 200, jitterMs: 10 },
  });
  await monitor.init();
  fakeBrowser.runtime.onMessage.addListener((msg: unknown, _sender: unknown, sendResponse: (r: unknown) => void) => {
    void handleMessage(monitor, msg, popupSender()).then(sendResponse, (e) => sendResponse({ ok: false, error: String(e) }));
    return true;
  });
  return monitor;
}

/** Wait until `cond` holds (polling every 10 ms), or fail after `ms`. */
export { until } from '../support/until';
