// @vitest-environment happy-dom
// The panel asks the background (`stress` message); here that is the real monitor and message
// handler (helpers.startTestBackground), which runs the real engine on the account it holds, with
// live marks (and funding) from a loopback server speaking the exchanges' stream formats.
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { formatDecimal, formatPercent, formatPrice } from '../../lib/view/format';
import { StressPanel } from '../../components/popup/StressPanel';
import type { Monitor } from '../../lib/background/monitor';
import { evaluate, fundingPayment, stressTable, withMarks, DEFAULT_SHOCKS } from '../../lib/engine';
import type { AccountSnapshot } from '../../lib/engine/snapshot';
import { defaultTierTables } from '../../lib/exchanges/tiers';
import { startStreamServer, type StreamServer } from '../../harness/stream-server';
import { fixture, okxWithTiers, record, startTestBackground, tight } from './helpers';

const tables = defaultTierTables('binance-usdm');
let server: StreamServer;
let monitor: Monitor | null = null;
beforeAll(async () => {
  server = await startStreamServer();
});
afterAll(() => server.close());
beforeEach(() => server.reset());
afterEach(async () => {
  cleanup();
  await monitor?.dispose();
  monitor = null;
});

async function show(snap: AccountSnapshot, levels: number[] = []) {
  monitor = await startTestBackground([record(snap)], server.origin);
  render(<StressPanel accountKey={snap.exchange} snapshot={snap} risk={evaluate(snap, defaultTierTables(snap.exchange))} levels={levels} />);
}
const rows = () => document.querySelectorAll('.stress-table tbody tr');

