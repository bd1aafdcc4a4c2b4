// @vitest-environment happy-dom
/**
 * Stop status and σ figures in the popup positions table and account card, the overlay badge,
 * and the what-if option "liquidation if my orders fill" (through the real background).
 * Figures come from the real engine (riskExtras, as the worker stores them).
 */
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PopupApp } from '../../components/popup/PopupApp';
import { WhatIfPanel } from '../../components/popup/whatif/WhatIfPanel';
import { Overlay } from '../../components/overlay/Overlay';
import { buildPopupModel } from '../../lib/view/popup';
import { overlayAccountOf } from '../../lib/view/overlay';
import { ODDS_MODEL } from '../../lib/view/stops';
import { formatPrice } from '../../lib/view/format';
import { riskExtras } from '../../lib/background/stops';
import { evaluate } from '../../lib/engine';
import { ifOrdersFill } from '../../lib/engine/ordersFill';
import { DEFAULT_WINDOW, windowLabel } from '../../lib/engine/volatility';
import type { AccountSnapshot } from '../../lib/engine/snapshot';
import { defaultTierTables } from '../../lib/exchanges/tiers';
import type { Monitor } from '../../lib/background/monitor';
import { startStreamServer, type StreamServer } from '../../harness/stream-server';
import { NOW, record, sources, startTestBackground, stream, tight } from './helpers';

const tables = defaultTierTables('binance-usdm');
// tight(): BTC long liquidation ≈ 64,341.37, ETH short ≈ 3,187.61 (cross, wallet 100)
const withStops = (): AccountSnapshot => ({
  ...tight(),
  orders: [
    { symbol: 'BTCUSDT', side: 'sell', type: 'stop-market', triggerPrice: '63000', closePosition: true, reduceOnly: true }, // beyond liquidation
    { symbol: 'ETHUSDT', side: 'buy', type: 'stop-market', triggerPrice: '3050', size: '0.25', reduceOnly: true }, // fires first, half the size
  ],
  ordersComplete: true,
});
const est = { sigma: '0.05', sigmaPerInterval: '0.0102', returns: 168, from: 0, to: 0, window: DEFAULT_WINDOW, label: windowLabel(DEFAULT_WINDOW) };

function stopRecord(snap: AccountSnapshot, vol: Record<string, typeof est> = { BTCUSDT: est }) {
  const risk = evaluate(snap, tables);
  return record(snap, { risk, ...riskExtras(snap, risk, tables, vol) });
}

afterEach(cleanup);

describe('popup: stops and σ', () => {
  it('a stop beyond the liquidation price is said, in the card and in the positions table; a half-size stop is "covers 50 %"', () => {
    const r = stopRecord(withStops());
    render(<PopupApp model={buildPopupModel(sources([r], { streams: { 'binance-usdm': stream('binance-usdm') } }), NOW)} />);
    const notice = screen.getByText(/BTCUSDT long: stop-loss 63,000(\.0+)? is beyond the liquidation price/);
    expect(notice.textContent).toContain('it will never fire');
    const btc = document.querySelector('tr[data-symbol="BTCUSDT"] [data-stop]')!;
    expect(btc.getAttribute('data-stop')).toBe('never-fires');
    expect(btc.textContent).toContain('beyond liq.: never fires');
    const eth = document.querySelector('tr[data-symbol="ETHUSDT"]')!;
    expect(eth.querySelector('[data-stop]')!.getAttribute('data-stop')).toBe('fires-first');
    expect(eth.textContent).toContain(`SL ${formatPrice('3050')} fires first`);
    expect(eth.textContent).toContain('covers 50 %');
  });

  it('σ distance and 24 h probability with the model in the tooltip; no candles → "σ unknown", never a number', () => {
    const r = stopRecord(withStops());
    render(<PopupApp model={buildPopupModel(sources([r], { streams: { 'binance-usdm': stream('binance-usdm') } }), NOW)} />);
    const btcOdds = document.querySelector('tr[data-symbol="BTCUSDT"] .odds')!;
    const o = r.odds!.positions[0]!;
    expect(btcOdds.getAttribute('data-odds')).toBe(o.touch24h);
    expect(btcOdds.textContent).toMatch(/σ · [\d.]+ % in 24 h/);
    expect(btcOdds.getAttribute('title')).toContain(ODDS_MODEL);
    expect(btcOdds.getAttribute('title')).toContain('1-day σ from 1-hour log returns over 7 days');
    const ethOdds = document.querySelector('tr[data-symbol="ETHUSDT"] .odds')!;
    expect(ethOdds.textContent).toBe('σ unknown');
    expect(ethOdds.getAttribute('title')).toContain('no candles');
    expect(screen.getByText(/chance of touching a liquidation price within 24 h \(σ unknown for 1 position\)/)).toBeTruthy();
  });

  it('orders not read: stop unknown, no warning', () => {
    const r = stopRecord(tight(), {});
    render(<PopupApp model={buildPopupModel(sources([r], { streams: { 'binance-usdm': stream('binance-usdm') } }), NOW)} />);
    expect([...document.querySelectorAll('[data-stop]')].map((e) => e.getAttribute('data-stop'))).toEqual(['unknown', 'unknown']);
    expect(screen.queryByText(/never fire/)).toBeNull();
  });
});

