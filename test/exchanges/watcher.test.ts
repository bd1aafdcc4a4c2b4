// @vitest-environment happy-dom
/**
 * The content script's read loop on a real (happy-dom) page: panel-scoped observation,
 * throttling, send-on-change, visibility and SPA re-reads, context invalidation.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PAGE_PRICES_RECONCILE_MS, type PageReadMessage } from '../../lib/protocol/page-read';
import { guardLifetime, startPageWatcher, type PageWatcher } from '../../lib/exchanges/common/watcher';
import { ContentScriptContext } from 'wxt/utils/content-script-context';
import { pageFor } from '../../lib/exchanges/pages';
import { safeParseSnapshot } from '../../lib/engine/snapshot';
import { FIXTURES, fixtureHtml, identityFixtureHtml, replaceText } from './helpers';

const URL_BINANCE = FIXTURES['binance-usdm'].url;

/** Start a watcher on `html` (default: the Binance page plus an order book outside its panels), recording what it sends. */
function setup(opts: { send?: (m: PageReadMessage) => Promise<unknown>; url?: string; html?: string } = {}) {
  document.body.innerHTML = opts.html ?? fixtureHtml('binance-usdm.html') + '<div id="orderbook"><span id="px">77,829.3</span></div>';
  const sent: PageReadMessage[] = [];
  let url = opts.url ?? URL_BINANCE;
  const w: PageWatcher = startPageWatcher({
    doc: document,
    url: () => url,
    pageFor: (u) => pageFor(u),
    send: opts.send ?? (async (m) => void sent.push(m)),
    now: () => Date.now(),
    setTimeout: (fn, ms) => setTimeout(fn, ms),
    clearTimeout: (id) => clearTimeout(id as ReturnType<typeof setTimeout>),
    MutationObserver,
  });
  return { w, sent, setUrl: (u: string) => (url = u), url: () => url };
}

