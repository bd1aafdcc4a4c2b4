// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { formatPercentValue, formatPrice } from '../../components/format';
import { formFieldOf, moveFromForm, WhatIfPanel } from '../../components/popup/WhatIfPanel';
import { whatIf } from '../../lib/engine';
import { defaultTierTables } from '../../lib/exchanges/tiers';
import { tight } from './helpers';

afterEach(cleanup);
const tables = defaultTierTables('binance-usdm');

function setField(label: RegExp | string, value: string) {
  const el = screen.getByLabelText(label) as HTMLInputElement | HTMLSelectElement;
  if (el.tagName === 'SELECT') fireEvent.change(el, { target: { value } });
  else fireEvent.input(el, { target: { value } });
}
const apply = () => fireEvent.click(screen.getByRole('button', { name: 'Apply' }));

describe('what-if panel (real engine)', () => {
  it('BTC −5 %: before → after for the ratio and each liquidation price, same numbers as the engine', () => {
    const snap = tight();
    render(<WhatIfPanel snapshot={snap} tables={tables} />);
    expect(screen.getByText(/Live account: no change applied/)).toBeTruthy();
    setField('Symbol', 'BTCUSDT');
    setField('Move (%)', '-5');
    apply();
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

  it('reset returns to the live account', () => {
    render(<WhatIfPanel snapshot={tight()} tables={tables} />);
    setField('Move (%)', '-10');
    apply();
    expect(document.querySelector('.whatif-result')).not.toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Reset to live' }));
    expect(document.querySelector('.whatif-result')).toBeNull();
    expect(screen.getByText(/Live account: no change applied/)).toBeTruthy();
    expect((screen.getByLabelText('Move (%)') as HTMLInputElement).value).toBe('');
  });

  it('invalid input shows the ScenarioError message next to the field, and applies nothing', () => {
    render(<WhatIfPanel snapshot={tight()} tables={tables} />);
    setField('Move (%)', 'abc');
    apply();
    const input = screen.getByLabelText('Move (%)');
    expect(input.getAttribute('aria-invalid')).toBe('true');
    const err = document.getElementById(input.getAttribute('aria-describedby')!)!;
    expect(err.textContent).toContain('must be a decimal string (got "abc")');
    expect(document.querySelector('.moves')).toBeNull();
    expect(document.querySelector('.whatif-result')).toBeNull();
  });

  it('a move the account cannot fund names the field: removing more margin than the wallet holds', () => {
    render(<WhatIfPanel snapshot={tight()} tables={tables} />);
    setField('Change', 'margin');
    setField('Amount (negative removes)', '-5000');
    apply();
    const input = screen.getByLabelText('Amount (negative removes)');
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById(input.getAttribute('aria-describedby')!)!.textContent).toContain('would make the wallet balance negative');
  });

  it('adding margin moves the liquidation prices away', () => {
    const snap = tight();
    render(<WhatIfPanel snapshot={snap} tables={tables} />);
    setField('Change', 'margin');
    setField('Amount (negative removes)', '50');
    apply();
    const want = whatIf(snap, { moves: [{ kind: 'add-margin', amount: '50' }] }, tables);
    const btc = want.deltas.find((d) => d.field === 'BTCUSDT long cross.liquidationPrice')!;
    expect(Number(btc.after)).toBeLessThan(Number(btc.before));
    expect(document.querySelector('[data-delta="BTCUSDT long cross.liquidationPrice"]')!.textContent).toContain(formatPrice(btc.after));
    expect(document.querySelector('[data-delta="marginBalance"]')!.textContent).toContain('→');
  });

  it('close a position: its line says closed; a partial close needs a valid percent', () => {
    render(<WhatIfPanel snapshot={tight()} tables={tables} />);
    setField('Change', 'close');
    apply();
    expect(document.getElementById('wi-close-target-err')!.textContent).toContain('choose a position');
    setField('Position', 'ETHUSDT|short');
    setField('Close (% of size)', '150');
    apply();
    expect(document.getElementById('wi-close-percent-err')!.textContent).toContain('must be ≤ 1');
    setField('Close (% of size)', '100');
    apply();
    expect(document.querySelector('[data-delta="ETHUSDT short cross.liquidationPrice"]')!.textContent).toContain('→ closed');
  });

  it('hypothetical order: a new isolated position gets a liquidation price', () => {
    render(<WhatIfPanel snapshot={tight()} tables={tables} />);
    setField('Change', 'order');
    setField('Symbol', 'SOLUSDT');
    setField('Side', 'short');
    setField('Size', '1');
    setField('Price', '150');
    setField('Leverage', '10');
    setField('Margin mode', 'isolated');
    apply();
    const line = document.querySelector('[data-delta="SOLUSDT short isolated.liquidationPrice"]')!;
    expect(line.textContent).toMatch(/liq none \(new\) → [\d,.]+/);
  });

  it('order with a missing size names the size field', () => {
    render(<WhatIfPanel snapshot={tight()} tables={tables} />);
    setField('Change', 'order');
    setField('Price', '150');
    apply();
    expect(screen.getByLabelText('Size').getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById('wi-order-size-err')!.textContent).toContain('required: enter a number');
  });
});

describe('form → move', () => {
  it('engine validation errors (not form checks) are shown at their field: a price of 0', () => {
    render(<WhatIfPanel snapshot={tight()} tables={tables} />);
    setField('Change', 'order');
    setField('Size', '1');
    setField('Price', '0');
    apply();
    expect(document.getElementById('wi-order-price-err')!.textContent).toContain('must be > 0');
  });

  it('maps engine error paths to form fields', () => {
    expect(formFieldOf('shift', 'moves[0].percent')).toBe('value');
    expect(formFieldOf('close', 'moves[2].fraction')).toBe('percent');
    expect(formFieldOf('order', 'moves[0].leverage')).toBe('leverage');
    expect(formFieldOf('margin', 'moves[0]')).toBe('general');
  });
  it('builds moves', () => {
    expect(moveFromForm('close', { target: 'BTCUSDT|long', percent: '25' })).toEqual({ kind: 'close', symbol: 'BTCUSDT', side: 'long', fraction: '0.25' });
    expect(moveFromForm('shift', { symbol: '', mode: 'amount', value: '-100' })).toEqual({ kind: 'shift-mark', symbol: undefined, amount: '-100' });
    expect(() => moveFromForm('shift', { symbol: '', mode: 'price', value: '1' })).toThrow(/choose one symbol/);
  });
});
