import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { isElevated, OVERLAY_FIGURES_CALM_MS, OVERLAY_FIGURES_ELEVATED_MS, OverlayFeed, type FeedAlertSettings } from '../../lib/background/overlay-feed';
import { FEED_HEARTBEAT_MS, FEED_QUIET_STALE_MS, isOverlayFeedMessage, OVERLAY_PORT, type OverlayFeedMessage, type OverlayPlacement } from '../../lib/protocol/overlay-feed';
import { DEFAULT_PLACEMENT } from '../../lib/view/overlay';
import type { AccountRecord } from '../../lib/storage';
import { watchOverlayFeed } from '../../components/overlay/source';
import { pageAccounts } from '../../components/overlay/OverlayRoot';
import { portPair, type FakePort } from '../support/runtime-ports';
import { NOW, record, tight } from '../components/helpers';

const OUR_ID = 'our-extension-id';
const BINANCE = { id: OUR_ID, url: 'https://www.binance.com/en/futures/BTCUSDT', tab: { id: 3, windowId: 1 } };

let accounts: Record<string, AccountRecord>;
let placement: OverlayPlacement;
let rejected: string[];
let alert: FeedAlertSettings;
let feed: OverlayFeed;

beforeEach(() => {
  vi.useFakeTimers({ now: NOW });
  accounts = { 'binance-usdm': record(tight()) };
  placement = DEFAULT_PLACEMENT;
  rejected = [];
  alert = { levels: [0.5, 0.7, 0.8, 0.9], positionDistance: 0 };
  feed = new OverlayFeed({
    now: () => Date.now(),
    setTimeout: (fn, ms) => setTimeout(fn, ms),
    clearTimeout: (id) => clearTimeout(id as number),
    extensionId: OUR_ID,
    accounts: () => accounts,
    alertSettings: () => alert,
    placement: () => placement,
    rejected: (why) => rejected.push(why),
  });
});
afterEach(() => vi.useRealTimers());

/** Connect an overlay; returns its end and the messages it received. */
async function overlay(sender: object = BINANCE, name = OVERLAY_PORT): Promise<{ port: FakePort; got: OverlayFeedMessage[]; accepted: boolean }> {
  const { client, server } = portPair(name, sender);
  const got: OverlayFeedMessage[] = [];
  client.onMessage.addListener((m) => got.push(m as OverlayFeedMessage));
  const accepted = feed.connect(server);
  await vi.advanceTimersByTimeAsync(0);
  return { port: client, got, accepted };
}

/** The Binance record with its margin ratio moved by `delta` (fraction), evaluated now. */
function moved(delta: number, over: Partial<AccountRecord> = {}): AccountRecord {
  const r = accounts['binance-usdm']!;
  return { ...r, riskAt: Date.now(), risk: { ...r.risk!, marginRatio: String(Number(r.risk!.marginRatio) + delta) }, ...over };
}

