// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { Overlay } from '../../components/overlay/Overlay';
import { OverlayRoot, type OverlaySubscribe } from '../../components/overlay/OverlayRoot';
import { watchOverlayFeed, type FeedHandlers } from '../../components/overlay/source';
import { overlayPlacementItem } from '../../lib/storage/overlay';
import { FEED_QUIET_STALE_MS, type OverlayPlacement } from '../../lib/protocol/overlay-feed';
import { DEFAULT_PLACEMENT, overlayAccountOf } from '../../lib/view/overlay';
import { EXCHANGE_FIGURE_FRESH_MS, exchangeFigureSource, formatPercent, formatPrice } from '../../lib/view/format';
import { handleMessage, startBackground } from '../../lib/background';
import type { Monitor } from '../../lib/background/monitor';
import type { AccountSnapshot } from '../../lib/engine/snapshot';
import type { PageReadMessage } from '../../lib/protocol/page-read';
import { accountsItem, endpointOverrideItem, type AccountRecord } from '../../lib/storage';
import { connectAs, workerStopped } from '../support/runtime-ports';
import { startStreamServer, type StreamServer } from '../../harness/stream-server';
import { fixture, health, NOW, record, tight } from './helpers';

beforeEach(() => fakeBrowser.reset());
afterEach(cleanup);

const LEVELS = [0.5, 0.7, 0.8, 0.9];
const view = (r: AccountRecord, collapsed = true) => overlayAccountOf(r, LEVELS, collapsed);
/** An open feed, just heard from. */
const OPEN = { lostAt: null, heardAt: NOW };

function overlay(over: Partial<Parameters<typeof Overlay>[0]> = {}) {
  const placements: OverlayPlacement[] = [];
  const r = render(<Overlay accounts={[view(record(tight()))]} now={NOW} feed={OPEN} placement={DEFAULT_PLACEMENT} onPlacement={(p) => placements.push(p)} {...over} />);
  return { ...r, placements };
}