describe('stress panel (real engine in the background)', () => {
  it('uniform shocks −30 % … +30 %: margin ratio, equity left and first to liquidate as the engine computes them', async () => {
    const snap = tight();
    await show(snap, [0.5, 0.7, 0.8, 0.9]);
    await waitFor(() => expect(rows().length).toBe(DEFAULT_SHOCKS.length));
    const r = rows();
    expect(r[0]!.querySelector('th')!.textContent).toBe('−30 %');
    expect(r[r.length - 1]!.querySelector('th')!.textContent).toBe('+30 %');
    const want = stressTable(snap, tables);
    want.forEach((w, i) => {
      const cells = r[i]!.querySelectorAll('td');
      if (w.liquidated) expect(cells[0]!.textContent).toBe('liquidated');
      else expect(cells[0]!.textContent).toBe(`${(Number(w.marginRatio) * 100).toFixed(1)} %`);
      expect(cells[1]!.textContent).toBe(formatDecimal(w.equity, { dp: 2 }));
      expect(cells[2]!.textContent).toBe(w.liquidated ? 'whole account' : (w.firstToLiquidate ?? 'none'));
    });
    // With a 100 USDT wallet, +30 % on both (ETH short) liquidates.
    expect(want.at(-1)!.liquidated).toBe(true);
    expect(r[r.length - 1]!.className).toContain('band-critical');
    expect(document.querySelector('tr[data-shock="0"] th')!.textContent).toBe('now');
  });

  it('one symbol shocked, the others following by a user-set factor', async () => {
    const snap = tight();
    await show(snap);
    await waitFor(() => expect(rows().length).toBe(DEFAULT_SHOCKS.length));
    fireEvent.change(screen.getByLabelText('Shock'), { target: { value: 'BTCUSDT' } });
    fireEvent.input(screen.getByLabelText('Others follow ×'), { target: { value: '0' } });
    const want = stressTable(snap, tables, DEFAULT_SHOCKS, { symbol: 'BTCUSDT', factor: '0' });
    await screen.findByRole('columnheader', { name: 'BTCUSDT move' });
    const row = document.querySelector('tr[data-shock="-0.2"]')!;
    expect(row.querySelectorAll('td')[1]!.textContent).toBe(formatDecimal(want[2]!.equity, { dp: 2 }));
    // Differs from the uniform table (ETH stays).
    const uniform = stressTable(snap, tables);
    expect(want[2]!.equity).not.toBe(uniform[2]!.equity);
  });

  it('a bad factor says so next to the field', async () => {
    await show(tight());
    fireEvent.change(screen.getByLabelText('Shock'), { target: { value: 'ETHUSDT' } });
    fireEvent.input(screen.getByLabelText('Others follow ×'), { target: { value: 'lots' } });
    expect(screen.getByLabelText('Others follow ×').getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByRole('alert').textContent).toContain('factor must be a decimal number');
  });

  it('runs on the live marks the monitor applies: a BTC tick moves the "now" row', async () => {
    const snap = tight();
    await show(snap);
    server.setMark('binance-usdm', 'BTCUSDT', '70000');
    await waitFor(() => expect(monitor!.accounts['binance-usdm']!.marks.BTCUSDT?.price).toBe('70000'));
    // A new input version (the popup re-renders from storage after the tick) re-requests the table.
    cleanup();
    render(<StressPanel accountKey="binance-usdm" snapshot={snap} risk={evaluate(snap, tables)} version="tick" />);
    const want = stressTable(withMarks(snap, { BTCUSDT: '70000' }), tables);
    await waitFor(() => expect(document.querySelector('tr[data-shock="0"] td:nth-of-type(2)')?.textContent).toBe(formatDecimal(want[6]!.equity, { dp: 2 })));
    expect(want[6]!.equity).not.toBe(stressTable(snap, tables)[6]!.equity);
  });

  it('funding: each position pays or receives notional × rate by the next funding time, from the stream (Binance r, T)', async () => {
    const snap = tight();
    await show(snap);
    // The loopback server speaks Binance's markPrice push: r = 0.00010000, T = event time + 1 h.
    server.setMark('binance-usdm', 'BTCUSDT', '77000');
    server.setMark('binance-usdm', 'ETHUSDT', '3000');
    await waitFor(() => expect(Object.keys(monitor!.accounts['binance-usdm']!.marks).sort()).toEqual(['BTCUSDT', 'ETHUSDT']));
    const stored = monitor!.accounts['binance-usdm']!.marks;
    expect(stored.BTCUSDT).toMatchObject({ fundingRate: '0.00010000', nextFundingTime: expect.any(Number) });
    cleanup();
    render(<StressPanel accountKey="binance-usdm" snapshot={snap} risk={evaluate(snap, tables)} version="ticks" now={Date.now()} />);
    const box = await screen.findByTestId('funding');
    const live = evaluate(withMarks(snap, { BTCUSDT: '77000', ETHUSDT: '3000' }), tables);
    for (const p of live.positions) {
      const pay = fundingPayment(p.side, p.notional!, '0.00010000');
      const li = box.querySelector(`[data-funding="${p.symbol} ${p.side}"]`)!;
      // Positive rate: the long pays, the short receives.
      expect(li.textContent).toContain(`${p.side === 'long' ? 'pays' : 'receives'} ${formatPrice(pay.replace('-', ''))}`);
      expect(li.textContent).toMatch(/in (59 min|1 h)/);
      expect(li.textContent).toContain(`rate ${formatPercent('0.0001', 4, true)} per funding interval`);
      expect(li.getAttribute('title')).toContain(`payment ${pay}`);
    }
    expect(box.querySelector('[data-funding="BTCUSDT long"]')!.textContent).toContain('pays');
  });

  it('funding before any stream tick: unknown with the reason, never 0', async () => {
    await show(tight());
    const box = await screen.findByTestId('funding');
    expect(box.textContent).toContain('no live price from the stream yet');
    expect(box.textContent).not.toMatch(/pays|receives/);
  });

  it('funding on OKX: not available from the OKX mark-price stream', async () => {
    await show(okxWithTiers());
    const box = await screen.findByTestId('funding');
    expect(box.textContent).toBe('Funding: not available from the OKX mark-price stream.');
  });

  it('funding on Hyperliquid: the hourly rate, paid at the next full hour', async () => {
    const snap = fixture('hyperliquid');
    await show(snap);
    for (const p of snap.positions) server.setMark('hyperliquid', p.symbol, p.markPrice!);
    await waitFor(() => expect(Object.keys(monitor!.accounts.hyperliquid!.marks).length).toBe(snap.positions.length));
    cleanup();
    render(<StressPanel accountKey="hyperliquid" snapshot={snap} risk={evaluate(snap, defaultTierTables('hyperliquid'))} version="ticks" now={Date.now()} />);
    const box = await screen.findByTestId('funding');
    const risk = evaluate(snap, defaultTierTables('hyperliquid'));
    const p = risk.positions[0]!;
    const li = box.querySelector(`[data-funding="${p.symbol} ${p.side}"]`)!;
    expect(li.textContent).toContain(formatPrice(fundingPayment(p.side, p.notional!, '0.0000125').replace('-', '')));
    expect(li.textContent).toContain('per hour');
    const next = monitor!.accounts.hyperliquid!.marks[p.symbol]!.nextFundingTime!;
    expect(next % 3_600_000).toBe(0);
    expect(next - Date.now()).toBeLessThanOrEqual(3_600_000);
  });
});