describe('page watcher', () => {
  let w: PageWatcher | undefined;
  beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] }));
  afterEach(() => {
    w?.stop();
    vi.useRealTimers();
  });

  it('reads once at start and sends a valid page-read message', async () => {
    const s = setup();
    w = s.w;
    await vi.advanceTimersByTimeAsync(10);
    expect(s.sent).toHaveLength(1);
    expect(s.sent[0]).toMatchObject({ type: 'page-read', exchange: 'binance-usdm', health: { status: 'ok' } });
    expect(s.sent[0]!.snapshot!.positions).toHaveLength(2);
  });

  it('a re-render above the panels (whole app replaced) is noticed and read again', async () => {
    const s = setup();
    w = s.w;
    await vi.advanceTimersByTimeAsync(10);
    expect(s.sent).toHaveLength(1);
    // Replace everything: the observed panels and their parents are detached in one go.
    document.body.innerHTML = fixtureHtml('binance-usdm.html').replace('+13.29 USDT', '+14.00 USDT').replace('+29.09 USDT', '+29.80 USDT').replace('1,029.09 USDT', '1,029.80 USDT');
    const readsBefore = w.reads;
    await vi.advanceTimersByTimeAsync(5_600);
    expect(w.reads).toBeGreaterThan(readsBefore);
    // and it observes the new panels: a change there is read without waiting for the guard
    const after = w.reads;
    document.querySelectorAll('.list-row')[0]!.children[4]!.setAttribute('class', 'css-td changed');
    await vi.advanceTimersByTimeAsync(600);
    expect(w.reads).toBeGreaterThan(after);
  });

  it('ignores changes outside the positions and account panels (order book)', async () => {
    const s = setup();
    w = s.w;
    await vi.advanceTimersByTimeAsync(10);
    const before = w.reads;
    for (let i = 0; i < 20; i++) {
      document.getElementById('px')!.textContent = `77,8${i}0.0`;
      await vi.advanceTimersByTimeAsync(100);
    }
    expect(w.reads).toBe(before);
  });

  it('re-reads on a positions change, at most 2 reads per second, and sends only when the snapshot changed', async () => {
    const s = setup();
    w = s.w;
    await vi.advanceTimersByTimeAsync(10);
    const size = document.querySelectorAll('.list-row')[0]!.children[1]!;
    // 50 DOM changes to the size cell over ~2.5 s, none of which changes a figure.
    for (let i = 0; i < 50; i++) {
      size.textContent = '0.010 BTC';
      size.setAttribute('class', `css-td text-Buy x${i}`);
      await vi.advanceTimersByTimeAsync(50);
    }
    await vi.advanceTimersByTimeAsync(600);
    expect(w.reads).toBeGreaterThan(1 + 3);
    expect(w.reads).toBeLessThanOrEqual(1 + Math.ceil(3100 / 500));
    expect(s.sent).toHaveLength(1); // nothing changed in the snapshot
    // A real change is sent within the throttle: the position was added to.
    size.textContent = '0.020 BTC';
    replaceText(document.body, '38.91 USDT', '77.83 USDT');
    replaceText(document.body, '+13.29 USDT', '+26.58 USDT');
    replaceText(document.body, '+29.09 USDT', '+42.38 USDT');
    replaceText(document.body, '1,029.09 USDT', '1,042.38 USDT');
    await vi.advanceTimersByTimeAsync(600);
    expect(s.sent).toHaveLength(2);
    expect(s.sent[1]!.snapshot!.positions[0]!.size).toBe('0.02');
  });

  it('price-only changes (mark, PnL, margin balance…) are read at most once per 5 s; a change the trader made is read at once', async () => {
    const s = setup();
    w = s.w;
    await vi.advanceTimersByTimeAsync(10);
    const mark = document.querySelectorAll('.list-row')[0]!.children[4]!;
    const pnl = document.querySelectorAll('.list-row')[0]!.children[8]!.firstElementChild!;
    const start = w.reads;
    // A ticking page: mark and PnL change 10 times a second for 12 s.
    for (let i = 0; i < 120; i++) {
      mark.textContent = i % 2 ? '77,829.4' : '77,829.3';
      pnl.setAttribute('class', `text-Buy t${i}`);
      await vi.advanceTimersByTimeAsync(100);
    }
    expect(w.reads - start).toBeGreaterThanOrEqual(2);
    expect(w.reads - start).toBeLessThanOrEqual(3);
    // The latest price is read within 5 s of the last read.
    mark.textContent = '77,900.0';
    replaceText(document.body, '+13.29 USDT', '+14.00 USDT');
    replaceText(document.body, '+29.09 USDT', '+29.80 USDT');
    replaceText(document.body, '1,029.09 USDT', '1,029.80 USDT');
    await vi.advanceTimersByTimeAsync(5_100);
    expect(s.sent.at(-1)!.snapshot!.positions[0]!.markPrice).toBe('77900');
    // A price change and, 1 s later, a size change: the size change does not wait for the price lane.
    const reads = w.reads;
    mark.textContent = '77,901.0';
    await vi.advanceTimersByTimeAsync(1_000);
    expect(w.reads).toBe(reads);
    document.querySelectorAll('.list-row')[1]!.children[1]!.textContent = '-0.60 ETH';
    await vi.advanceTimersByTimeAsync(600);
    expect(w.reads).toBe(reads + 1);
    // The isolated ETH position's margin is the trader's (add margin): read at once too.
    document.querySelectorAll('.list-row')[1]!.children[7]!.firstElementChild!.textContent = '150.00 USDT';
    await vi.advanceTimersByTimeAsync(600);
    expect(w.reads).toBe(reads + 2);
    // The account's margin balance moves with prices: price lane.
    replaceText(document.body, '1,029.80 USDT', '1,030.00 USDT');
    await vi.advanceTimersByTimeAsync(600);
    expect(w.reads).toBe(reads + 2);
  });

  it('a ticking price costs at most one observer callback per read; text added under a row later is still watched', async () => {
    let callbacks = 0;
    class CountingObserver extends MutationObserver {
      constructor(cb: MutationCallback) {
        super((records, obs) => {
          callbacks++;
          cb(records, obs);
        });
      }
    }
    document.body.innerHTML = fixtureHtml('binance-usdm.html');
    w = startPageWatcher({
      doc: document,
      url: () => URL_BINANCE,
      pageFor: (u) => pageFor(u),
      send: async () => ({ ok: true, priceRefreshMs: PAGE_PRICES_RECONCILE_MS }),
      now: () => Date.now(),
      setTimeout: (fn, ms) => setTimeout(fn, ms),
      clearTimeout: (id) => clearTimeout(id as ReturnType<typeof setTimeout>),
      MutationObserver: CountingObserver as typeof MutationObserver,
    });
    await vi.advanceTimersByTimeAsync(10);
    const row = document.querySelectorAll('.list-row')[0]!;
    const mark = row.children[4]!;
    const pnl = row.children[8]!.firstElementChild!;
    // 10 price mutations a second for 70 s (mark text, PnL text and colour).
    const start = { reads: w.reads, callbacks };
    for (let i = 0; i < 700; i++) {
      mark.textContent = i % 2 ? '77,829.4' : '77,829.3';
      pnl.firstChild!.nodeValue = i % 2 ? '+13.30 USDT' : '+13.29 USDT';
      pnl.setAttribute('class', `text-Buy t${i}`);
      await vi.advanceTimersByTimeAsync(100);
    }
    const reads = w.reads - start.reads;
    expect(reads).toBeGreaterThanOrEqual(1);
    expect(reads).toBeLessThanOrEqual(3); // the first reply may come at the 5 s default; then every 30 s
    expect(callbacks - start.callbacks).toBeLessThanOrEqual(reads + 1);
    // A text node added under a row (not a cell the reader knows), then edited: read at once both times.
    const before = w.reads;
    const note = document.createTextNode('TP/SL');
    row.appendChild(note);
    await vi.advanceTimersByTimeAsync(600);
    expect(w.reads).toBe(before + 1);
    note.nodeValue = 'TP/SL set';
    await vi.advanceTimersByTimeAsync(600);
    expect(w.reads).toBe(before + 2);
  });

  it('price-only changes follow the background: every 0.5 s while the page is the live price source, every 30 s while streams price everything', async () => {
    let reply: unknown = { ok: true, priceRefreshMs: 500 };
    const sent: PageReadMessage[] = [];
    const s = setup({ send: async (m) => (sent.push(m), reply) });
    w = s.w;
    await vi.advanceTimersByTimeAsync(10);
    const mark = document.querySelectorAll('.list-row')[0]!.children[4]!;
    const tick = async (ms: number) => {
      const end = Date.now() + ms;
      let i = 0;
      while (Date.now() < end) {
        mark.textContent = i++ % 2 ? '77,829.4' : '77,829.3';
        await vi.advanceTimersByTimeAsync(100);
      }
    };
    let start = w.reads;
    await tick(3_000);
    expect(w.reads - start).toBeGreaterThanOrEqual(5); // ~ every 0.5 s
    reply = { ok: true, priceRefreshMs: PAGE_PRICES_RECONCILE_MS };
    await tick(1_000); // a read whose reply switches to 30 s
    start = w.reads;
    await tick(PAGE_PRICES_RECONCILE_MS + 2_000);
    expect(w.reads - start).toBeGreaterThanOrEqual(1);
    expect(w.reads - start).toBeLessThanOrEqual(2);
    // A reply without the field (or out of range) changes nothing.
    reply = { ok: true, priceRefreshMs: -1 };
    await tick(PAGE_PRICES_RECONCILE_MS + 1_000);
    start = w.reads;
    await tick(PAGE_PRICES_RECONCILE_MS + 2_000);
    expect(w.reads - start).toBeLessThanOrEqual(2);
    expect(sent.length).toBeGreaterThan(3);
  });

  it('re-reads on wake (visibility → visible) and on SPA navigation', async () => {
    const s = setup();
    w = s.w;
    await vi.advanceTimersByTimeAsync(10);
    const n = w.reads;
    w.wake();
    await vi.advanceTimersByTimeAsync(600);
    expect(w.reads).toBe(n + 1);
    // Navigating to a page no reader claims: no read, nothing sent.
    s.setUrl('https://www.binance.com/en/markets');
    w.navigated('https://www.binance.com/en/markets');
    await vi.advanceTimersByTimeAsync(600);
    expect(w.reads).toBe(n + 1);
    // Back to a futures page: read and send again even though the snapshot is the same.
    s.setUrl('https://www.binance.com/en/futures/ETHUSDT');
    w.navigated('https://www.binance.com/en/futures/ETHUSDT');
    await vi.advanceTimersByTimeAsync(600);
    expect(s.sent.at(-1)!.health.url).toBe('https://www.binance.com/en/futures/ETHUSDT');
  });

  it('stops cleanly when the extension context is invalidated', async () => {
    const send = vi.fn(async () => {
      throw new Error('Extension context invalidated.');
    });
    const s = setup({ send });
    w = s.w;
    await vi.advanceTimersByTimeAsync(10);
    expect(send).toHaveBeenCalledTimes(1);
    expect(w.stopped).toBe(true);
    replaceText(document.body, '+13.29 USDT', '+14.00 USDT');
    w.wake();
    await vi.advanceTimersByTimeAsync(2000);
    expect(send).toHaveBeenCalledTimes(1);
  });

  it('retries sending after a transient failure (background not reachable)', async () => {
    let fail = true;
    const sent: PageReadMessage[] = [];
    const s = setup({
      send: async (m) => {
        if (fail) throw new Error('Could not establish connection. Receiving end does not exist.');
        sent.push(m);
      },
    });
    w = s.w;
    await vi.advanceTimersByTimeAsync(10);
    expect(w.stopped).toBe(false);
    fail = false;
    w.wake();
    await vi.advanceTimersByTimeAsync(600);
    expect(sent).toHaveLength(1);
  });

  it('keeps retrying while the page is not recognised, then reads it once it renders', async () => {
    const { w: started, sent } = setup({ html: '<div>Loading…</div>' });
    w = started;
    await vi.advanceTimersByTimeAsync(10);
    expect(sent[0]!.health.status).toBe('unrecognized');
    expect(sent[0]!.snapshot).toBeNull();
    document.body.innerHTML = fixtureHtml('binance-usdm.html');
    await vi.advanceTimersByTimeAsync(3100);
    expect(sent.at(-1)!.health.status).toBe('ok');
  });
});

