/**
 * `what-if` and `stress` runtime messages: accepted from extension pages only, payloads validated
 * (errors name the field), results from the real engine on the monitor's own input (page snapshot +
 * live stream marks, tier tables), funding from the stream's rate. Real background on WXT's fake
 * browser, streams from the loopback server.
 */
import fs from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import WebSocket from 'ws';
import { handleMessage, startBackground } from '@/lib/background';
import type { Monitor } from '@/lib/background/monitor';
import { evaluate, fundingPayment, stressTable, whatIf, withMarks } from '@/lib/engine';
import type { AccountSnapshot } from '@/lib/engine/snapshot';
import { defaultTierTables } from '@/lib/exchanges/tiers';
import type { ReaderHealth } from '@/lib/exchanges/health';
import type { PageReadMessage } from '@/lib/protocol/page-read';
import { accountsItem, endpointOverrideItem, marksItem } from '@/lib/storage';
import { startStreamServer, type StreamServer } from '../../harness/stream-server';
import { until } from '../support/until';

const SNAP: AccountSnapshot = JSON.parse(fs.readFileSync(new URL('../fixtures/snapshots/hyperliquid.json', import.meta.url), 'utf8'));
const TABLES = defaultTierTables('hyperliquid');
const HEALTH: ReaderHealth = { exchange: 'hyperliquid', status: 'ok', url: 'https://app.hyperliquid.xyz/trade', readAt: 0, found: [], missing: [], problems: [], lastGoodReadAt: 0 };
const pageRead = (): PageReadMessage => ({ type: 'page-read', exchange: 'hyperliquid', snapshot: SNAP, health: HEALTH });
const TAB_SENDER = () => ({ id: fakeBrowser.runtime.id, url: 'https://app.hyperliquid.xyz/trade', tab: { id: 7, windowId: 1 } });
const POPUP = () => ({ id: fakeBrowser.runtime.id, url: fakeBrowser.runtime.getURL('/popup.html') });

let server: StreamServer;
let monitor: Monitor | null = null;
beforeAll(async () => {
  server = await startStreamServer();
});
afterAll(() => server.close());
beforeEach(async () => {
  fakeBrowser.reset();
  server.reset();
  await endpointOverrideItem.setValue({ stream: server.origin, rest: server.httpOrigin });
});
afterEach(async () => {
  await monitor?.dispose();
  monitor = null;
});

function send<T = any>(msg: unknown, sender: object): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    (fakeBrowser.runtime.onMessage as any).trigger(msg, sender, resolve).catch(reject);
  });
}
async function start() {
  const s = startBackground({ WebSocket, backoff: { minMs: 30, maxMs: 200, jitterMs: 10 } });
  monitor = s.monitor;
  await s.ready;
  expect(await send(pageRead(), TAB_SENDER())).toEqual({ ok: true, priceRefreshMs: 500 }); // no stream mark yet: the page is the live price source
  await until(() => server.subscriptions('hyperliquid').join() === 'BTC,ETH');
  return s.monitor;
}
const SCENARIO = { moves: [{ kind: 'shift-mark', symbol: 'BTC', percent: '-5' }] };

