// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { formatDecimal } from '../../components/format';
import { StressPanel } from '../../components/popup/StressPanel';
import { evaluate, stressTable, DEFAULT_SHOCKS } from '../../lib/engine';
import { defaultTierTables } from '../../lib/exchanges/tiers';
import { tight } from './helpers';

afterEach(cleanup);
const tables = defaultTierTables('binance-usdm');

describe('stress panel (real engine)', () => {
  it('uniform shocks −30 % … +30 %: margin ratio, equity left and first to liquidate as the engine computes them', () => {
    const snap = tight();
    const risk = evaluate(snap, tables);
    render(<StressPanel snapshot={snap} tables={tables} risk={risk} funding={null} levels={[0.5, 0.7, 0.8, 0.9]} />);
    const rows = document.querySelectorAll('.stress-table tbody tr');
    expect(rows.length).toBe(DEFAULT_SHOCKS.length);
    expect(rows[0]!.querySelector('th')!.textContent).toBe('−30 %');
    expect(rows[rows.length - 1]!.querySelector('th')!.textContent).toBe('+30 %');
    const want = stressTable(snap, tables);
    want.forEach((w, i) => {
      const cells = rows[i]!.querySelectorAll('td');
      if (w.liquidated) expect(cells[0]!.textContent).toBe('liquidated');
      else expect(cells[0]!.textContent).toBe(`${(Number(w.marginRatio) * 100).toFixed(1)} %`);
      expect(cells[1]!.textContent).toBe(formatDecimal(w.equity, { dp: 2 }));
      expect(cells[2]!.textContent).toBe(w.liquidated ? 'whole account' : (w.firstToLiquidate ?? 'none'));
    });
    // With a 100 USDT wallet, +30 % on both (ETH short) liquidates.
    expect(want.at(-1)!.liquidated).toBe(true);
    expect(rows[rows.length - 1]!.className).toContain('band-critical');
    expect(document.querySelector('tr[data-shock="0"] th')!.textContent).toBe('now');
  });

  it('one symbol shocked, the others following by a user-set factor', () => {
    const snap = tight();
    render(<StressPanel snapshot={snap} tables={tables} risk={evaluate(snap, tables)} funding={null} />);
    fireEvent.change(screen.getByLabelText('Shock'), { target: { value: 'BTCUSDT' } });
    fireEvent.input(screen.getByLabelText('Others follow ×'), { target: { value: '0' } });
    const want = stressTable(snap, tables, DEFAULT_SHOCKS, { symbol: 'BTCUSDT', factor: '0' });
    const row = document.querySelector('tr[data-shock="-0.2"]')!;
    expect(row.querySelectorAll('td')[1]!.textContent).toBe(formatDecimal(want[2]!.equity, { dp: 2 }));
    // Differs from the uniform table (ETH stays).
    const uniform = stressTable(snap, tables);
    expect(want[2]!.equity).not.toBe(uniform[2]!.equity);
    expect(screen.getByRole('columnheader', { name: 'BTCUSDT move' })).toBeTruthy();
  });

  it('a bad factor says so next to the field', () => {
    const snap = tight();
    render(<StressPanel snapshot={snap} tables={tables} risk={evaluate(snap, tables)} funding={null} />);
    fireEvent.change(screen.getByLabelText('Shock'), { target: { value: 'ETHUSDT' } });
    fireEvent.input(screen.getByLabelText('Others follow ×'), { target: { value: 'lots' } });
    expect(screen.getByLabelText('Others follow ×').getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByRole('alert').textContent).toContain('factor must be a decimal number');
  });

  it('funding: says it is not available from the stream', () => {
    const snap = tight();
    render(<StressPanel snapshot={snap} tables={tables} risk={evaluate(snap, tables)} funding={null} />);
    expect(screen.getByTestId('funding').textContent).toContain('not available from the stream');
  });
});