describe('never silent: what the page cannot do to the watcher (issue 12 items 1, 2, 10)', () => {
  let w: PageWatcher | undefined;
  beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] }));
  afterEach(() => {
    w?.stop();
    vi.useRealTimers();
  });

  it('the message carries the page identity and the completeness of its positions', async () => {
    // Past the identity search of earlier tests on this document (a page without one is looked at again after IDENTITY_RETRY_MS).
    vi.setSystemTime(Date.now() + 3_600_000);
    const { w: started, sent } = setup({ html: identityFixtureHtml('binance-usdm') });
    w = started;
    await vi.advanceTimersByTimeAsync(10);
    expect(sent[0]!.identity).toBe('uid:12345678');
    expect(sent[0]!.health).toMatchObject({ positionsComplete: true, positionsExpected: 2 });
    // An account switch in the same tab: the identity element changes, a read follows at once.
    replaceText(document.body, '12345678', '87654321');
    await vi.advanceTimersByTimeAsync(600);
    expect(sent.at(-1)!.identity).toBe('uid:87654321');
  });

  it('a PnL hidden as ****** is sent as an incomplete list, not as fewer positions', async () => {
    const s = setup();
    w = s.w;
    await vi.advanceTimersByTimeAsync(10);
    replaceText(document.body, '+13.29 USDT', '******');
    // A PnL cell is market-driven: read within the market interval (5 s until the background answers).
    await vi.advanceTimersByTimeAsync(5_100);
    const last = s.sent.at(-1)!;
    expect(last.snapshot!.positions).toHaveLength(1);
    expect(last.health).toMatchObject({ positionsComplete: false, positionsExpected: 2 });
  });

  it('a PnL turning into ****** is read at once even while streams price everything (not after the 60 s price interval)', async () => {
    const s = setup({ send: async (m) => (void m, { ok: true, priceRefreshMs: PAGE_PRICES_RECONCILE_MS }) });
    w = s.w;
    await vi.advanceTimersByTimeAsync(10);
    const mark = document.querySelectorAll('.list-row')[0]!.children[4]!;
    mark.textContent = '77,829.4'; // a tick: its read waits for the price interval
    await vi.advanceTimersByTimeAsync(1_000);
    const before = w.reads;
    expect(before).toBe(1);
    await vi.advanceTimersByTimeAsync(PAGE_PRICES_RECONCILE_MS); // the tick's read; the market observer is re-armed
    expect(w.reads).toBe(before + 1);
    replaceText(document.body, '+13.29 USDT', '******');
    await vi.advanceTimersByTimeAsync(600);
    expect(w.reads).toBe(before + 2);
  });

  it("a forged WXT 'content script started' event does not stop the reader while the runtime is there", async () => {
    const s = setup();
    w = s.w;
    let alive = true;
    const ctx = new ContentScriptContext('content', { matches: [], noScriptStartedPostMessage: true });
    const life = guardLifetime({ watcher: w, runtimeAlive: () => alive, url: () => URL_BINANCE, setInterval: (fn, ms) => setInterval(fn, ms), clearInterval: (id) => clearInterval(id as ReturnType<typeof setInterval>) });
    ctx.onInvalidated(() => life.invalidated());
    await vi.advanceTimersByTimeAsync(10);
    const type = (ContentScriptContext as unknown as { SCRIPT_STARTED_MESSAGE_TYPE: string }).SCRIPT_STARTED_MESSAGE_TYPE;
    document.dispatchEvent(new CustomEvent(type, { detail: { contentScriptName: 'content', messageId: 'from-the-page' } }));
    expect(ctx.signal.aborted).toBe(true); // WXT believed the page …
    expect(w.stopped).toBe(false); // … the reader did not
    // Still reading: a new position size (trader lane) is read and sent.
    replaceText(document.body, '0.010 BTC', '0.020 BTC');
    await vi.advanceTimersByTimeAsync(600);
    expect(w.reads).toBeGreaterThan(1);
    expect(s.sent.at(-1)!.health.problems.join(' ')).toMatch(/BTCUSDT/);
    // The extension really gone: stopped within the poll.
    alive = false;
    await vi.advanceTimersByTimeAsync(1_000);
    expect(w.stopped).toBe(true);
  });

  it('SPA navigation is noticed by the URL poll (WXT\'s location events stop with a context the page can invalidate)', async () => {
    const s = setup();
    w = s.w;
    const life = guardLifetime({ watcher: w, runtimeAlive: () => true, url: () => s.url(), setInterval: (fn, ms) => setInterval(fn, ms), clearInterval: (id) => clearInterval(id as ReturnType<typeof setInterval>) });
    await vi.advanceTimersByTimeAsync(10);
    const readsBefore = w.reads;
    s.setUrl('https://www.binance.com/en/futures/ETHUSDT');
    await vi.advanceTimersByTimeAsync(1_100);
    expect(w.reads).toBeGreaterThan(readsBefore);
    expect(s.sent.at(-1)!.health.url).toBe('https://www.binance.com/en/futures/ETHUSDT');
    life.stop();
    expect(w.stopped).toBe(true);
  });
});

