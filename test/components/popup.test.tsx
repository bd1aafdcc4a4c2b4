// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { exchangeFigureSource, formatDecimal, formatPrice } from '../../lib/view/format';
import { buildPopupModel } from '../../lib/view/popup';
import { PopupApp } from '../../components/popup/PopupApp';
import { evaluate, stressTable } from '../../lib/engine';
import { defaultTierTables } from '../../lib/exchanges/tiers';
import type { Monitor } from '../../lib/background/monitor';
import { startStreamServer, type StreamServer } from '../../harness/stream-server';
import { fixture, health, NOW, okxWithTiers, record, sources, startTestBackground, stream, tight } from './helpers';

afterEach(cleanup);

function show(src: Parameters<typeof buildPopupModel>[0], now = NOW) {
  return render(<PopupApp model={buildPopupModel(src, now)} />);
}

describe('popup: no account', () => {
  it('says no exchange page is open, and what to do', () => {
    show(sources([]));
    const box = screen.getByRole('status');
    expect(box.textContent).toContain('No exchange page open yet');
    expect(box.textContent).toContain('Positions tab');
    expect(box.textContent).toContain('Hyperliquid');
  });

  it('says loading before storage was read, not "no page"', () => {
    render(<PopupApp model={buildPopupModel(sources([]), NOW, false)} />);
    expect(screen.getByRole('status').textContent).toContain('Loading');
    expect(screen.queryByText(/No exchange page/)).toBeNull();
  });
});

describe('popup: live account', () => {
  const snap = tight();
  const rec = record(snap);

  it('shows the margin ratio in the exchange convention with the risk ratio, figures and positions', () => {
    show(sources([rec]));
    const card = screen.getByRole('region', { name: 'binance-usdm' });
    const risk = rec.risk!;
    // Binance: lower is safer; value is the engine's marginRatio as a percent.
    expect(card.textContent).toContain('lower is safer');
    const pct = (Number(risk.marginRatio) * 100).toFixed(2);
    expect(card.querySelector('.gauge-value')!.textContent).toBe(`${pct} %`);
    expect(card.querySelector('.gauge-value')!.getAttribute('title')).toBe(risk.marginRatio);
    expect(within(card).getByRole('meter').getAttribute('aria-label')).toMatch(/Risk ratio/);
    for (const label of ['Margin balance', 'Maintenance margin', 'Available balance', 'Effective leverage', 'Liq. if all fall']) {
      expect(within(card).getByText(label)).toBeTruthy();
    }
    const rows = card.querySelectorAll('table.positions tbody tr');
    expect(rows.length).toBe(2);
    expect(rows[0]!.textContent).toContain('BTCUSDT');
    expect(rows[0]!.textContent).toContain('75,000.00');
    expect(rows[0]!.textContent).toContain('77,829.30');
    // Our liquidation price as the engine computed it, formatted.
    const btc = risk.positions.find((p) => p.symbol === 'BTCUSDT')!;
    expect(btc.liquidationPrice).not.toBeNull();
    expect(rows[0]!.querySelector(`[title="${btc.liquidationPrice}"]`)).not.toBeNull();
    // First to liquidate is marked.
    const first = risk.positions[risk.firstToLiquidate!]!;
    const firstRow = card.querySelector(`tr[data-symbol="${first.symbol}"]`)!;
    expect(firstRow.textContent).toContain('liquidates first');
    expect(card.querySelectorAll('.first-badge').length).toBe(1);
    // No never-silent notice while live.
    expect(card.querySelector('.notices')).toBeNull();
    expect(card.textContent).toContain('updated just now');
  });

  it('OKX: higher is safer', () => {
    const okx = record(okxWithTiers());
    show(sources([okx]));
    expect(screen.getByRole('region', { name: 'okx' }).textContent).toContain('higher is safer');
    expect(Number(okx.risk!.marginRatio)).toBeGreaterThan(1);
  });

  it('colours the gauge by the user levels', () => {
    const risk = Number(rec.risk!.riskRatio);
    const src = sources([rec]);
    src.settings = { ...src.settings, alerts: { ...src.settings.alerts, levels: [risk / 2, risk * 0.9, 0.99] } };
    const { container } = show(src);
    expect(container.querySelector('.gauge')!.className).toContain('band-high');
    cleanup();
    const low = sources([rec]);
    low.settings = { ...low.settings, alerts: { ...low.settings.alerts, levels: [0.95, 0.99] } };
    expect(show(low).container.querySelector('.gauge')!.className).toContain('band-ok');
  });

  it("colours each account's gauge by that account's own levels (per-account settings)", () => {
    const risk = Number(rec.risk!.riskRatio);
    const other = { ...rec, key: 'okx', label: 'OKX' };
    const src = sources([rec, other]);
    // Globally the ratio is under every level; the OKX account's own levels put it past its top one.
    src.settings = { ...src.settings, alerts: { ...src.settings.alerts, levels: [0.95, 0.99] }, perAccount: { okx: { levels: [risk / 3, risk / 2] } } };
    const { container } = show(src);
    expect(container.querySelector('[data-account="okx"] .gauge')!.className).toContain('band-critical');
    expect(container.querySelector(`[data-account="${rec.key}"] .gauge`)!.className).toContain('band-ok');
  });

  it('draws the ratio history sparkline', () => {
    const src = sources([rec], { history: { 'binance-usdm': [{ t: NOW - 3_000_000, r: 0.1 }, { t: NOW - 2_000_000, r: null }, { t: NOW - 1_000_000, r: 0.2 }, { t: NOW - 5000, r: 0.25 }] } });
    show(src);
    const svg = screen.getByRole('img', { name: /Risk ratio over the last hour: from 10.0 % to 25.0 %/ });
    // The unknown sample breaks the line into two segments.
    expect(svg.querySelectorAll('polyline').length).toBe(2);
  });
});

