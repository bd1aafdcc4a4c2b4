/**
 * Hostile stream input: frames that are malformed, huge (5 MB), out of order, for a symbol we
 * did not subscribe, with negative or zero prices, or replayed from the past. Each must be
 * refused (and counted) and never become a mark the engine or the user sees.
 *
 * Three levels: the pure path every frame takes (adapter parser → MarkGate), the real stream
 * client on a loopback WebSocket server, and the whole background (fake browser storage) where
 * "never shown" means: not in the stored account record, not in the evaluated risk.
 * Covered elsewhere (not repeated): one garbage/non-positive/mismatch case per exchange in
 * test/exchanges/<id>/stream.test.ts, Bybit out-of-order in test/background/stream-client.test.ts.
 */
import fs from 'node:fs';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import WebSocket from 'ws';
import { startBackground } from '@/lib/background';
import type { Monitor } from '@/lib/background/monitor';
import { MarkStreamClient } from '@/lib/background/stream-client';
import type { ExchangeId } from '@/lib/engine/exchanges';
import type { AccountSnapshot } from '@/lib/engine/snapshot';
import { streamUrl } from '@/lib/exchanges/endpoints';
import type { ReaderHealth } from '@/lib/exchanges/health';
import type { PageReadMessage } from '@/lib/protocol/page-read';
import { FUTURE_TOLERANCE_MS, MarkGate, type MarkTick, type StreamEvent, type StreamMark, type StreamStatus } from '@/lib/exchanges/common/stream';
import { STREAM_ADAPTERS } from '@/lib/exchanges/streams';
import { accountsItem, endpointOverrideItem, streamStatusItem } from '@/lib/storage';
import { until as waitUntil } from '../support/until';
import { useStreamServer } from '../support/stream-server';

type Ex = 'binance-usdm' | 'bybit' | 'okx' | 'hyperliquid';
const EXCHANGES: Ex[] = ['binance-usdm', 'bybit', 'okx', 'hyperliquid'];

/** A real-format push for one symbol (exchange-pages.md §6), with the price field as given (any JSON value). */
const FRAME: Record<Ex, { symbol: string; other: string; hasTime: boolean; push(price: unknown, time: number, symbol?: string): string }> = {
  'binance-usdm': {
    symbol: 'BTCUSDT',
    other: 'ETHUSDT',
    hasTime: true,
    push: (p, t, s = 'BTCUSDT') => JSON.stringify({ stream: `${s.toLowerCase()}@markPrice@1s`, data: { e: 'markPriceUpdate', E: t, s, p, i: '1', r: '0.0001', T: t + 1 } }),
  },
  bybit: {
    symbol: 'BTCUSDT',
    other: 'ETHUSDT',
    hasTime: true,
    push: (p, t, s = 'BTCUSDT') => JSON.stringify({ topic: `tickers.${s}`, type: 'snapshot', data: { symbol: s, markPrice: p, lastPrice: '1' }, cs: t, ts: t }),
  },
  okx: {
    symbol: 'BTC-USDT-SWAP',
    other: 'ETH-USDT-SWAP',
    hasTime: true,
    push: (p, t, s = 'BTC-USDT-SWAP') => JSON.stringify({ arg: { channel: 'mark-price', instId: s }, data: [{ instType: 'SWAP', instId: s, markPx: p, ts: String(t) }] }),
  },
  hyperliquid: {
    symbol: 'BTC',
    other: 'ETH',
    hasTime: false,
    push: (p, _t, s = 'BTC') => JSON.stringify({ channel: 'activeAssetCtx', data: { coin: s, ctx: { markPx: p, oraclePx: '1', funding: '0.0000125' } } }),
  },
};

/** The pure path of every frame: parse, then the subscription/order gate. Returns what would reach the monitor. */
function pipeline(ex: Ex) {
  const parser = STREAM_ADAPTERS[ex].createParser();
  const gate = new MarkGate(new Set([FRAME[ex].symbol]));
  return (raw: string, now = 1_800_000_000_000): { admitted: StreamMark[]; ev: StreamEvent } => {
    const ev = parser.parse(raw, now);
    const admitted = ev.kind === 'marks' ? ev.marks.filter((t) => gate.admit(t, now).ok) : [];
    return { admitted, ev };
  };
}

