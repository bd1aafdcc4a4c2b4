// @vitest-environment happy-dom
import { cleanup, render, screen, waitFor } from '@testing-library/preact';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PopupApp } from '../../components/popup/PopupApp';
import { usePopupModel } from '../../components/usePopupModel';
import { accountsItem, ratioHistoryItem, streamStatusItem } from '../../lib/storage';
import { record, stream, tight } from './helpers';

beforeEach(() => fakeBrowser.reset());
afterEach(cleanup);

function Root() {
  return <PopupApp model={usePopupModel(50)} />;
}

describe('popup reads the background storage items and follows them', () => {
  it('empty storage: no exchange page yet; then an account appears when the background writes one', async () => {
    render(<Root />);
    await screen.findByText('No exchange page open yet');
    const now = Date.now();
    await streamStatusItem.setValue({ 'binance-usdm': stream('binance-usdm', 'open') });
    await accountsItem.setValue({ 'binance-usdm': record(tight(), { label: 'Binance USDⓈ-M', snapshotAt: now, riskAt: now }) });
    await screen.findByRole('region', { name: 'Binance USDⓈ-M' });
    expect(document.querySelector('.gauge-value')!.textContent).toMatch(/%$/);
    expect(document.querySelector('.notices')).toBeNull();
  });

  it('stream status from storage.session drives the disconnected notice', async () => {
    const now = Date.now();
    await accountsItem.setValue({ 'binance-usdm': record(tight(), { snapshotAt: now, riskAt: now }) });
    await streamStatusItem.setValue({ 'binance-usdm': stream('binance-usdm', 'open') });
    await ratioHistoryItem.setValue({ 'binance-usdm': [{ t: now - 60_000, r: 0.05 }, { t: now - 1000, r: 0.06 }] });
    render(<Root />);
    await screen.findByRole('img', { name: /Risk ratio over the last hour/ });
    expect(document.querySelector('[data-state="disconnected"]')).toBeNull();
    await streamStatusItem.setValue({ 'binance-usdm': stream('binance-usdm', 'connecting') });
    await waitFor(() => expect(document.querySelector('[data-state="disconnected"]')!.textContent).toContain('Price stream reconnecting'));
  });
});