describe('overlay: stop warning', () => {
  it('collapsed badge carries the warning; expanded rows show each stop and the odds', () => {
    const r = stopRecord(withStops());
    const feed = { lostAt: null, heardAt: NOW };
    const placement = { left: 0, bottom: 0, collapsed: true };
    const view = render(<Overlay accounts={[overlayAccountOf(r, [0.5, 0.8], true)]} now={NOW} feed={feed} placement={placement} onPlacement={() => {}} />);
    const warn = document.querySelector('[data-stop-warning]')!;
    expect(warn.textContent).toContain('beyond the liquidation price');
    view.rerender(<Overlay accounts={[overlayAccountOf(r, [0.5, 0.8], false)]} now={NOW} feed={feed} placement={{ ...placement, collapsed: false }} onPlacement={() => {}} />);
    expect(document.querySelector('.ms-stop-danger')!.textContent).toContain('never fires');
    expect(document.querySelector('.ms-odds')!.getAttribute('title')).toContain(ODDS_MODEL);
  });
});

describe('what-if: liquidation if my orders fill (real background)', () => {
  let server: StreamServer;
  let monitor: Monitor;
  beforeAll(async () => {
    server = await startStreamServer();
  });
  afterAll(async () => {
    await monitor?.dispose();
    server.close();
  });
  it('applies the opening orders as fills: the BTC liquidation price the engine gives for them', async () => {
    const snap: AccountSnapshot = { ...tight(), orders: [{ symbol: 'BTCUSDT', side: 'buy', type: 'limit', price: '76000', size: '0.005', reduceOnly: false }, { symbol: 'BTCUSDT', side: 'sell', type: 'stop-market', triggerPrice: '60000', closePosition: true, reduceOnly: true }] };
    monitor = await startTestBackground([record(snap)], server.origin);
    render(<WhatIfPanel accountKey="binance-usdm" snapshot={snap} />);
    fireEvent.click(screen.getByLabelText(/Liquidation if my orders fill/));
    const want = ifOrdersFill(snap, tables);
    const btc = want.deltas.find((d) => d.field === 'BTCUSDT long cross.liquidationPrice')!;
    expect(btc.after).not.toBe(btc.before);
    await waitFor(() => expect(document.querySelector('[data-delta="BTCUSDT long cross.liquidationPrice"]')?.textContent).toContain(`liq ${formatPrice(btc.before)} → ${formatPrice(btc.after)}`));
    expect(screen.getByText(/1 open order applied as filled at its price/)).toBeTruthy();
  });
});