describe('overlay badge', () => {
  it('collapsed: account ratio, worst distance to liquidation, data status; bottom-left by default', () => {
    const rec = record(tight());
    overlay({ accounts: [view(rec)] });
    const box = screen.getByRole('region', { name: 'Margin Sentinel' });
    expect(box.style.left).toBe('16px');
    expect(box.style.bottom).toBe('16px');
    const risk = rec.risk!;
    expect(box.querySelector('.ms-ratio')!.textContent).toBe(`${(Number(risk.marginRatio) * 100).toFixed(1)} %`);
    const worst = risk.positions[risk.firstToLiquidate!]!;
    expect(box.querySelector('.ms-dist')!.textContent).toBe(`liq ${(Number(worst.distanceToLiquidation) * 100).toFixed(1)} % away`);
    expect(box.querySelector('.ms-status')!.textContent).toMatch(/^live/);
    expect(box.querySelector('table')).toBeNull();
    expect(screen.getByRole('button', { name: 'Show positions' }).getAttribute('aria-expanded')).toBe('false');
  });

  it('expanded: positions with our liquidation price beside the exchange one, mismatch marked', () => {
    const snap = tight();
    snap.positions[0]!.displayed = { liquidationPrice: '50000' };
    overlay({ accounts: [view(record(snap), false)], placement: { ...DEFAULT_PLACEMENT, collapsed: false } });
    const rows = document.querySelectorAll('.ms-pos tbody tr');
    expect(rows.length).toBe(2);
    expect(rows[0]!.textContent).toContain('50,000.00 ⚠');
    expect(rows[0]!.textContent).toContain('mismatch');
    expect(rows[1]!.textContent).toContain('—');
  });

  it("the exchange's figure says when and at which mark the page showed it, and is muted once older than our evaluation", () => {
    const snap = tight();
    snap.positions[0]!.displayed = { liquidationPrice: '50000' };
    snap.source = { readAt: NOW - 30_000 };
    const rows = (riskAt: number) => view(record(snap, { riskAt }), false).badge.rows;
    const old = rows(NOW)[0]!.theirs;
    expect(old.old).toBe(true);
    expect(old.title).toBe(`${exchangeFigureSource(NOW - 30_000, snap.positions[0]!.markPrice)}; differs from ours at that mark beyond ${record(snap).risk!.positions[0]!.reconciliation[0]!.tolerance}`);
    expect(old.title).toContain(`at mark ${formatPrice(snap.positions[0]!.markPrice)}`);
    expect(rows(NOW - 30_000 + EXCHANGE_FIGURE_FRESH_MS)[0]!.theirs.old).toBe(false);
    expect(rows(NOW)[1]!.theirs).toMatchObject({ text: '—', old: false, title: undefined }); // no exchange figure
    overlay({ accounts: [view(record(snap, { riskAt: NOW }), false)], placement: { ...DEFAULT_PLACEMENT, collapsed: false } });
    expect(document.querySelector('.ms-pos tbody tr td.ms-old')!.getAttribute('title')).toBe(old.title);
  });

  it('toggle and keyboard move report the new placement', () => {
    const { placements } = overlay();
    fireEvent.click(screen.getByRole('button', { name: 'Show positions' }));
    expect(placements.at(-1)).toEqual({ ...DEFAULT_PLACEMENT, collapsed: false });
    fireEvent.keyDown(screen.getByRole('button', { name: /Move the Margin Sentinel badge/ }), { key: 'ArrowUp' });
    expect(placements.at(-1)!.bottom).toBe(26);
    fireEvent.keyDown(screen.getByRole('button', { name: /Move the Margin Sentinel badge/ }), { key: 'ArrowLeft' });
    expect(placements.at(-1)!.left).toBe(6);
  });

  it('drag moves the badge and saves where it was dropped', () => {
    const { placements } = overlay();
    const handle = screen.getByRole('button', { name: /Move the Margin Sentinel badge/ });
    fireEvent.pointerDown(handle, { button: 0, clientX: 20, clientY: 700, pointerId: 1 });
    fireEvent.pointerMove(handle, { clientX: 120, clientY: 600, pointerId: 1 });
    expect(screen.getByRole('region', { name: 'Margin Sentinel' }).style.left).toBe('116px');
    fireEvent.pointerUp(handle, { pointerId: 1 });
    expect(placements.at(-1)).toMatchObject({ left: 116, bottom: 116 });
  });

  it('stale and page-not-recognised are never silent', () => {
    overlay({ accounts: [view(record(tight(), { stale: 'no mark price for 95 s', riskAt: NOW - 95_000 }))] });
    expect(screen.getByRole('alert').textContent).toContain('stale 1 min: no mark price for 95 s');
    cleanup();
    overlay({ accounts: [view(record(null, { health: health('binance-usdm', { status: 'unrecognized', missing: ['Liq. Price'] }) }))] });
    expect(screen.getByRole('alert').textContent).toBe('page not recognised (missing: Liq. Price)');
    expect(document.querySelector('.ms-ratio')!.textContent).toBe('unknown');
  });

  it('unknown ratio shows "unknown" with the reason', () => {
    const snap = fixture('binance-usdm');
    snap.walletBalance = null;
    overlay({ accounts: [view(record(snap))] });
    const ratio = document.querySelector('.ms-ratio')!;
    expect(ratio.textContent).toBe('unknown');
    expect(ratio.getAttribute('title')).toBeTruthy();
  });

  it('a new record that shows the same texts does not touch the DOM; a changed digit does', async () => {
    const rec = record(tight());
    const props = { now: NOW, feed: OPEN, placement: { ...DEFAULT_PLACEMENT, collapsed: false }, onPlacement: () => {} };
    const { container, rerender } = render(<Overlay accounts={[view(rec, false)]} {...props} />);
    const changes: MutationRecord[] = [];
    const mo = new MutationObserver((m) => changes.push(...m));
    mo.observe(container, { subtree: true, childList: true, characterData: true, attributes: true });
    // The next price tick: every figure moves in a digit the badge does not show.
    const tick = (r: typeof rec, d: string) => ({ ...r, riskAt: NOW, risk: { ...r.risk!, marginRatio: `${r.risk!.marginRatio}${d}`, marginBalance: `${r.risk!.marginBalance}1` } });
    rerender(<Overlay accounts={[view(tick(rec, '01'), false)]} {...props} />);
    await Promise.resolve();
    expect(changes.splice(0).map((m) => `${m.type} ${m.attributeName} ${(m.target as Element).className}`)).toEqual([]);
    const shown = container.querySelector('.ms-ratio')!.textContent;
    rerender(<Overlay accounts={[view({ ...rec, risk: { ...rec.risk!, marginRatio: String(Number(rec.risk!.marginRatio) + 0.01) } }, false)]} {...props} />);
    await Promise.resolve();
    expect(changes.length).toBeGreaterThan(0);
    expect(container.querySelector('.ms-ratio')!.textContent).not.toBe(shown);
    mo.disconnect();
  });

  it('renders nothing on a host with no account', () => {
    const { container } = overlay({ accounts: [] });
    expect(container.innerHTML).toBe('');
  });
});