describe('popup: what-if and stress load on demand', () => {
  let server: StreamServer;
  let monitor: Monitor | null = null;
  beforeAll(async () => {
    server = await startStreamServer();
  });
  afterAll(() => server.close());
  afterEach(async () => {
    await monitor?.dispose();
    monitor = null;
  });

  it('opening the panels loads them; the background computes them for the account', async () => {
    const rec = record(tight());
    monitor = await startTestBackground([rec], server.origin);
    show(sources([rec]));
    for (const which of ['whatif', 'stress']) {
      const d = document.querySelector(`details[data-panel="${which}"]`) as HTMLDetailsElement;
      expect(d.textContent).toContain('Loading');
      d.open = true;
      fireEvent(d, new Event('toggle'));
    }
    await waitFor(() => expect(document.querySelectorAll('.stress-table tbody tr').length).toBe(13));
    const now = stressTable(rec.snapshot!, defaultTierTables('binance-usdm'))[6]!;
    expect(document.querySelector('tr[data-shock="0"] td:nth-of-type(2)')!.textContent).toBe(formatDecimal(now.equity, { dp: 2 }));
    fireEvent.input(screen.getByLabelText('Move (%)'), { target: { value: '-5' } });
    fireEvent.click(screen.getByRole('button', { name: 'Apply' }));
    await waitFor(() => expect(document.querySelector('.whatif-result [data-delta="marginRatio"]')!.textContent).toContain('→'));
  });
});