describe('open orders carried into position reads (issue 17)', () => {
  let w: PageWatcher | undefined;
  beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] }));
  afterEach(() => {
    w?.stop();
    vi.useRealTimers();
  });
  /** Switch the Binance page between its Open Orders and Positions tabs (as a click would). */
  const show = (which: 'POSITIONS' | 'OPEN_ORDERS') => {
    for (const id of ['POSITIONS', 'OPEN_ORDERS']) {
      document.getElementById(`tab-${id}`)!.setAttribute('aria-selected', String(id === which));
      document.getElementById(id)!.toggleAttribute('hidden', id !== which);
    }
  };
  const last = (sent: PageReadMessage[]) => sent[sent.length - 1]!;
  // The open-orders variant: 5 orders, among them a standalone reduce-only BTC stop at 72,500.
  const standalone = { symbol: 'BTCUSDT', side: 'sell', type: 'stop-market', triggerPrice: '72500', size: '0.005', reduceOnly: true };

  it('the last open-orders read is attached to position reads while fresh, then dropped (stale → unknown)', async () => {
    const s = setup({ html: fixtureHtml('orders/binance-usdm-open-orders.html') });
    w = s.w;
    await vi.advanceTimersByTimeAsync(10);
    // Open Orders shown: no position read yet.
    expect(last(s.sent).snapshot).toBeNull();
    show('POSITIONS');
    await vi.advanceTimersByTimeAsync(1_000);
    const withOrders = last(s.sent).snapshot!;
    expect(withOrders.positions).toHaveLength(2);
    expect(withOrders.orders).toContainEqual(standalone);
    expect(withOrders.orders).toHaveLength(5);
    expect(withOrders.ordersComplete).toBe(true);
    expect(safeParseSnapshot(withOrders).ok).toBe(true);
    // 60 s after the open-orders read, with nothing changing on the page: read again, carried orders gone.
    await vi.advanceTimersByTimeAsync(60_000);
    const stale = last(s.sent).snapshot!;
    expect(stale.orders).not.toContainEqual(standalone);
    expect(stale.ordersComplete).toBe(false);
  });

  it('the open-orders count changing drops the carried orders at once', async () => {
    const s = setup({ html: fixtureHtml('orders/binance-usdm-open-orders.html') });
    w = s.w;
    await vi.advanceTimersByTimeAsync(10);
    show('POSITIONS');
    await vi.advanceTimersByTimeAsync(1_000);
    expect(last(s.sent).snapshot!.ordersComplete).toBe(true);
    replaceText(document.getElementById('tab-OPEN_ORDERS')!, 'Open Orders(5)', 'Open Orders(4)');
    await vi.advanceTimersByTimeAsync(1_000);
    const after = last(s.sent).snapshot!;
    expect(after.ordersComplete).toBe(false);
    expect(after.orders).not.toContainEqual(standalone);
  });

  it('an open-orders read that was not complete is attached but never makes the list complete', async () => {
    const s = setup({ html: fixtureHtml('orders/binance-usdm-open-orders.html').replace('Mark Price &lt;= 72,500.0', 'Mark Price &lt;= 72,5O0.0') });
    w = s.w;
    await vi.advanceTimersByTimeAsync(10);
    show('POSITIONS');
    await vi.advanceTimersByTimeAsync(1_000);
    const snap = last(s.sent).snapshot!;
    expect(snap.orders).toHaveLength(4);
    expect(snap.ordersComplete).toBe(false);
  });
});

