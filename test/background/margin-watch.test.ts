// @vitest-environment happy-dom
/**
 * The worker's spot margin monitor end to end in Node: a Binance Cross Margin page read (the
 * reconstructed fixture, real reader), prices from the loopback spot stream (real format, real
 * stream client), the engine, the real alert machine, notifications and the toolbar badge.
 * The level falls 2.5 → 1.9 → 1.45 → 1.2 through stream prices: one notice per level.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { toolbarBadge } from '@/lib/alerts/badge';
import { DEFAULT_ALERT_SETTINGS } from '@/lib/alerts/machine';
import type { NotificationText } from '@/lib/alerts/text';
import { MarginWatch, MARGIN_PAGE_HOST } from '@/lib/background/margin-watch';
import { marginSenderProblem } from '@/lib/background/senders';
import { readBinanceMargin } from '@/lib/exchanges/binance-margin/reader';
import type { MarginAccountRecord } from '@/lib/storage/margin';
import { MARGIN_FIXTURES, marginDoc } from '../exchanges/binance-margin/helpers';
import { until } from '../support/until';
import { useStreamServer } from '../support/stream-server';

const server = useStreamServer();

const OUR_ID = 'ourextensionid';
const SENDER = { id: OUR_ID, url: MARGIN_FIXTURES.cross.url, tab: { id: 7, windowId: 1 } };

/** A one-asset-pair cross account: 0.05 BTC held, 1000 USDT owed: level = BTC price / 20 000. */
function pageWithBtcOnly(): Document {
  const doc = marginDoc(MARGIN_FIXTURES.cross.file);
  const rows = doc.querySelectorAll('tbody tr');
  rows[0]!.innerHTML = '<td>USDT</td><td>0.00000000</td><td>0.00000000</td><td>0.00000000</td><td>1,000.00000000</td><td>0.00000000</td><td>-1,000.00000000</td><td></td>';
  rows[1]!.innerHTML = '<td>BTC</td><td>0.05000000</td><td>0.05000000</td><td>0.00000000</td><td>0.00000000</td><td>0.00000000</td><td>0.05000000</td><td></td>';
  rows[2]!.remove();
  rows[3]!.remove();
  doc.querySelector('.css-risk .v')!.textContent = '2.50';
  return doc;
}

function watch(notices: { id: string; t: NotificationText }[], saved: Record<string, MarginAccountRecord>[]) {
  return new MarginWatch({
    now: Date.now,
    extensionId: OUR_ID,
    notify: async (id, t) => void notices.push({ id, t }),
    settings: () => ({ alerts: DEFAULT_ALERT_SETTINGS, marginAlerts: { levels: [2, 1.5, 1.3], liquidation: 1.1 }, notifications: true }),
    save: async (r) => void saved.push(structuredClone(r)),
    badgeChanged: () => {},
    WebSocket,
    backoff: { minMs: 50, maxMs: 200, factor: 2, jitterMs: 10 },
  });
}

describe('margin reads: sender rule', () => {
  it.each([
    [{ ...SENDER, id: 'other' }, /foreign extension/],
    [{ ...SENDER, tab: undefined }, /not from a tab/],
    [{ ...SENDER, url: 'http://www.binance.com/en/trade/BTC_USDT?type=cross' }, /not https/],
    [{ ...SENDER, url: 'https://www.binance.com.evil.example/en/trade/BTC_USDT?type=cross' }, /host/],
  ])('refuses %j', (sender, why) => expect(marginSenderProblem(sender, OUR_ID, MARGIN_PAGE_HOST)).toMatch(why));
  it('accepts our content script on www.binance.com', () => expect(marginSenderProblem(SENDER, OUR_ID, MARGIN_PAGE_HOST)).toBeNull());
});