const T0 = 1_800_000_000_000;
const MB5 = 5 * 1024 * 1024;

const BAD_PRICES: unknown[] = [
  '-1', '-0.01', '0', '0.0', '0.00000000', '-0', '.0', '00',
  '1e5', '1E-3', 'NaN', 'Infinity', '-Infinity', '', ' ', ' 100', '100 ', '1,000.5', '1_000', '0x10', '+100', '１００', '100.', '1..2', '1.2.3',
  '1'.repeat(21), `0.${'1'.repeat(21)}`, '9'.repeat(400),
  null, true, false, {}, [], ['100'], { p: '100' }, -5, 0, -0, 1e21, 5e-7, Number.MAX_VALUE,
];

describe.each(EXCHANGES)('%s: hostile frames through parser and gate', (ex) => {
  const f = FRAME[ex];

  it('admits a well-formed push with the exact decimal string (control)', () => {
    expect(pipeline(ex)(f.push('77829.30000000', T0)).admitted).toEqual([expect.objectContaining({ symbol: f.symbol, price: '77829.30000000' })]);
  });

  it('refuses negative, zero, exponent, padded, localized, overlong and non-string prices, with a reason', () => {
    for (const p of BAD_PRICES) {
      const { admitted, ev } = pipeline(ex)(f.push(p, T0));
      expect(admitted, `price ${JSON.stringify(p)}`).toEqual([]);
      const reasons = ev.kind === 'rejected' ? [ev.reason] : ev.kind === 'marks' ? (ev.rejected ?? []).map((r) => r.reason) : [];
      expect(reasons, `price ${JSON.stringify(p)} → ${JSON.stringify(ev).slice(0, 200)}`).toEqual([expect.stringMatching(/^(malformed|non-positive)$/)]);
    }
  });

  it('any price value at all: admitted only as the same positive plain decimal string', () => {
    const price = fc.oneof(
      fc.string({ maxLength: 30 }),
      fc.stringMatching(/^-?\d{0,22}(\.\d{0,22})?$/),
      fc.double(),
      fc.integer({ min: -1e9, max: 1e9 }),
      fc.constantFrom(null, true, {}, []),
    );
    fc.assert(
      fc.property(price, (p) => {
        const { admitted } = pipeline(ex)(f.push(p, T0));
        if (admitted.length === 0) return;
        const s = typeof p === 'number' ? String(p) : p;
        expect(typeof s).toBe('string');
        expect(admitted[0]!.price).toBe(s);
        expect(s).toMatch(/^\d*\.?\d+$/);
        expect(s).toMatch(/[1-9]/);
      }),
      { seed: 42, numRuns: 1500 },
    );
  });

  it('refuses malformed frames without throwing', () => {
    const run = pipeline(ex);
    const frames = ['', ' ', '{', '}', 'null', '[]', '[1,2]', '"text"', '42', 'true', '{"data":null}', '{"data":[]}', '\u0000\u0001\u0002', '{"__proto__":{"p":"1"}}',
      f.push('100', T0).slice(0, -3), `${'['.repeat(100_000)}${']'.repeat(100_000)}`];
    for (const raw of frames) {
      let out: ReturnType<typeof run> | undefined;
      expect(() => (out = run(raw)), JSON.stringify(raw.slice(0, 40))).not.toThrow();
      expect(out!.admitted, JSON.stringify(raw.slice(0, 40))).toEqual([]);
    }
  });

  it('refuses 5 MB frames: garbage, a 5 MB price, a 5 MB symbol, a 5 MB JSON array', () => {
    const run = pipeline(ex);
    expect(run('x'.repeat(MB5)).admitted).toEqual([]);
    expect(run(f.push('1'.repeat(MB5), T0)).admitted).toEqual([]);
    expect(run(f.push(`0.${'0'.repeat(MB5)}1`, T0)).admitted).toEqual([]);
    expect(run(f.push('100', T0, 'B'.repeat(MB5))).admitted).toEqual([]);
    expect(run(`[${'1,'.repeat(MB5 / 2)}1]`).admitted).toEqual([]);
  });

  it('refuses a push for a symbol we did not subscribe', () => {
    expect(pipeline(ex)(f.push('100', T0, f.other)).admitted).toEqual([]);
  });

  it.runIf(f.hasTime)('refuses a push older than the last one admitted (out of order, replayed from the past)', () => {
    const run = pipeline(ex);
    expect(run(f.push('101', T0)).admitted).toHaveLength(1);
    expect(run(f.push('99', T0 - 1)).admitted).toEqual([]);
    expect(run(f.push('50', T0 - 3_600_000)).admitted).toEqual([]); // an hour-old message replayed
    expect(run(f.push('102', T0 + 1000)).admitted).toHaveLength(1);
  });
});