describe('open orders are never attached to another account', () => {
  let w: PageWatcher | undefined;
  beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] }));
  afterEach(() => {
    w?.stop();
    vi.useRealTimers();
  });
  it('the page switching account between the open-orders and the positions read drops the carried orders', async () => {
    const sent: PageReadMessage[] = [];
    document.body.innerHTML = fixtureHtml('orders/binance-usdm-open-orders.html');
    let identity = 'uid:1';
    const page = pageFor(URL_BINANCE)!;
    w = startPageWatcher({
      doc: document,
      url: () => URL_BINANCE,
      // The identity as the page would show it (its markup is tested in readers.test.ts).
      pageFor: () => ({ ...page, read: (d, u, o) => ({ ...page.read(d, u, o), identity }) }),
      send: async (m) => void sent.push(m),
      now: () => Date.now(),
      setTimeout: (fn, ms) => setTimeout(fn, ms),
      clearTimeout: (id) => clearTimeout(id as ReturnType<typeof setTimeout>),
      MutationObserver,
    });
    await vi.advanceTimersByTimeAsync(10);
    identity = 'uid:2';
    for (const id of ['POSITIONS', 'OPEN_ORDERS']) {
      document.getElementById(`tab-${id}`)!.setAttribute('aria-selected', String(id === 'POSITIONS'));
      document.getElementById(id)!.toggleAttribute('hidden', id !== 'POSITIONS');
    }
    await vi.advanceTimersByTimeAsync(1_000);
    const snap = sent[sent.length - 1]!.snapshot!;
    expect(snap.positions).toHaveLength(2);
    expect(snap.ordersComplete).toBe(false);
    expect(snap.orders).toHaveLength(3); // the rows' TP/SL only
  });
});
