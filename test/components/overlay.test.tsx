// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_PLACEMENT, Overlay, overlayStatus, type OverlayPlacement } from '../../components/overlay/Overlay';
import { OverlayRoot } from '../../components/overlay/OverlayRoot';
import { accountsForHost, overlayPlacementItem } from '../../components/overlay/source';
import { EXCHANGE_PAGE_MATCHES } from '../../wxt.config';
import { accountsItem } from '../../lib/storage';
import { fixture, health, NOW, record, tight } from './helpers';

beforeEach(() => fakeBrowser.reset());
afterEach(cleanup);

function overlay(over: Partial<Parameters<typeof Overlay>[0]> = {}) {
  const placements: OverlayPlacement[] = [];
  const r = render(
    <Overlay accounts={[record(tight())]} now={NOW} levels={[0.5, 0.7, 0.8, 0.9]} priceMaxAgeMs={60_000} placement={DEFAULT_PLACEMENT} onPlacement={(p) => placements.push(p)} {...over} />,
  );
  return { ...r, placements };
}

describe('overlay badge', () => {
  it('collapsed: account ratio, worst distance to liquidation, data status; bottom-left by default', () => {
    const rec = record(tight());
    overlay({ accounts: [rec] });
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
    overlay({ accounts: [record(snap)], placement: { ...DEFAULT_PLACEMENT, collapsed: false } });
    const rows = document.querySelectorAll('.ms-pos tbody tr');
    expect(rows.length).toBe(2);
    expect(rows[0]!.textContent).toContain('50,000.00 ⚠');
    expect(rows[0]!.textContent).toContain('mismatch');
    expect(rows[1]!.textContent).toContain('—');
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
    overlay({ accounts: [record(tight(), { stale: 'no mark price for 95 s', riskAt: NOW - 95_000 })] });
    expect(screen.getByRole('alert').textContent).toContain('stale 1 min: no mark price for 95 s');
    cleanup();
    overlay({ accounts: [record(null, { health: health('binance-usdm', { status: 'unrecognized', missing: ['Liq. Price'] }) })] });
    expect(screen.getByRole('alert').textContent).toBe('page not recognised (missing: Liq. Price)');
    expect(document.querySelector('.ms-ratio')!.textContent).toBe('unknown');
  });

  it('unknown ratio shows "unknown" with the reason', () => {
    const snap = fixture('binance-usdm');
    snap.walletBalance = null;
    overlay({ accounts: [record(snap)] });
    const ratio = document.querySelector('.ms-ratio')!;
    expect(ratio.textContent).toBe('unknown');
    expect(ratio.getAttribute('title')).toBeTruthy();
  });

  it('a new record that shows the same texts does not touch the DOM; a changed digit does', async () => {
    const rec = record(tight());
    const props = { now: NOW, levels: [0.5, 0.7, 0.8, 0.9], priceMaxAgeMs: 60_000, placement: { ...DEFAULT_PLACEMENT, collapsed: false }, onPlacement: () => {} };
    const { container, rerender } = render(<Overlay accounts={[rec]} {...props} />);
    const changes: MutationRecord[] = [];
    const mo = new MutationObserver((m) => changes.push(...m));
    mo.observe(container, { subtree: true, childList: true, characterData: true, attributes: true });
    // The next price tick: every figure moves in a digit the badge does not show.
    const tick = (r: typeof rec, d: string) => ({ ...r, riskAt: NOW, risk: { ...r.risk!, marginRatio: `${r.risk!.marginRatio}${d}`, marginBalance: `${r.risk!.marginBalance}1` } });
    rerender(<Overlay accounts={[tick(rec, '01')]} {...props} />);
    await Promise.resolve();
    expect(changes.splice(0).map((m) => `${m.type} ${m.attributeName} ${(m.target as Element).className}`)).toEqual([]);
    const shown = container.querySelector('.ms-ratio')!.textContent;
    rerender(<Overlay accounts={[{ ...rec, risk: { ...rec.risk!, marginRatio: String(Number(rec.risk!.marginRatio) + 0.01) } }]} {...props} />);
    await Promise.resolve();
    expect(changes.length).toBeGreaterThan(0);
    expect(container.querySelector('.ms-ratio')!.textContent).not.toBe(shown);
    mo.disconnect();
  });

  it('finds staleness itself when updates stop', () => {
    expect(overlayStatus(record(tight(), { riskAt: NOW - 120_000 }), NOW, 60_000)).toMatchObject({ status: 'stale' });
  });

  it('renders nothing on a host with no account', () => {
    const { container } = overlay({ accounts: [] });
    expect(container.innerHTML).toBe('');
  });
});