describe('a mark stamped in the future (issue 12 item 6)', () => {
  // A single frame with a bad clock (or a hostile one) must never freeze a symbol's price: it is
  // refused as `future` beyond FUTURE_TOLERANCE_MS, and within it the gate remembers the local
  // receive time, so no later tick stamped at or after that moment is refused as older.
  const S = new Set(['BTCUSDT']);
  const now = 1_800_000_000_000;
  it('a tick a day ahead is refused as future and does not block the real ticks after it', () => {
    const gate = new MarkGate(S);
    expect(gate.admit({ symbol: 'BTCUSDT', price: '1', time: now + 86_400_000 }, now)).toMatchObject({ ok: false, reason: 'future' });
    expect(gate.admit({ symbol: 'BTCUSDT', price: '2', time: now + 1000 }, now + 1000).ok).toBe(true);
  });
  it('just beyond the tolerance is refused; at the tolerance it is admitted', () => {
    expect(new MarkGate(S).admit({ symbol: 'BTCUSDT', price: '1', time: now + FUTURE_TOLERANCE_MS + 1 }, now)).toMatchObject({ ok: false, reason: 'future' });
    expect(new MarkGate(S).admit({ symbol: 'BTCUSDT', price: '1', time: now + FUTURE_TOLERANCE_MS }, now).ok).toBe(true);
  });
  it('a tick admitted ahead within the tolerance never holds back a later tick stamped after its receive time', () => {
    const gate = new MarkGate(S);
    expect(gate.admit({ symbol: 'BTCUSDT', price: '1', time: now + FUTURE_TOLERANCE_MS }, now).ok).toBe(true);
    expect(gate.admit({ symbol: 'BTCUSDT', price: '2', time: now + 1 }, now + 2).ok).toBe(true);
    expect(gate.admit({ symbol: 'BTCUSDT', price: '3', time: now + 500 }, now + 600).ok).toBe(true);
    // still in order among normal ticks
    expect(gate.admit({ symbol: 'BTCUSDT', price: '4', time: now + 400 }, now + 700)).toMatchObject({ ok: false, reason: 'out-of-order' });
  });
});

// ---- the real stream client on a loopback socket -----------------------------------------

const server = useStreamServer();

const until = (cond: () => boolean | Promise<boolean>, ms = 10_000) => waitUntil(cond, ms);

