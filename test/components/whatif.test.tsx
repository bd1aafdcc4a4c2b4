// @vitest-environment happy-dom
// The panel asks the background (`what-if` message); here that is the real monitor and message
// handler (helpers.startTestBackground), which runs the real engine on the account it holds.
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { formatPercentValue, formatPrice } from '../../lib/view/format';
import { WhatIfPanel } from '../../components/popup/whatif/WhatIfPanel';
import type { Monitor } from '../../lib/background/monitor';
import { whatIf } from '../../lib/engine';
import { defaultTierTables } from '../../lib/exchanges/tiers';
import { startStreamServer, type StreamServer } from '../../harness/stream-server';
import { record, startTestBackground, tight } from './helpers';

const tables = defaultTierTables('binance-usdm');
const KEY = 'binance-usdm';
let server: StreamServer;
let monitor: Monitor;
beforeAll(async () => {
  server = await startStreamServer();
});
afterAll(() => server.close());
beforeEach(async () => {
  server.reset();
  monitor = await startTestBackground([record(tight())], server.origin);
});
afterEach(async () => {
  cleanup();
  await monitor.dispose();
});

/** Render the panel for the account the background holds. */
const panel = () => render(<WhatIfPanel accountKey={KEY} snapshot={tight()} />);

function setField(label: RegExp | string, value: string) {
  const el = screen.getByLabelText(label) as HTMLInputElement | HTMLSelectElement;
  if (el.tagName === 'SELECT') fireEvent.change(el, { target: { value } });
  else fireEvent.input(el, { target: { value } });
}
/** Click Apply; resolves once the background has answered (the form is no longer busy). */
async function apply() {
  fireEvent.click(screen.getByRole('button', { name: 'Apply' }));
  await waitFor(() => expect(document.querySelector('form[aria-busy]')).toBeNull());
}