describe('overlay feed (background side)', () => {
  it('sends a new overlay its host only: its accounts, valid, with no rows while collapsed', async () => {
    accounts.bybit = record(null, { key: 'bybit', exchange: 'bybit', label: 'Bybit' });
    const { got, accepted } = await overlay();
    expect(accepted).toBe(true);
    expect(got).toHaveLength(1);
    expect(isOverlayFeedMessage(got[0])).toBe(true);
    expect(got[0]!.accounts.map((a) => a.badge.key)).toEqual(['binance-usdm']);
    expect(got[0]!.accounts[0]!.badge.rows).toEqual([]);
    expect(feed.size).toBe(1);
  });

  it('refuses and counts ports from other extensions, other sites, plain http or no tab; ignores other port names', async () => {
    for (const sender of [
      { ...BINANCE, id: 'someone-else' },
      { ...BINANCE, url: 'https://www.binance.com.evil.example/en/futures/BTCUSDT' },
      { ...BINANCE, url: 'http://www.binance.com/en/futures/BTCUSDT' },
      { id: OUR_ID, url: BINANCE.url },
    ]) {
      const { port, got, accepted } = await overlay(sender);
      expect(accepted).toBe(false);
      expect(port.connected).toBe(false);
      expect(got).toEqual([]);
    }
    expect(rejected).toHaveLength(4);
    expect(rejected[1]).toMatch(/host www\.binance\.com\.evil\.example is not an exchange page/);
    const other = await overlay(BINANCE, 'something-else');
    expect(other.accepted).toBe(false);
    expect(other.port.connected).toBe(true); // not ours to close
    expect(rejected).toHaveLength(4);
    expect(feed.size).toBe(0);
  });

  it('a new evaluation that changes no shown text is not sent', async () => {
    const { got } = await overlay();
    for (let i = 0; i < 30; i++) {
      await vi.advanceTimersByTimeAsync(1_000);
      accounts = { 'binance-usdm': moved(1e-9) }; // a digit the badge does not show; a new evaluation time
      feed.publish();
    }
    await vi.advanceTimersByTimeAsync(OVERLAY_FIGURES_CALM_MS);
    expect(got).toHaveLength(1);
  });

  it('figures of a calm account: at most one post per 10 s, the latest one, and the last change is never lost', async () => {
    const { got } = await overlay();
    expect(isElevated(accounts['binance-usdm']!, alert)).toBe(false);
    await vi.advanceTimersByTimeAsync(OVERLAY_FIGURES_CALM_MS);
    accounts = { 'binance-usdm': moved(0.001) };
    feed.publish();
    await vi.advanceTimersByTimeAsync(0);
    expect(got).toHaveLength(2); // interval since the last post has passed: at once
    const base = accounts['binance-usdm']!;
    for (let i = 1; i <= 4; i++) {
      await vi.advanceTimersByTimeAsync(2_000);
      accounts = { 'binance-usdm': { ...base, risk: { ...base.risk!, marginRatio: String(Number(base.risk!.marginRatio) + i * 0.001) } } };
      feed.publish();
    }
    expect(got).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(2_000); // 10 s after the last post: the trailing post, with the latest figures
    expect(got).toHaveLength(3);
    expect(got[2]!.accounts[0]!.badge.ratio.text).toBe(`${(Number(base.risk!.marginRatio) * 100 + 0.4).toFixed(1)} %`);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(got).toHaveLength(3);
  });

  it('figures of an elevated account (over a level, or near liquidation) are sent every second', async () => {
    const { got } = await overlay();
    alert = { ...alert, levels: [0.0001] }; // the account is now over its only level
    expect(isElevated(accounts['binance-usdm']!, alert)).toBe(true);
    feed.publish();
    await vi.advanceTimersByTimeAsync(0);
    expect(got).toHaveLength(2); // the band changed: at once
    for (let i = 1; i <= 5; i++) {
      accounts = { 'binance-usdm': moved(i * 0.001) };
      feed.publish();
      await vi.advanceTimersByTimeAsync(OVERLAY_FIGURES_ELEVATED_MS);
    }
    expect(got).toHaveLength(7);
    // Calm band, but a position within twice the distance alert of its liquidation price.
    alert = { levels: [0.5, 0.7, 0.8, 0.9], positionDistance: 0.05 };
    const r = accounts['binance-usdm']!;
    const near = { ...r, risk: { ...r.risk!, positions: r.risk!.positions.map((p, i) => (i === 0 ? { ...p, distanceToLiquidation: '0.08' } : p)) } };
    expect(isElevated(near, alert)).toBe(true);
    expect(isElevated(near, { ...alert, positionDistance: 0.03 })).toBe(false);
    expect(isElevated(near, { ...alert, positionDistance: 0 })).toBe(false);
  });

  it('a pending calm post comes sooner when the account becomes elevated', async () => {
    alert = { levels: [0.5, 0.7, 0.8, 0.9], positionDistance: 0.05 };
    const { got } = await overlay();
    accounts = { 'binance-usdm': moved(0.001) };
    feed.publish(); // calm: due 10 s after the first post
    await vi.advanceTimersByTimeAsync(500);
    const r = accounts['binance-usdm']!;
    accounts = { 'binance-usdm': { ...r, risk: { ...r.risk!, positions: r.risk!.positions.map((p) => ({ ...p, distanceToLiquidation: '0.08' })) } } };
    feed.publish(); // elevated: due 1 s after the first post
    await vi.advanceTimersByTimeAsync(600);
    expect(got).toHaveLength(2);
  });

  it('band, status, positions and placement changes are sent at once', async () => {
    const { got } = await overlay();
    const base = accounts['binance-usdm']!;
    accounts = { 'binance-usdm': { ...base, risk: { ...base.risk!, riskRatio: '0.85' } } }; // band: over the 80 % level
    feed.publish();
    await vi.advanceTimersByTimeAsync(0);
    expect(got).toHaveLength(2);
    expect(got[1]!.accounts[0]!.badge.band).not.toBe(got[0]!.accounts[0]!.badge.band);
    accounts = { 'binance-usdm': { ...accounts['binance-usdm']!, stale: 'no mark price for 95 s' } };
    feed.publish();
    await vi.advanceTimersByTimeAsync(0);
    expect(got).toHaveLength(3);
    expect(got[2]!.accounts[0]!.status.stale).toBe('no mark price for 95 s');
    placement = { ...placement, collapsed: false };
    feed.publish();
    await vi.advanceTimersByTimeAsync(0);
    expect(got).toHaveLength(4);
    expect(got[3]!.accounts[0]!.badge.rows.length).toBe(base.risk!.positions.length);
    const r = accounts['binance-usdm']!;
    accounts = { 'binance-usdm': { ...r, risk: { ...r.risk!, positions: r.risk!.positions.slice(1) } } }; // a position closed
    feed.publish();
    await vi.advanceTimersByTimeAsync(0);
    expect(got).toHaveLength(5);
    delete accounts['binance-usdm']; // the account goes
    feed.publish();
    await vi.advanceTimersByTimeAsync(0);
    expect(got).toHaveLength(6);
    expect(got[5]!.accounts).toEqual([]);
  });

  it('the watchdog heartbeat posts an overlay that has not been posted for a minute, and only then', async () => {
    const { got } = await overlay();
    await vi.advanceTimersByTimeAsync(30_000);
    feed.heartbeat();
    await vi.advanceTimersByTimeAsync(0);
    expect(got).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(FEED_HEARTBEAT_MS - 30_000);
    feed.heartbeat();
    await vi.advanceTimersByTimeAsync(0);
    expect(got).toHaveLength(2);
    expect(got[1]).toEqual(got[0]); // nothing changed: the same view, as proof of life
    feed.heartbeat();
    await vi.advanceTimersByTimeAsync(0);
    expect(got).toHaveLength(2);
    expect(FEED_HEARTBEAT_MS + 30_000).toBeLessThan(FEED_QUIET_STALE_MS); // a watchdog period late is still in time
  });

  it('a closed overlay is dropped with its pending post', async () => {
    const { port, got } = await overlay();
    accounts = { 'binance-usdm': moved(0.001) };
    feed.publish(); // within the interval: a trailing post is pending
    port.disconnect();
    await vi.advanceTimersByTimeAsync(0);
    expect(feed.size).toBe(0);
    await vi.advanceTimersByTimeAsync(OVERLAY_FIGURES_CALM_MS);
    expect(got).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("names the account of the overlay's own tab (the overlay shows only it), and follows the tab to another account", async () => {
    const mine = { ...accounts['binance-usdm']!, key: 'binance-usdm/tab:3', tabId: 3, pageSeenAt: NOW - 2000 };
    const other = { ...accounts['binance-usdm']!, key: 'binance-usdm/uid:22222222', tabId: 4, pageSeenAt: NOW - 1000 };
    accounts = { [mine.key]: mine, [other.key]: other };
    const { got } = await overlay();
    expect(got[0]!.accounts.map((a) => a.badge.key).sort()).toEqual([mine.key, other.key]);
    expect(got[0]!.pageAccount).toBe(mine.key);
    expect(pageAccounts(got[0]!).map((a) => a.badge.key)).toEqual([mine.key]);
    // The trader logs in to another account in tab 3: its latest read is keyed by the new identity.
    const next = { ...other, key: 'binance-usdm/uid:33333333', tabId: 3, pageSeenAt: NOW };
    accounts = { ...accounts, [next.key]: next };
    feed.publish();
    await vi.advanceTimersByTimeAsync(0);
    expect(got.at(-1)!.pageAccount).toBe(next.key);
    // A tab with no account of its own gets none named: every account of the host is shown.
    const stranger = await overlay({ ...BINANCE, tab: { id: 9, windowId: 1 } });
    expect(stranger.got[0]!.pageAccount).toBeNull();
    expect(pageAccounts(stranger.got[0]!)).toHaveLength(3);
  });
});

describe('overlay feed client (page side)', () => {
  it('reports the loss once, reconnects with backoff (1, 2, 4 s…), resets it on a message; ignores malformed messages', async () => {
    const opened: FakePort[] = [];
    const seen: OverlayFeedMessage[] = [];
    const lost: number[] = [];
    const unsubscribe = watchOverlayFeed(
      {
        connect: (name) => {
          const { client, server } = portPair(name, BINANCE);
          opened.push(server);
          return client;
        },
        now: () => Date.now(),
        setTimeout: (fn, ms) => setTimeout(fn, ms),
        clearTimeout: (id) => clearTimeout(id as number),
      },
      { message: (m) => seen.push(m), lost: (at) => lost.push(at) },
    );
    expect(opened).toHaveLength(1);
    expect(opened[0]!.name).toBe(OVERLAY_PORT);
    opened[0]!.postMessage({ type: 'overlay-feed', accounts: 'nope', placement: DEFAULT_PLACEMENT });
    opened[0]!.postMessage({ type: 'overlay-feed', accounts: [], placement: DEFAULT_PLACEMENT });
    await vi.advanceTimersByTimeAsync(0);
    expect(seen).toHaveLength(1);
    opened[0]!.disconnect(); // the worker stops
    await vi.advanceTimersByTimeAsync(0);
    expect(lost).toEqual([NOW]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(opened).toHaveLength(2);
    opened[1]!.disconnect(); // no one there yet
    await vi.advanceTimersByTimeAsync(1_999);
    expect(opened).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(opened).toHaveLength(3);
    expect(lost).toHaveLength(1); // one outage, reported once
    opened[2]!.postMessage({ type: 'overlay-feed', accounts: [], placement: DEFAULT_PLACEMENT });
    await vi.advanceTimersByTimeAsync(0);
    opened[2]!.disconnect();
    await vi.advanceTimersByTimeAsync(1_000); // back to 1 s after a message
    expect(opened).toHaveLength(4);
    expect(lost).toHaveLength(2);
    unsubscribe();
    await vi.advanceTimersByTimeAsync(0);
    expect(opened[3]!.connected).toBe(false);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(opened).toHaveLength(4);
  });

  it('stops for good when the extension context is invalidated, and says the data is not watched', async () => {
    const lost: number[] = [];
    let attempts = 0;
    watchOverlayFeed(
      {
        connect: () => {
          attempts++;
          throw new Error('Extension context invalidated.');
        },
        now: () => Date.now(),
        setTimeout: (fn, ms) => setTimeout(fn, ms),
        clearTimeout: (id) => clearTimeout(id as number),
      },
      { message: () => {}, lost: (at) => lost.push(at) },
    );
    await vi.advanceTimersByTimeAsync(120_000);
    expect(attempts).toBe(1);
    expect(lost).toEqual([NOW]);
  });
});
