// @vitest-environment happy-dom
/**
 * The popup's spot margin card, rendered from the record the worker stores (built here by the real
 * MarginWatch evaluation path: reader → engine → alert machine), beside futures cards.
 */
import { cleanup, render, screen, within } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { PopupApp } from '../../components/popup/PopupApp';
import { marginAlertInput, marginMachineSettings, DEFAULT_MARGIN_ALERTS } from '../../lib/alerts/margin';
import { DEFAULT_ALERT_SETTINGS, initialAlertState, step } from '../../lib/alerts/machine';
import { evaluateSpotMargin } from '../../lib/engine/spotMargin';
import type { SpotMarginSnapshot } from '../../lib/engine/snapshot';
import { readBinanceMargin } from '../../lib/exchanges/binance-margin/reader';
import type { MarginAccountRecord } from '../../lib/storage/margin';
import { marginCardView } from '../../lib/view/margin';
import { buildPopupModel } from '../../lib/view/popup';
import { MARGIN_FIXTURES, marginDoc, withPrices } from '../exchanges/binance-margin/helpers';
import { NOW, sources } from './helpers';

afterEach(cleanup);

function record(snap: SpotMarginSnapshot, extra: Partial<MarginAccountRecord> = {}): MarginAccountRecord {
  const risk = evaluateSpotMargin(snap);
  const input = marginAlertInput(risk, 1.1, { now: NOW, snapshotAt: NOW, oldestPriceAt: NOW, pricesExpectedSince: null, shownFresh: true });
  const st = step(initialAlertState(), input, marginMachineSettings(DEFAULT_ALERT_SETTINGS, DEFAULT_MARGIN_ALERTS, 1.1), NOW).state;
  return { key: `binance-margin:${snap.mode}`, label: snap.mode === 'cross' ? 'Binance Cross Margin' : 'Binance Isolated Margin', mode: snap.mode, snapshot: snap, health: null, snapshotAt: NOW, risk, pricesMissing: [], oldestPriceAt: NOW, liquidation: 1.1, alert: st, stale: null, tabId: 1, url: null, evaluatedAt: NOW, ...extra };
}

const crossSnap = () => withPrices(readBinanceMargin(marginDoc(MARGIN_FIXTURES.cross.file), MARGIN_FIXTURES.cross.url).snapshot!, { BTC: '64000', ETH: '3100', BNB: '580' });

describe('spot margin card', () => {
  it('shows the level as Binance does, the normalized risk, and each coin\'s liquidation price', () => {
    const view = marginCardView(record(crossSnap()), DEFAULT_MARGIN_ALERTS);
    render(<PopupApp model={buildPopupModel(sources([]), NOW)} margin={[view]} />);
    const card = screen.getByRole('region', { name: 'Binance Cross Margin' });
    // the page shows 1.47 (≤ ours 1.4704): the lower, the exchange's, is the one shown and alerted on
    expect(within(card).getByText('1.47').getAttribute('data-field')).toBe('marginLevel');
    expect(card.querySelector('[data-field="risk"]')!.textContent).toBe('risk 75 %');
    const rows = [...card.querySelectorAll('tbody tr')].map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent));
    expect(rows.map((r) => r[0])).toEqual(['BTC', 'ETH', 'BNB']);
    expect(rows[0]![2]).toMatch(/^falls to \d+(\.\d+)?$/);
    expect(rows[2]![2]).toMatch(/^rises to \d+/); // BNB is borrowed: liquidated if it rises
    expect(card.textContent).toContain('margin call ≤ 1.3 · liquidation ≤ 1.1');
    expect(screen.queryByText('No exchange page open yet')).toBeNull();
  });
  it('while the margin view loads (margin accounts exist), the popup says Loading, never "No exchange page open yet"', () => {
    render(<PopupApp model={buildPopupModel(sources([]), NOW)} margin={null} />);
    expect(screen.getByText('Loading…')).toBeTruthy();
    expect(screen.queryByText('No exchange page open yet')).toBeNull();
    cleanup();
    render(<PopupApp model={buildPopupModel(sources([]), NOW)} margin={[]} />);
    expect(screen.getByText('No exchange page open yet')).toBeTruthy();
  });

  it('isolated: one row per pair with its own level and liquidation price', () => {
    const snap = readBinanceMargin(marginDoc(MARGIN_FIXTURES.isolated.file), MARGIN_FIXTURES.isolated.url).snapshot!;
    const view = marginCardView(record(snap), DEFAULT_MARGIN_ALERTS);
    expect(view.rows.map((r) => [r.name, r.liquidationPrice])).toEqual([
      ['BTCUSDT (level 1.49)', '36674'],
      ['ETHUSDT (level 2.00)', '5454.54545454'],
    ]);
    expect(view.levelText).toBe('1.49');
  });
  it('loud when prices are missing or rows unread: level unknown, never a number from nothing', () => {
    const snap = readBinanceMargin(marginDoc(MARGIN_FIXTURES.cross.file), MARGIN_FIXTURES.cross.url).snapshot!;
    const r = record({ ...snap, displayed: {} }, { pricesMissing: ['BTCUSDT'] });
    const view = marginCardView(r, DEFAULT_MARGIN_ALERTS);
    expect(view.levelText).toBe('—');
    expect(view.warnings.join()).toMatch(/No price yet for BTCUSDT/);
  });
});
