// @vitest-environment happy-dom
/**
 * Spot margin accounts on the on-page overlay: the real MarginWatch's overlay view (reader → engine
 * → alert machine) through the real OverlayFeed over in-memory ports; shown only on www.binance.com,
 * the margin tab's own account first.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_ALERT_SETTINGS } from '../../lib/alerts/machine';
import { OverlayFeed } from '../../lib/background/overlay-feed';
import { MarginWatch } from '../../lib/background/margin-watch';
import { withPrices, MARGIN_FIXTURES, marginDoc } from '../exchanges/binance-margin/helpers';
import { readBinanceMargin } from '../../lib/exchanges/binance-margin/reader';
import { isOverlayFeedMessage, OVERLAY_PORT, type OverlayFeedMessage } from '../../lib/protocol/overlay-feed';
import { DEFAULT_PLACEMENT } from '../../lib/view/overlay';
import { portPair } from '../support/runtime-ports';

const OUR_ID = 'our-extension-id';
const SENDER = { id: OUR_ID, url: MARGIN_FIXTURES.cross.url, tab: { id: 9, windowId: 1 } };

async function setup() {
  const w = new MarginWatch({
    now: Date.now,
    extensionId: OUR_ID,
    notify: async () => {},
    settings: () => ({ alerts: DEFAULT_ALERT_SETTINGS, marginAlerts: { levels: [2, 1.5, 1.3], liquidation: 1.1 }, notifications: false }),
    save: async () => {},
    badgeChanged: () => {},
  });
  // Prices from the page snapshot itself (no stream in this test): the reader's snapshot priced as the fixture states.
  const read = readBinanceMargin(marginDoc(MARGIN_FIXTURES.cross.file), MARGIN_FIXTURES.cross.url);
  await w.handleRead({ snapshot: withPrices(read.snapshot!, { BTC: '64000', ETH: '3100', BNB: '580' }), health: read.health }, SENDER);
  const feed = new OverlayFeed({
    now: () => Date.now(),
    setTimeout: (fn, ms) => setTimeout(fn, ms),
    clearTimeout: (id) => clearTimeout(id as number),
    extensionId: OUR_ID,
    accounts: () => ({}),
    alertSettings: () => ({ levels: [0.5, 0.7, 0.8, 0.9], positionDistance: 0 }),
    placement: () => ({ ...DEFAULT_PLACEMENT, collapsed: false }),
    rejected: () => {},
    marginAccounts: (host, tabId, collapsed) => w.overlayAccounts(host, tabId, collapsed),
  });
  const connect = (sender: object) => {
    const { client, server } = portPair(OVERLAY_PORT, sender);
    const got: OverlayFeedMessage[] = [];
    client.onMessage.addListener((m) => got.push(m as OverlayFeedMessage));
    feed.connect(server);
    return got;
  };
  return { w, connect };
}

describe('overlay feed with spot margin accounts', () => {
  it('the margin page gets its account: level as Binance shows it, risk in the title, a row per coin with its liquidation price', async () => {
    const { w, connect } = await setup();
    const got = connect(SENDER);
    await new Promise((r) => setTimeout(r, 0));
    expect(isOverlayFeedMessage(got[0])).toBe(true);
    expect(got[0]!.pageAccount).toBe('binance-margin:cross');
    const a = got[0]!.accounts.find((x) => x.badge.key === 'binance-margin:cross')!;
    expect(a.badge.ratio.text).toBe('ML 1.47');
    expect(a.badge.ratio.title).toMatch(/risk 75 %/);
    expect(a.badge.rows.map((r) => [r.symbol, r.side])).toEqual([['BTC', 'long'], ['ETH', 'long'], ['BNB', 'short']]);
    expect(a.badge.rows[0]!.liq.text).toBe(w.accounts['binance-margin:cross']!.risk!.mode === 'cross' ? (w.accounts['binance-margin:cross']!.risk as { assets: { liquidationPrice: string | null }[] }).assets[1]!.liquidationPrice : '');
    w.stop();
  });
  it('other hosts get no margin account', async () => {
    const { w, connect } = await setup();
    const got = connect({ id: OUR_ID, url: 'https://www.bybit.com/trade/usdt/BTCUSDT', tab: { id: 2 } });
    await new Promise((r) => setTimeout(r, 0));
    expect(got[0]!.accounts).toEqual([]);
    w.stop();
  });
});