describe('what-if panel (real engine)', () => {
  it('BTC −5 %: before → after for the ratio and each liquidation price, same numbers as the engine', async () => {
    const snap = tight();
    panel();
    expect(screen.getByText(/Live account: no change applied/)).toBeTruthy();
    setField('Symbol', 'BTCUSDT');
    setField('Move (%)', '-5');
    await apply();
    const want = whatIf(snap, { moves: [{ kind: 'shift-mark', symbol: 'BTCUSDT', percent: '-5' }] }, tables);
    const mr = want.deltas.find((d) => d.field === 'marginRatio')!;
    const line = document.querySelector('[data-delta="marginRatio"]')!;
    expect(line.textContent).toContain(`${(Number(mr.before) * 100).toFixed(2)} % → ${(Number(mr.after) * 100).toFixed(2)} %`);
    // ETH short liquidation price moves under a BTC fall (cross margin): one delta line with its change.
    const eth = want.deltas.find((d) => d.field === 'ETHUSDT short cross.liquidationPrice')!;
    expect(eth.change).not.toBe('0');
    const ethLine = document.querySelector('[data-delta="ETHUSDT short cross.liquidationPrice"]')!;
    expect(ethLine.textContent).toContain(`liq ${formatPrice(eth.before)} → ${formatPrice(eth.after)} (${formatPercentValue(eth.changePercent)})`);
    expect(ethLine.textContent).toContain('distance');
    expect(within(screen.getByRole('list', { name: 'Applied changes' })).getByText('BTCUSDT −5.00 %')).toBeTruthy();
  });

  it('runs on the background\'s live marks, and re-runs the applied moves when the input changes', async () => {
    const snap = tight();
    const view = panel();
    setField('Symbol', 'BTCUSDT');
    setField('Move (%)', '-5');
    await apply();
    const move = { kind: 'shift-mark' as const, symbol: 'BTCUSDT', percent: '-5' };
    const before = whatIf(snap, { moves: [move] }, tables);
    const line = () => document.querySelector('[data-delta="ETHUSDT short cross.liquidationPrice"]')!.textContent;
    expect(line()).toContain(`liq ${formatPrice(before.deltas.find((d) => d.field === 'ETHUSDT short cross.liquidationPrice')!.before)}`);
    // A live BTC mark arrives (the ETH short's cross liquidation price depends on it) on the (loopback) stream; the monitor applies it.
    server.setMark('binance-usdm', 'BTCUSDT', '76000');
    await waitFor(() => expect(monitor.accounts[KEY]!.marks.BTCUSDT?.price).toBe('76000'));
    view.rerender(<WhatIfPanel accountKey={KEY} snapshot={tight()} version="after-tick" />);
    const live = whatIf({ ...snap, positions: snap.positions.map((p) => (p.symbol === 'BTCUSDT' ? { ...p, markPrice: '76000' } : p)) }, { moves: [move] }, tables);
    const liq = live.deltas.find((d) => d.field === 'ETHUSDT short cross.liquidationPrice')!;
    expect(liq.before).not.toBe(before.deltas.find((d) => d.field === 'ETHUSDT short cross.liquidationPrice')!.before);
    await waitFor(() => expect(line()).toContain(`liq ${formatPrice(liq.before)} → ${formatPrice(liq.after)}`));
  });

  it('an account the background does not hold is an error, not a result', async () => {
    render(<WhatIfPanel accountKey="bybit" snapshot={tight()} />);
    setField('Move (%)', '-5');
    await apply();
    expect(document.getElementById('wi-shift-general-err')!.textContent).toContain('accountKey: no account with a snapshot: bybit');
    expect(document.querySelector('.whatif-result')).toBeNull();
  });

  it('reset returns to the live account', async () => {
    panel();
    setField('Move (%)', '-10');
    await apply();
    expect(document.querySelector('.whatif-result')).not.toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Reset to live' }));
    expect(document.querySelector('.whatif-result')).toBeNull();
    expect(screen.getByText(/Live account: no change applied/)).toBeTruthy();
    expect((screen.getByLabelText('Move (%)') as HTMLInputElement).value).toBe('');
  });

  it('invalid input shows the form error next to the field, and applies nothing', async () => {
    panel();
    setField('Move (%)', 'abc');
    await apply();
    const input = screen.getByLabelText('Move (%)');
    expect(input.getAttribute('aria-invalid')).toBe('true');
    const err = document.getElementById(input.getAttribute('aria-describedby')!)!;
    expect(err.textContent).toContain('must be a decimal string (got "abc")');
    expect(document.querySelector('.moves')).toBeNull();
    expect(document.querySelector('.whatif-result')).toBeNull();
  });

  it('a move the account cannot fund names the field: removing more margin than the wallet holds', async () => {
    panel();
    setField('Change', 'margin');
    setField('Amount (negative removes)', '-5000');
    await apply();
    const input = screen.getByLabelText('Amount (negative removes)');
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById(input.getAttribute('aria-describedby')!)!.textContent).toContain('would make the wallet balance negative');
  });

  it('adding margin moves the liquidation prices away', async () => {
    const snap = tight();
    panel();
    setField('Change', 'margin');
    setField('Amount (negative removes)', '50');
    await apply();
    const want = whatIf(snap, { moves: [{ kind: 'add-margin', amount: '50' }] }, tables);
    const btc = want.deltas.find((d) => d.field === 'BTCUSDT long cross.liquidationPrice')!;
    expect(Number(btc.after)).toBeLessThan(Number(btc.before));
    expect(document.querySelector('[data-delta="BTCUSDT long cross.liquidationPrice"]')!.textContent).toContain(formatPrice(btc.after));
    expect(document.querySelector('[data-delta="marginBalance"]')!.textContent).toContain('→');
  });

  it('close a position: its line says closed; a partial close needs a valid percent', async () => {
    panel();
    setField('Change', 'close');
    await apply();
    expect(document.getElementById('wi-close-target-err')!.textContent).toContain('choose a position');
    setField('Position', 'ETHUSDT|short');
    setField('Close (% of size)', '150');
    await apply();
    expect(document.getElementById('wi-close-percent-err')!.textContent).toContain('must be ≤ 1');
    setField('Close (% of size)', '100');
    await apply();
    expect(document.querySelector('[data-delta="ETHUSDT short cross.liquidationPrice"]')!.textContent).toContain('→ closed');
  });

  it('hypothetical order: a new isolated position gets a liquidation price', async () => {
    panel();
    setField('Change', 'order');
    setField('Symbol', 'SOLUSDT');
    setField('Side', 'short');
    setField('Size', '1');
    setField('Price', '150');
    setField('Leverage', '10');
    setField('Margin mode', 'isolated');
    await apply();
    const line = document.querySelector('[data-delta="SOLUSDT short isolated.liquidationPrice"]')!;
    expect(line.textContent).toMatch(/liq none \(new\) → [\d,.]+/);
  });

  it('order with a missing size names the size field', async () => {
    panel();
    setField('Change', 'order');
    setField('Price', '150');
    await apply();
    expect(screen.getByLabelText('Size').getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById('wi-order-size-err')!.textContent).toContain('required: enter a number');
  });
});

describe('form → move', () => {
  it('engine validation errors (not form checks) are shown at their field: a price of 0', async () => {
    panel();
    setField('Change', 'order');
    setField('Size', '1');
    setField('Price', '0');
    await apply();
    expect(document.getElementById('wi-order-price-err')!.textContent).toContain('must be > 0');
  });
});