describe('stream client under hostile frames (loopback WebSocket)', () => {
  it.each(['binance-usdm', 'okx'] as Ex[])('%s: counts and drops every hostile frame, keeps the connection, then admits the next good one', async (ex) => {
    server().reset();
    const ticks: MarkTick[] = [];
    let status: StreamStatus | null = null;
    const c = new MarkStreamClient(STREAM_ADAPTERS[ex], {
      url: (q) => streamUrl(ex, q, { stream: server().origin }),
      onMarks: (t) => ticks.push(...t),
      onStatus: (s) => (status = s),
      WebSocket,
      backoff: { minMs: 50, maxMs: 200, factor: 2, jitterMs: 10 },
    });
    try {
      const f = FRAME[ex];
      const now = Date.now();
      server().setMark(ex, f.symbol, '50000.5', now);
      c.setSymbols([f.symbol]);
      await until(() => ticks.length === 1);
      const connects = server().connectCount[ex];
      const hostile = [
        'x'.repeat(MB5),
        f.push('1'.repeat(MB5), now + 1),
        f.push('-50000', now + 2),
        f.push('0', now + 3),
        f.push('50001', now + 4, f.other),
        f.push('49000', now - 3_600_000),
        '{"broken":',
      ];
      for (const h of hostile) server().sendRaw(ex, h);
      await until(() => {
        const r = (status ?? c.status()).rejected;
        return r.malformed + r['non-positive'] + r['wrong-symbol'] + r['out-of-order'] >= hostile.length;
      });
      const r = (status ?? c.status()).rejected;
      expect(r['non-positive']).toBe(2);
      expect(r['wrong-symbol']).toBe(1);
      expect(r['out-of-order']).toBe(1);
      expect(r.malformed).toBe(3);
      expect(ticks.map((t) => t.price)).toEqual(['50000.5']);
      server().setMark(ex, f.symbol, '50010.25', now + 10);
      await until(() => ticks.length === 2);
      expect(ticks[1]!.price).toBe('50010.25');
      expect(server().connectCount[ex]).toBe(connects); // no reconnect was needed
    } finally {
      c.setSymbols([]);
    }
  });
});

// ---- the whole background: never shown -------------------------------------------------

const SNAP: AccountSnapshot = JSON.parse(fs.readFileSync(new URL('../fixtures/snapshots/hyperliquid.json', import.meta.url), 'utf8'));
const HEALTH: ReaderHealth = { exchange: 'hyperliquid', status: 'ok', url: 'https://app.hyperliquid.xyz/trade', readAt: 0, found: [], missing: [], problems: [], lastGoodReadAt: 0 };