describe('popup: never silent', () => {
  it('unknown figures show "unknown" with the reason, never 0 or blank', () => {
    const snap = fixture('binance-usdm');
    snap.walletBalance = null;
    snap.positions[1]!.markPrice = null;
    const rec = record(snap);
    expect(rec.risk!.marginBalance).toBeNull();
    show(sources([rec]));
    const card = screen.getByRole('region', { name: 'binance-usdm' });
    const unknown = card.querySelectorAll('[data-unknown="true"]');
    expect(unknown.length).toBeGreaterThan(3);
    for (const u of unknown) {
      expect(u.textContent).toMatch(/^unknown \(.+\)$/);
      expect(u.getAttribute('title')).toBeTruthy();
    }
    const mb = within(card).getByText('Margin balance').parentElement!;
    expect(mb.querySelector('dd')!.textContent).toContain('wallet balance unknown');
    expect(card.querySelector('.gauge-value')!.textContent).toMatch(/^unknown/);
    // Mark unknown for ETHUSDT is explained in its row.
    const eth = card.querySelector('tr[data-symbol="ETHUSDT"]')!;
    expect(eth.textContent).toContain('mark price unknown');
    // Reasons are listed in full.
    expect(within(card).getByText(/Notes and unknown figures/)).toBeTruthy();
    // No figure renders as a bare zero where the engine said unknown.
    expect(mb.querySelector('dd')!.textContent).not.toMatch(/^0/);
  });

  it('positions show the liquidation price as the exchange prints it (on its tick)', () => {
    const rec = record(tight());
    const p0 = rec.risk!.positions[0]!;
    const risk = { ...rec.risk!, positions: rec.risk!.positions.map((p, i) => (i === 0 ? { ...p, liquidationPrice: '27123.456', liquidationPriceDisplayed: '27123.5' } : p)) };
    show(sources([{ ...rec, risk }]));
    const row = document.querySelector(`tr[data-symbol="${p0.symbol}"]`)!;
    expect(row.textContent).toContain(formatPrice('27123.5'));
    expect(row.textContent).not.toContain(formatPrice('27123.456'));
  });

  it('stale data: how old, and why', () => {
    const rec = record(fixture('binance-usdm'), { stale: 'no mark price for 95 s', riskAt: NOW - 95_000 });
    show(sources([rec]));
    const n = document.querySelector('[data-state="stale"]')!;
    expect(n.textContent).toContain('Stale data (1 min old)');
    expect(n.textContent).toContain('no mark price for 95 s');
    expect(n.getAttribute('role')).toBe('alert');
  });

  it('stale on fresh data (a refused stream) shows no "just now old" age', () => {
    const rec = record(fixture('binance-usdm'), { stale: 'price stream refused', riskAt: NOW - 500 });
    show(sources([rec]));
    const n = document.querySelector('[data-state="stale"]')!;
    expect(n.textContent).toContain('Stale data. price stream refused');
    expect(n.textContent).not.toContain('old)');
  });

  it('finds staleness itself when the background stopped writing', () => {
    const rec = record(fixture('binance-usdm'), { riskAt: NOW - 300_000, snapshotAt: NOW - 300_000 });
    show(sources([rec]));
    expect(document.querySelector('[data-state="stale"]')!.textContent).toMatch(/5 min old.*no update for 300 s/);
  });

  it('does not call data stale within the price limit plus one watchdog period', () => {
    show(sources([record(tight(), { riskAt: NOW - 85_000 })]));
    expect(document.querySelector('[data-state="stale"]')).toBeNull();
    cleanup();
    show(sources([record(tight(), { riskAt: NOW - 95_000 })]));
    expect(document.querySelector('[data-state="stale"]')!.textContent).toContain('no update for 95 s');
  });

  it('page not recognised: which labels were missing and when the last good read was', () => {
    const rec = record(null, {
      exchange: 'bybit',
      key: 'bybit',
      label: 'Bybit',
      health: health('bybit', { status: 'unrecognized', missing: ['Liq. Price', 'Mark Price'], lastGoodReadAt: NOW - 600_000 }),
    });
    show(sources([rec]));
    const n = document.querySelector('[data-state="unrecognized"]')!;
    expect(n.textContent).toContain('Page not recognised');
    expect(n.textContent).toContain('Missing on the page: Liq. Price, Mark Price');
    expect(n.textContent).toContain('Last good read 10 min ago');
    expect(screen.getByRole('region', { name: 'Bybit' }).querySelector('.gauge')).toBeNull();
  });

  it('partial read lists what is missing', () => {
    const rec = record(fixture('binance-usdm'), { health: health('binance-usdm', { status: 'partial', missing: ['Margin Ratio'], problems: ['ETHUSDT: direction unknown'] }) });
    show(sources([rec]));
    const n = document.querySelector('[data-state="partial"]')!;
    expect(n.textContent).toContain('Missing: Margin Ratio');
    expect(n.textContent).toContain('ETHUSDT: direction unknown');
  });

  it('stream and page marks over 5 % apart: says so with both prices, and that the worse is used', () => {
    const rec = record(fixture('binance-usdm'), { markDisagreements: [{ symbol: 'BTCUSDT', stream: '70000.1', page: '77829.3' }] });
    show(sources([rec]));
    const n = document.querySelector('[data-state="mark-disagreement"]')!;
    expect(n.textContent).toContain('BTCUSDT: stream 70,000.10, the exchange page 77,829.30');
    expect(n.textContent).toContain('worse of the two');
    cleanup();
    show(sources([record(fixture('binance-usdm'))]));
    expect(document.querySelector('[data-state="mark-disagreement"]')).toBeNull();
  });

  it('stream disconnected: says so with the age of the last live price', () => {
    const rec = record(fixture('binance-usdm'), { marks: { BTCUSDT: { price: '77829.30', time: NOW - 42_000 } } });
    const src = sources([rec]);
    src.streams['binance-usdm'] = stream('binance-usdm', 'closed', { lastError: 'socket closed 1006' });
    show(src);
    const n = document.querySelector('[data-state="disconnected"]')!;
    expect(n.textContent).toContain('Price stream disconnected');
    expect(n.textContent).toContain('Last live price 42 s ago');
    expect(n.textContent).toContain('socket closed 1006');
    expect(document.querySelector('.card')!.className).toContain('status-disconnected');
  });

  it('no stream status at all counts as disconnected while positions are open', () => {
    const rec = record(fixture('binance-usdm'));
    show(sources([rec], { streams: {} }));
    expect(document.querySelector('[data-state="disconnected"]')!.textContent).toContain('No live price yet');
  });

  it('mismatch: our liquidation price beside the exchange one, marked when beyond tolerance', () => {
    const snap = tight();
    const ours = evaluate(snap, defaultTierTables('binance-usdm'));
    const btc = ours.positions.find((p) => p.symbol === 'BTCUSDT')!;
    const eth = ours.positions.find((p) => p.symbol === 'ETHUSDT')!;
    snap.positions[0]!.displayed = { liquidationPrice: '50000' }; // far from ours
    snap.positions[1]!.displayed = { liquidationPrice: eth.liquidationPrice! }; // equal to ours
    show(sources([record(snap)]));
    const btcRow = document.querySelector('tr[data-symbol="BTCUSDT"]')!;
    expect(btcRow.textContent).toContain('exch. 50,000.00');
    expect(btcRow.querySelector('[data-mismatch="true"]')).not.toBeNull();
    expect(within(btcRow as HTMLElement).getByRole('img', { name: /mismatch/ })).toBeTruthy();
    expect(btc.liquidationPrice).not.toBe('50000');
    const ethRow = document.querySelector('tr[data-symbol="ETHUSDT"]')!;
    expect(ethRow.querySelector('[data-mismatch="false"]')).not.toBeNull();
    expect(ethRow.textContent).not.toContain('⚠');
  });

  it("the exchange's figure says when the page showed it, muted once older than our evaluation", () => {
    const snap = tight();
    const eth = evaluate(snap, defaultTierTables('binance-usdm')).positions.find((p) => p.symbol === 'ETHUSDT')!;
    snap.positions[1]!.displayed = { liquidationPrice: eth.liquidationPrice! };
    snap.source = { readAt: NOW - 60_000 };
    show(sources([record(snap, { riskAt: NOW })]));
    const theirs = document.querySelector('tr[data-symbol="ETHUSDT"] [data-mismatch="false"]')!;
    expect(theirs.classList.contains('exch-old')).toBe(true);
    expect(theirs.getAttribute('title')).toBe(exchangeFigureSource(NOW - 60_000, null));
    cleanup();
    show(sources([record(snap, { riskAt: NOW - 60_000 + 1_000 })]));
    expect(document.querySelector('tr[data-symbol="ETHUSDT"] [data-mismatch="false"]')!.classList.contains('exch-old')).toBe(false);
  });

  it('a position whose margin covers a fall to 0 shows "none" with the reason, not "unknown"', () => {
    show(sources([record(fixture('binance-usdm'))]));
    const btc = document.querySelector('tr[data-symbol="BTCUSDT"]')!;
    const none = btc.querySelector('[data-none="true"]')!;
    expect(none.textContent).toMatch(/^none/);
    expect(none.getAttribute('title')).toContain('margin covers a fall of the price to 0');
  });

  it('"none" comes from the engine\'s flag, not from the wording of the reason', () => {
    const rec = record(fixture('binance-usdm'));
    const risk = rec.risk!;
    // Reworded (e.g. translated) reasons keep the flag: still "none".
    const reworded = { ...risk, positions: risk.positions.map((p) => ({ ...p, reasons: p.reasons.map((x) => ({ ...x, reason: 'keine Liquidation' })) })) };
    show(sources([{ ...rec, risk: reworded }]));
    const btc = () => document.querySelector('tr[data-symbol="BTCUSDT"]')!;
    expect(btc().querySelectorAll('[data-none="true"]').length).toBe(2); // liquidation price and distance
    expect(btc().querySelector('[data-none="true"]')!.getAttribute('title')).toBe('keine Liquidation');
    cleanup();
    // The same words without the flag: unknown, never "none".
    const unflagged = { ...risk, positions: risk.positions.map((p) => ({ ...p, reasons: p.reasons.map(({ none: _none, ...x }) => x) })) };
    show(sources([{ ...rec, risk: unflagged }]));
    expect(btc().querySelector('[data-none="true"]')).toBeNull();
    expect(btc().querySelectorAll('[data-unknown="true"]').length).toBe(2);
  });

  it('exchange shows no liquidation price: says so', () => {
    show(sources([record(fixture('binance-usdm'))]));
    expect(document.querySelector('tr[data-symbol="BTCUSDT"]')!.textContent).toContain('exch.: not shown');
  });

  it('settings problem is shown', () => {
    show(sources([], { problems: { settings: 'levels: must be ≤ 1' } }));
    expect(screen.getByRole('alert').textContent).toContain('Settings could not be loaded: levels: must be ≤ 1');
  });
});