describe('MarginWatch on the loopback spot stream', () => {
  it('2.5 → 1.9 → 1.45 → 1.2: one notification per level, badge shows the level, liquidation price stored', async () => {
    const notices: { id: string; t: NotificationText }[] = [];
    const saved: Record<string, MarginAccountRecord>[] = [];
    const w = watch(notices, saved);
    w.setOverride({ stream: server().origin });
    server().setMark('binance-spot', 'BTCUSDT', '50000');
    const read = readBinanceMargin(pageWithBtcOnly(), MARGIN_FIXTURES.cross.url);
    expect(await w.handleRead({ type: 'margin-read', exchange: 'binance-margin', ...read }, SENDER)).toEqual({ ok: true });
    await until(() => w.accounts['binance-margin:cross']?.risk?.marginLevel === '2.5');
    expect(notices).toEqual([]);
    const badge = () => toolbarBadge(w.badgeAccounts(), { display: 'exchange' });
    expect(badge().text).toBe('2.50');

    const fall = async (price: string, level: string) => {
      server().setMark('binance-spot', 'BTCUSDT', price);
      await until(() => w.accounts['binance-margin:cross']?.risk?.marginLevel === level);
      await w.evaluateAll();
    };
    await fall('38000', '1.9');
    expect(notices.map((n) => n.t.title)).toEqual(['Binance Cross Margin: margin level 1.90']);
    expect(badge().text).toBe('1.90');
    await fall('29000', '1.45');
    await fall('29000', '1.45'); // the same price again: nothing new
    await fall('24000', '1.2');
    expect(notices.map((n) => n.id)).toEqual([
      `ms|binance-margin:cross|level|${1.1 / 2}`,
      `ms|binance-margin:cross|level|${1.1 / 1.5}`,
      `ms|binance-margin:cross|level|${1.1 / 1.3}`,
    ]);
    expect(notices[2]!.t.requireInteraction).toBe(true);
    expect(notices[2]!.t.message).toMatch(/BTC liquidates the account at 22000/);
    expect(badge()).toMatchObject({ text: '1.20' });
    expect(badge().title).toMatch(/margin level 1.20 \(risk 91.7 %/);
    const rec = saved.at(-1)!['binance-margin:cross']!;
    expect(rec.risk?.mode === 'cross' && rec.risk.assets[1]!.liquidationPrice).toBe('22000');
    expect(rec.alert.currentLevel).toBeCloseTo(1.1 / 1.3, 10);
    w.stop();
  });

  it('a rejected snapshot is refused naming the field; an unread row makes the account unknown, never a safe level', async () => {
    const w = watch([], []);
    w.setOverride({ stream: server().origin });
    const read = readBinanceMargin(pageWithBtcOnly(), MARGIN_FIXTURES.cross.url);
    const bad = { ...read.snapshot!, assets: [{ ...read.snapshot!.assets[0]!, borrowed: '-1' }] };
    expect(await w.handleRead({ snapshot: bad, health: read.health }, SENDER)).toMatchObject({ ok: false, error: expect.stringMatching(/assets\[0\]\.borrowed/) });
    const partial = { ...read.snapshot!, unread: ['ETH'] };
    server().setMark('binance-spot', 'BTCUSDT', '50000');
    await w.handleRead({ snapshot: partial, health: read.health }, SENDER);
    await until(() => (w.accounts['binance-margin:cross']?.evaluatedAt ?? 0) > 0);
    const a = w.accounts['binance-margin:cross']!;
    expect(a.risk?.marginLevel).toBeNull();
    // the page's own level (2.50) is still shown, but the unread row keeps the badge loud
    expect(toolbarBadge(w.badgeAccounts(), { display: 'exchange' }).text).not.toBe('');
    w.stop();
  });
});

describe('MarginWatch, Isolated Margin', () => {
  it('reads the isolated page, prices each pair from the stream, alerts on the worst pair', async () => {
    const notices: { id: string; t: NotificationText }[] = [];
    const w = watch(notices, []);
    w.setOverride({ stream: server().origin });
    server().setMark('binance-spot', 'BTCUSDT', '50000');
    server().setMark('binance-spot', 'ETHUSDT', '3000');
    const read = readBinanceMargin(marginDoc(MARGIN_FIXTURES.isolated.file), MARGIN_FIXTURES.isolated.url);
    await w.handleRead({ type: 'margin-read', exchange: 'binance-margin', ...read }, { ...SENDER, url: MARGIN_FIXTURES.isolated.url });
    await until(() => w.accounts['binance-margin:isolated']?.risk?.marginLevel === '1.49970006');
    // BTCUSDT at 1.4997 is below 1.5: one notice (2.0 and 1.5 crossed in one step → the 1.5 one)
    await w.evaluateAll();
    expect(notices.map((n) => n.t.title)).toEqual(['Binance Isolated Margin: margin level 1.49']);
    const risk = w.accounts['binance-margin:isolated']!.risk!;
    expect(risk.mode === 'isolated' && risk.pairs.map((p) => p.liquidationPrice)).toEqual(['36674', '5454.54545454']);
    // ETH rises: the ETHUSDT pair (a borrowed ETH) becomes the worst
    server().setMark('binance-spot', 'ETHUSDT', '4400');
    await until(() => {
      const r = w.accounts['binance-margin:isolated']!.risk!;
      return r.mode === 'isolated' && r.worstPair === 1;
    });
    expect(toolbarBadge(w.badgeAccounts(), { display: 'exchange' }).text).toBe('1.36');
    w.stop();
  });
});

describe('MarginWatch across a worker restart', () => {
  it('the stored alert state continues: the same level is not notified again, the next one is', async () => {
    const notices: { id: string; t: NotificationText }[] = [];
    const saved: Record<string, MarginAccountRecord>[] = [];
    const w1 = watch(notices, saved);
    w1.setOverride({ stream: server().origin });
    server().setMark('binance-spot', 'BTCUSDT', '38000');
    const read = readBinanceMargin(pageWithBtcOnly(), MARGIN_FIXTURES.cross.url);
    await w1.handleRead({ ...read }, SENDER);
    await until(() => w1.accounts['binance-margin:cross']?.risk?.marginLevel === '1.9');
    await w1.evaluateAll();
    expect(notices).toHaveLength(1);
    w1.stop();
    // A new worker: records back from storage, same price.
    const w2 = watch(notices, saved);
    w2.load(structuredClone(saved.at(-1)!));
    w2.setOverride({ stream: server().origin });
    await until(() => (w2.accounts['binance-margin:cross']?.evaluatedAt ?? 0) > saved.at(-2)!['binance-margin:cross']!.evaluatedAt);
    await w2.evaluateAll();
    expect(notices).toHaveLength(1);
    server().setMark('binance-spot', 'BTCUSDT', '29000');
    await until(() => notices.length === 2);
    expect(notices[1]!.t.title).toBe('Binance Cross Margin: margin level 1.45');
    w2.stop();
  });
});