describe('background: hostile stream frames never reach the account the user sees', () => {
  let started: { monitor: Monitor; ready: Promise<void> } | null = null;
  beforeEach(async () => {
    fakeBrowser.reset();
    server().reset();
    await endpointOverrideItem.setValue({ stream: server().origin, rest: server().httpOrigin });
  });
  afterEach(async () => {
    await started?.monitor.dispose();
    started = null;
  });

  it('hyperliquid: malformed, 5 MB, zero, negative and foreign-coin frames leave the stored mark and risk at the last good price', async () => {
    started = startBackground({ WebSocket, backoff: { minMs: 30, maxMs: 200, jitterMs: 10 } });
    await started.ready;
    const monitor = started.monitor;
    const msg: PageReadMessage = { type: 'page-read', exchange: 'hyperliquid', snapshot: SNAP, health: HEALTH };
    const r = await new Promise<any>((resolve, reject) => {
      (fakeBrowser.runtime.onMessage as any).trigger(msg, { id: fakeBrowser.runtime.id, url: 'https://app.hyperliquid.xyz/trade', tab: { id: 7, windowId: 1 } }, resolve).catch(reject);
    });
    expect(r).toEqual({ ok: true, priceRefreshMs: 500 }); // no stream mark yet: the page is the live price source
    await until(() => server().subscriptions('hyperliquid').includes('BTC'));
    server().setMark('hyperliquid', 'BTC', '93000.5');
    await until(() => monitor.accounts['hyperliquid/tab:7']?.marks.BTC?.price === '93000.5');
    const goodRisk = monitor.accounts['hyperliquid/tab:7']!.risk;
    expect(goodRisk?.riskRatio).toEqual(expect.any(String));

    const f = FRAME.hyperliquid;
    const hostile = ['x'.repeat(MB5), f.push('9'.repeat(MB5), 0), f.push('0', 0), f.push('-93000', 0), f.push('1e3', 0), f.push(93001, 0, 'BTC\u0000'), '{"channel":"activeAssetCtx","data":{"coin":"BTC","ctx":null}}'];
    for (const h of hostile) server().sendRaw('hyperliquid', h);
    await until(() => {
      const s = monitor.streamStatus('hyperliquid')!.rejected;
      return s.malformed + s['non-positive'] + s['wrong-symbol'] >= hostile.length;
    });
    await monitor.flush();
    const rec = (await accountsItem.getValue())['hyperliquid/tab:7']!;
    expect(rec.marks.BTC!.price).toBe('93000.5');
    expect(rec.risk).toEqual(goodRisk);
    expect(monitor.marks.hyperliquid?.BTC?.price).toBe('93000.5');
    const st = (await streamStatusItem.getValue()).hyperliquid!;
    expect(st.rejected['non-positive']).toBe(2);
    expect(st.rejected.malformed + st.rejected['wrong-symbol']).toBe(hostile.length - 2);
    expect(st.state).toBe('open');
  });

  // MarkGate's per-symbol order memory lives in the worker; the marks it admitted are persisted
  // (session storage). After a worker restart the gate is empty, so a frame replayed from the past
  // is admitted and Monitor.onMarks overwrites the newer stored mark with it: the account then
  // looks stale (a false STALE alert) until the next live tick. The fix: onMarks keeps the newer
  // of the stored and incoming tick (lib/background/monitor.ts). See the report.
  it('after a worker restart, a frame replayed from the past does not replace the newer stored mark', async () => {
    const snap = JSON.parse(fs.readFileSync(new URL('../fixtures/snapshots/binance-usdm.json', import.meta.url), 'utf8'));
    const health = { ...HEALTH, exchange: 'binance-usdm', url: 'https://www.binance.com/en/futures/BTCUSDT' };
    const sender = { id: fakeBrowser.runtime.id, url: 'https://www.binance.com/en/futures/BTCUSDT', tab: { id: 5, windowId: 1 } };
    const boot = async () => {
      started = startBackground({ WebSocket, backoff: { minMs: 30, maxMs: 200, jitterMs: 10 } });
      await started.ready;
      return started.monitor;
    };
    let monitor = await boot();
    await new Promise((resolve, reject) => {
      (fakeBrowser.runtime.onMessage as any).trigger({ type: 'page-read', exchange: 'binance-usdm', snapshot: snap, health }, sender, resolve).catch(reject);
    });
    await until(() => server().subscriptions('binance-usdm').includes('BTCUSDT'));
    const now = Date.now();
    server().setMark('binance-usdm', 'BTCUSDT', '77900.1', now);
    await until(() => monitor.marks['binance-usdm']?.BTCUSDT?.price === '77900.1');
    // Worker dies (state persisted), starts again.
    await monitor.dispose();
    started = null;
    fakeBrowser.runtime.onMessage.removeAllListeners();
    fakeBrowser.alarms.onAlarm.removeAllListeners();
    fakeBrowser.storage.onChanged.removeAllListeners();
    await until(() => server().connections('binance-usdm') === 0);
    server().reset(); // the stream has pushed nothing yet on the new connection: the replay comes first
    monitor = await boot();
    expect(monitor.marks['binance-usdm']?.BTCUSDT?.price).toBe('77900.1');
    await until(() => monitor.streamStatus('binance-usdm')?.state === 'open' && server().connections('binance-usdm') === 1);
    // A ten-minute-old frame, replayed, then a marker frame on another stream name to know it was processed.
    server().sendRaw('binance-usdm', FRAME['binance-usdm'].push('70000.5', now - 600_000));
    server().sendRaw('binance-usdm', '{"marker":');
    await until(() => monitor.streamStatus('binance-usdm')!.rejected.malformed >= 1);
    expect(monitor.streamStatus('binance-usdm')!.rejected['out-of-order']).toBe(0); // the gate had no memory
    expect(monitor.marks['binance-usdm']?.BTCUSDT).toMatchObject({ price: '77900.1', time: now });
  });
});