describe('what-if / stress messages', () => {
  it('are refused from content scripts and foreign extensions (sender check as for get-state)', async () => {
    await start();
    for (const msg of [{ type: 'what-if', accountKey: 'hyperliquid/tab:7', scenario: SCENARIO }, { type: 'stress', accountKey: 'hyperliquid/tab:7' }]) {
      expect(await send(msg, TAB_SENDER())).toEqual({ ok: false, error: 'unknown sender' });
      expect(await send(msg, { id: 'someone-else' })).toEqual({ ok: false, error: 'unknown sender' });
    }
  });

  it('what-if: the engine result on the snapshot with the live stream marks the monitor uses', async () => {
    const m = await start();
    server.setMark('hyperliquid', 'BTC', '91000');
    await until(() => m.accounts['hyperliquid/tab:7']!.marks.BTC?.price === '91000');
    const live = withMarks(SNAP, { BTC: '91000' });
    const r = await send(JSON.parse(JSON.stringify({ type: 'what-if', accountKey: 'hyperliquid/tab:7', scenario: SCENARIO })), POPUP());
    expect(r.ok).toBe(true);
    expect(r.result).toEqual(JSON.parse(JSON.stringify(whatIf(live, SCENARIO, TABLES))));
    // Same input as the monitor's evaluation: the "before" is the risk it stored.
    expect(r.result.before.riskRatio).toBe(m.accounts['hyperliquid/tab:7']!.risk!.riskRatio);
    expect(r.result.before.riskRatio).not.toBe(evaluate(SNAP, TABLES).riskRatio);
  });

  it('what-if: invalid payloads and moves name the field', async () => {
    await start();
    const ask = (msg: object) => send({ type: 'what-if', ...msg }, POPUP());
    expect(await ask({ accountKey: 'hyperliquid/tab:7', scenario: { moves: [{ kind: 'shift-mark', symbol: 'BTC', percent: 'abc' }] } })).toMatchObject({
      ok: false,
      kind: 'scenario',
      field: 'moves[0].percent',
      problem: 'must be a decimal string (got "abc")',
    });
    expect(await ask({ accountKey: 'hyperliquid/tab:7', scenario: { moves: [{ kind: 'add-margin', amount: '-1000000' }] } })).toMatchObject({
      ok: false,
      kind: 'scenario',
      field: 'moves[0].amount',
    });
    expect(await ask({ accountKey: 'hyperliquid/tab:7', scenario: { moves: [{ kind: 'set-mark', symbol: 'BTC', price: '0' }] } })).toMatchObject({ ok: false, field: 'moves[0].price' });
    expect(await ask({ accountKey: 'hyperliquid/tab:7', scenario: { moves: 'all' } })).toMatchObject({ ok: false, kind: 'request', field: 'scenario.moves' });
    expect(await ask({ accountKey: 'hyperliquid/tab:7', scenario: { moves: Array(51).fill(SCENARIO.moves[0]) } })).toMatchObject({ ok: false, field: 'scenario.moves' });
    expect(await ask({ accountKey: 42, scenario: SCENARIO })).toMatchObject({ ok: false, kind: 'request', field: 'accountKey' });
    expect(await ask({ accountKey: 'bybit', scenario: SCENARIO })).toMatchObject({ ok: false, field: 'accountKey', problem: 'no account with a snapshot: bybit' });
    expect(await ask({ accountKey: '__proto__', scenario: SCENARIO })).toMatchObject({ ok: false, field: 'accountKey' });
  });

  it('stress: the engine table on the live input, one symbol with a factor, and field-named errors', async () => {
    const m = await start();
    server.setMark('hyperliquid', 'BTC', '91000');
    await until(() => m.accounts['hyperliquid/tab:7']!.marks.BTC?.price === '91000');
    const live = withMarks(SNAP, { BTC: '91000' });
    const r = await send({ type: 'stress', accountKey: 'hyperliquid/tab:7' }, POPUP());
    expect(r.rows).toEqual(JSON.parse(JSON.stringify(stressTable(live, TABLES))));
    const one = await send({ type: 'stress', accountKey: 'hyperliquid/tab:7', shocks: ['-0.1', '0.1'], symbol: 'BTC', factor: '0.5' }, POPUP());
    expect(one.rows).toEqual(JSON.parse(JSON.stringify(stressTable(live, TABLES, ['-0.1', '0.1'], { symbol: 'BTC', factor: '0.5' }))));
    expect(await send({ type: 'stress', accountKey: 'hyperliquid/tab:7', factor: '1e3', symbol: 'BTC' }, POPUP())).toMatchObject({ ok: false, field: 'factor' });
    expect(await send({ type: 'stress', accountKey: 'hyperliquid/tab:7', shocks: ['-0.1', 'x'] }, POPUP())).toMatchObject({ ok: false, field: 'shocks[1]' });
    expect(await send({ type: 'stress', accountKey: 'hyperliquid/tab:7', shocks: [] }, POPUP())).toMatchObject({ ok: false, field: 'shocks' });
    expect(await send({ type: 'stress', accountKey: 'hyperliquid/tab:7', symbol: 'SOL' }, POPUP())).toMatchObject({ ok: false, field: 'symbol', problem: 'SOL is not held in this account' });
  });

  it('funding: stored with the marks (storage too) and paid per position to the next full hour (Hyperliquid hourly rate)', async () => {
    const m = await start();
    server.setMark('hyperliquid', 'BTC', '91000');
    await until(() => m.accounts['hyperliquid/tab:7']!.marks.BTC?.fundingRate !== undefined);
    const stored = m.accounts['hyperliquid/tab:7']!.marks.BTC!;
    expect(stored).toMatchObject({ price: '91000', fundingRate: '0.0000125' });
    expect(stored.nextFundingTime! % 3_600_000).toBe(0);
    await m.flush();
    expect((await accountsItem.getValue())['hyperliquid/tab:7']!.marks.BTC).toMatchObject({ fundingRate: '0.0000125', nextFundingTime: stored.nextFundingTime });
    expect((await marksItem.getValue()).hyperliquid!.BTC).toMatchObject({ fundingRate: '0.0000125' });

    const r = await send({ type: 'stress', accountKey: 'hyperliquid/tab:7' }, POPUP());
    const risk = evaluate(withMarks(SNAP, { BTC: '91000' }), TABLES);
    const btc = risk.positions.find((p) => p.symbol === 'BTC')!;
    expect(r.funding.find((f: any) => f.symbol === 'BTC')).toEqual({
      symbol: 'BTC',
      side: btc.side,
      marginMode: btc.marginMode,
      notional: btc.notional,
      fundingRate: '0.0000125',
      rateInterval: 'hour',
      nextFundingTime: stored.nextFundingTime,
      payment: fundingPayment(btc.side, btc.notional!, '0.0000125'),
    });
    // ETH has had no tick yet: unknown with the reason, never 0.
    expect(r.funding.find((f: any) => f.symbol === 'ETH')).toMatchObject({ payment: null, reason: 'no live price from the stream yet' });
  });

  it('the handler can be called directly (as the popup tests do) and answers the same', async () => {
    const m = await start();
    const { at, ...direct } = (await handleMessage(m, { type: 'stress', accountKey: 'hyperliquid/tab:7' }, POPUP())) as { at: number };
    const { at: at2, ...viaRuntime } = await send({ type: 'stress', accountKey: 'hyperliquid/tab:7' }, POPUP());
    expect(direct).toEqual(viaRuntime);
    expect(at2).toBeGreaterThanOrEqual(at);
    expect(await handleMessage(m, { type: 'stress', accountKey: 'hyperliquid/tab:7' }, TAB_SENDER())).toEqual({ ok: false, error: 'unknown sender' });
  });
});