describe('overlay wiring (WXT fake storage)', () => {
  it('shows the accounts of this host from storage and remembers the placement', async () => {
    await accountsItem.setValue({ 'binance-usdm': record(tight()), bybit: record(null, { key: 'bybit', exchange: 'bybit', label: 'Bybit', health: null, risk: null }) });
    render(<OverlayRoot host="www.binance.com" />);
    await waitFor(() => expect(document.querySelectorAll('.ms-account').length).toBe(1));
    expect(document.querySelector('.ms-account')!.getAttribute('data-account')).toBe('binance-usdm');
    fireEvent.click(screen.getByRole('button', { name: 'Show positions' }));
    await waitFor(async () => expect((await overlayPlacementItem.getValue()).collapsed).toBe(false));
  });

  it('a storage update that changes no shown text leaves the DOM alone; one that does is shown', async () => {
    const rec = record(tight(), { riskAt: Date.now() });
    await accountsItem.setValue({ 'binance-usdm': rec });
    render(<OverlayRoot host="www.binance.com" />);
    await waitFor(() => expect(document.querySelector('.ms-ratio')).not.toBeNull());
    const shown = document.querySelector('.ms-ratio')!.textContent;
    const changes: MutationRecord[] = [];
    const mo = new MutationObserver((m) => changes.push(...m));
    mo.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
    // The next tick: new figures, same displayed digits.
    await accountsItem.setValue({ 'binance-usdm': { ...rec, riskAt: Date.now(), risk: { ...rec.risk!, marginRatio: `${rec.risk!.marginRatio}01`, marginBalance: `${rec.risk!.marginBalance}1` } } });
    await new Promise((r) => setTimeout(r, 50));
    expect(changes.splice(0)).toEqual([]);
    await accountsItem.setValue({ 'binance-usdm': { ...rec, riskAt: Date.now(), risk: { ...rec.risk!, marginRatio: String(Number(rec.risk!.marginRatio) + 0.01) } } });
    await waitFor(() => expect(document.querySelector('.ms-ratio')!.textContent).not.toBe(shown));
    mo.disconnect();
  });

  it('the clock alone moves the ages and finds staleness (no new data needed)', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'], now: NOW });
    try {
      await accountsItem.setValue({ 'binance-usdm': record(tight(), { riskAt: NOW, stale: null }) });
      render(<OverlayRoot host="www.binance.com" />);
      await vi.waitFor(() => expect(document.querySelector('.ms-status')!.textContent).toBe('live · just now'));
      await vi.advanceTimersByTimeAsync(5_000);
      expect(document.querySelector('.ms-status')!.textContent).toBe('live · 5 s');
      await vi.advanceTimersByTimeAsync(90_000); // past the 60 s price limit + 30 s
      expect(document.querySelector('.ms-status')!.textContent).toBe('stale: no update for 1 min');
      expect(document.querySelector('.ms-status')!.getAttribute('role')).toBe('alert');
    } finally {
      vi.useRealTimers();
    }
  });

  it('accountsForHost filters by the exchange page host', () => {
    const all = { a: record(tight()), b: record(null, { key: 'hyperliquid:0xab', exchange: 'hyperliquid', label: 'HL' }) };
    expect(accountsForHost(all, 'app.hyperliquid.xyz').map((r) => r.key)).toEqual(['hyperliquid:0xab']);
    expect(accountsForHost(all, 'example.com')).toEqual([]);
  });

  it('overlay content script matches the same pages as the page reader', async () => {
    const src = readFileSync(resolve(process.cwd(), 'entrypoints/overlay.content.tsx'), 'utf8');
    expect(src).toMatch(/matches: CONTENT_MATCHES,/);
    expect(src).toMatch(/cssInjectionMode: 'ui'/);
    const { CONTENT_MATCHES } = await import('../../lib/exchanges/content-matches');
    expect(CONTENT_MATCHES).toEqual(EXCHANGE_PAGE_MATCHES);
  });
});