describe('overlay wiring (real background feed over in-memory ports)', () => {
  const BINANCE_TAB = { id: fakeBrowser.runtime.id, url: 'https://www.binance.com/en/futures/BTCUSDT', tab: { id: 7, windowId: 1 } };
  let stop: (() => Promise<void>) | null = null;
  let streams: StreamServer;
  beforeAll(async () => {
    streams = await startStreamServer();
  });
  afterAll(async () => {
    await streams.close();
  });
  afterEach(async () => {
    await stop?.();
    stop = null;
  });

  async function background() {
    // Streams and tier fetches go to the loopback stream server: nothing leaves the machine.
    await endpointOverrideItem.setValue({ stream: streams.origin, rest: streams.httpOrigin });
    const started = startBackground({ now: () => Date.now() });
    stop = () => started.monitor.dispose();
    await started.ready;
    return started;
  }
  /** The page reader's message for `snapshot`, read now, from the Binance tab. */
  async function pageRead(monitor: Monitor, snapshot: AccountSnapshot) {
    const msg: PageReadMessage = { type: 'page-read', exchange: 'binance-usdm', snapshot, health: health('binance-usdm', { readAt: Date.now(), lastGoodReadAt: Date.now() }) };
    expect(await handleMessage(monitor, msg, BINANCE_TAB)).toMatchObject({ ok: true });
    await monitor.flush();
  }
  const subscribeAs =
    (sender: typeof BINANCE_TAB): OverlaySubscribe =>
    (on) =>
      watchOverlayFeed({ connect: (name) => connectAs(sender, name), now: () => Date.now(), setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (id) => clearTimeout(id as number) }, on);

  it('shows the accounts of its host from the background; expanding saves the placement and brings the rows', async () => {
    const rec = record(tight());
    await accountsItem.setValue({ bybit: record(null, { key: 'bybit', exchange: 'bybit', label: 'Bybit', health: null, risk: null }) });
    const { monitor } = await background();
    await pageRead(monitor, tight());
    render(<OverlayRoot subscribe={subscribeAs(BINANCE_TAB)} />);
    await waitFor(() => expect(document.querySelectorAll('.ms-account').length).toBe(1));
    expect(document.querySelector('.ms-account')!.getAttribute('data-account')).toBe('binance-usdm/tab:7');
    expect(document.querySelector('.ms-ratio')!.textContent).toBe(formatPercent(rec.risk!.marginRatio, 1));
    expect(document.querySelector('.ms-status')!.textContent).toBe('live');
    fireEvent.click(screen.getByRole('button', { name: 'Show positions' }));
    await waitFor(async () => expect((await overlayPlacementItem.getValue()).collapsed).toBe(false));
    await waitFor(() => expect(document.querySelectorAll('.ms-pos tbody tr').length).toBe(rec.risk!.positions.length));
  });

  it('a page of another site, or another extension, gets no feed and is counted', async () => {
    await accountsItem.setValue({ 'binance-usdm': record(tight()) });
    const { monitor } = await background();
    const posted: unknown[] = [];
    for (const sender of [
      { ...BINANCE_TAB, url: 'https://www.binance.com.evil.example/en/futures/BTCUSDT' },
      { ...BINANCE_TAB, url: 'http://www.binance.com/en/futures/BTCUSDT' },
      { ...BINANCE_TAB, id: 'another-extension' },
      { id: BINANCE_TAB.id, url: BINANCE_TAB.url },
    ]) {
      const port = connectAs(sender, 'ms-overlay');
      port.onMessage.addListener((m) => posted.push(m));
      await vi.waitFor(() => expect(port.connected).toBe(false));
    }
    await new Promise((r) => setTimeout(r, 20));
    expect(posted).toEqual([]);
    await vi.waitFor(() => expect(monitor.counters.rejectedSenders).toBe(4));
    expect(monitor.counters.lastRejectedSender).toMatch(/^overlay port from /);
  });

  it('when the worker goes, the badge turns stale after 5 s; the reconnect brings it back live', async () => {
    const first = await background();
    await pageRead(first.monitor, tight());
    render(<OverlayRoot subscribe={subscribeAs(BINANCE_TAB)} />);
    await waitFor(() => expect(document.querySelector('.ms-status')!.textContent).toBe('live'));
    // The worker stops: its ports close and nothing listens until it starts again.
    await first.monitor.dispose();
    stop = null;
    workerStopped();
    await waitFor(() => expect(document.querySelector('.ms-status')!.textContent).toMatch(/^stale: the monitor has not answered for \d+ s$/), { timeout: 9_000 });
    expect(document.querySelector('.ms-status')!.getAttribute('role')).toBe('alert');
    const second = await background(); // the next reconnect wakes it
    await pageRead(second.monitor, tight());
    await waitFor(() => expect(document.querySelector('.ms-status')!.textContent).toBe('live'), { timeout: 9_000 });
  }, 20_000);

  it('the clock ticks only while a status depends on it: feed closed (stale after 5 s) or quiet (150 s), or a stale text with an age', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'setTimeout', 'clearTimeout', 'Date'], now: NOW });
    try {
      let on: FeedHandlers | null = null;
      render(<OverlayRoot subscribe={(h) => ((on = h), () => {})} />);
      const live = { type: 'overlay-feed' as const, accounts: [view(record(tight(), { riskAt: NOW }))], placement: DEFAULT_PLACEMENT };
      act(() => on!.message(live));
      expect(document.querySelector('.ms-status')!.textContent).toBe('live');
      expect(vi.getTimerCount()).toBe(1); // a live badge: one timeout for the heartbeat, no ticking clock
      act(() => on!.lost(Date.now()));
      expect(vi.getTimerCount()).toBe(2);
      await act(async () => void (await vi.advanceTimersByTimeAsync(4_000)));
      expect(document.querySelector('.ms-status')!.textContent).toBe('live');
      await act(async () => void (await vi.advanceTimersByTimeAsync(2_000)));
      expect(document.querySelector('.ms-status')!.textContent).toBe('stale: the monitor has not answered for 6 s');
      expect(document.querySelector('.ms-status')!.getAttribute('role')).toBe('alert');
      act(() => on!.message(live)); // reconnected
      expect(document.querySelector('.ms-status')!.textContent).toBe('live');
      expect(vi.getTimerCount()).toBe(1);
      // Open but silent: no heartbeat for 150 s → stale, and the age then ticks.
      await act(async () => void (await vi.advanceTimersByTimeAsync(FEED_QUIET_STALE_MS + 1_000)));
      expect(document.querySelector('.ms-status')!.textContent).toBe('stale: the monitor has not answered for 2 min');
      act(() => on!.message(live)); // the heartbeat
      expect(document.querySelector('.ms-status')!.textContent).toBe('live');
      act(() => on!.message({ ...live, accounts: [view(record(tight(), { riskAt: Date.now(), stale: 'no mark price for 95 s' }))] }));
      expect(document.querySelector('.ms-status')!.textContent).toBe('stale just now: no mark price for 95 s');
      await act(async () => void (await vi.advanceTimersByTimeAsync(60_000)));
      expect(document.querySelector('.ms-status')!.textContent).toBe('stale 1 min: no mark price for 95 s');
    } finally {
      vi.useRealTimers();
    }
  });

  it('overlay content script matches the same pages as the page readers (futures and spot margin)', async () => {
    const src = readFileSync(resolve(process.cwd(), 'entrypoints/overlay.content.tsx'), 'utf8');
    const reader = readFileSync(resolve(process.cwd(), 'entrypoints/content.ts'), 'utf8');
    const margin = readFileSync(resolve(process.cwd(), 'entrypoints/margin.content.ts'), 'utf8');
    expect(reader).toMatch(/matches: \[\.\.\.CONTENT_MATCHES\],/);
    expect(reader).toMatch(/import \{ CONTENT_MATCHES \} from '(@|\.\.)\/lib\/exchanges\/meta'/);
    expect(margin).toMatch(/matches: \[\.\.\.MARGIN_CONTENT_MATCHES\],/);
    expect(src).toMatch(/matches: \[\.\.\.CONTENT_MATCHES, \.\.\.MARGIN_CONTENT_MATCHES\],/);
    expect(src).toMatch(/import \{ CONTENT_MATCHES, MARGIN_CONTENT_MATCHES \} from '(@|\.\.)\/lib\/exchanges\/meta'/);
    expect(src).toMatch(/cssInjectionMode: 'ui'/);
  });
});
