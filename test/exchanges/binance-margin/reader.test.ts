// @vitest-environment happy-dom
/**
 * Binance margin page reader on the reconstructed fixtures (test/fixtures/pages/binance-margin-*.html),
 * their stated values, variants (reordered columns, hidden rows, a damaged row) and URL detection.
 */
import { describe, expect, it } from 'vitest';
import { evaluateSpotMargin } from '../../../lib/engine/spotMargin';
import { safeParseSpotMarginSnapshot } from '../../../lib/engine/snapshot';
import type { SpotMarginCrossRisk, SpotMarginIsolatedRisk } from '../../../lib/engine/spotMarginTypes';
import { BINANCE_MARGIN_EXAMPLES, binanceMarginMode, binanceMarginPair } from '../../../lib/exchanges/binance-margin/page';
import { readBinanceMargin } from '../../../lib/exchanges/binance-margin/reader';
import { MARGIN_FIXTURES, marginDoc, withPrices } from './helpers';

const NOW = 1_790_000_000_000;

describe('page detection', () => {
  it.each(BINANCE_MARGIN_EXAMPLES.cross)('%s is a cross margin page', (u) => expect(binanceMarginMode(u)).toBe('cross'));
  it.each(BINANCE_MARGIN_EXAMPLES.isolated)('%s is an isolated margin page', (u) => expect(binanceMarginMode(u)).toBe('isolated'));
  it.each(BINANCE_MARGIN_EXAMPLES.noMatch)('%s is not a margin page', (u) => expect(binanceMarginMode(u)).toBeNull());
  it('the trade page names its pair', () => expect(binanceMarginPair('https://www.binance.com/en/trade/ETH_BTC?type=cross')).toEqual({ symbol: 'ETHBTC', base: 'ETH', quote: 'BTC' }));
});

describe.each(['cross', 'wallet'] as const)('Cross Margin: %s page', (which) => {
  const f = MARGIN_FIXTURES[which];
  it('reads every asset, the level, valid per the schema, status ok', () => {
    const r = readBinanceMargin(marginDoc(f.file), f.url, { now: NOW });
    expect(r.health.status, r.health.problems.join(' | ')).toBe('ok');
    expect(r.health.complete).toBe(true);
    expect(safeParseSpotMarginSnapshot(r.snapshot).ok).toBe(true);
    expect(r.snapshot!.assets).toEqual([
      { asset: 'USDT', free: '120.5', locked: '0', borrowed: '6000', interest: '1.25', price: '1' },
      { asset: 'BTC', free: '0.08', locked: '0.01', borrowed: '0', interest: '0', price: null },
      { asset: 'ETH', free: '1.5', locked: '0', borrowed: '0', interest: '0', price: null },
      { asset: 'BNB', free: '0', locked: '0', borrowed: '2', interest: '0.0004', price: null },
    ]);
    expect(r.snapshot!.displayed?.marginLevel).toBe('1.47');
  });
  it('priced at the fixture\'s prices, the engine agrees with the level shown (1.47)', () => {
    const r = readBinanceMargin(marginDoc(f.file), f.url, { now: NOW });
    const risk = evaluateSpotMargin(withPrices(r.snapshot!, { BTC: '64000', ETH: '3100', BNB: '580' })) as SpotMarginCrossRisk;
    expect(risk.marginLevel).toBe('1.47043587');
    expect(risk.reconciliation.find((x) => x.field === 'marginLevel')!.mismatch).toBe(false);
  });
  it('unpriced, the level is unknown (not zero) and says which prices are missing', () => {
    const r = readBinanceMargin(marginDoc(f.file), f.url, { now: NOW });
    const risk = evaluateSpotMargin(r.snapshot!) as SpotMarginCrossRisk;
    expect(risk.marginLevel).toBeNull();
    expect(risk.reasons.map((x) => x.reason).join()).toMatch(/BTC, ETH, BNB/);
  });
});

describe('Cross Margin variants', () => {
  const f = MARGIN_FIXTURES.cross;
  it('columns reordered: same read', () => {
    const doc = marginDoc(f.file);
    for (const tr of Array.from(doc.querySelectorAll('tr'))) tr.insertBefore(tr.children[4]!, tr.children[1]!); // Borrowed moved left
    const r = readBinanceMargin(doc, f.url, { now: NOW });
    expect(r.health.status).toBe('ok');
    expect(r.snapshot!.assets[3]!.borrowed).toBe('2');
  });
  it('a row whose Equity does not add up puts the whole table in doubt: every coin named unread, level unknown (partial)', () => {
    const doc = marginDoc(f.file);
    doc.querySelectorAll('tbody tr')[3]!.children[4]!.textContent = '0.20000000';
    const r = readBinanceMargin(doc, f.url, { now: NOW });
    expect(r.health.status).toBe('partial');
    expect(r.snapshot!.unread).toEqual(['USDT', 'BTC', 'ETH', 'BNB']);
    expect(r.snapshot!.assets).toEqual([]);
    expect(r.health.problems.join()).toMatch(/BNB: Equity -2.0004 ≠ balance − debt -0.2004/);
    const risk = evaluateSpotMargin(withPrices(r.snapshot!, { BTC: '64000', ETH: '3100', BNB: '580' })) as SpotMarginCrossRisk;
    expect(risk.marginLevel).toBeNull();
  });
  it('a hidden row is named, not read', () => {
    const doc = marginDoc(f.file);
    (doc.querySelectorAll('tbody tr')[0] as HTMLElement).setAttribute('hidden', '');
    const r = readBinanceMargin(doc, f.url, { now: NOW });
    expect(r.snapshot!.unread).toEqual(['USDT']);
    expect(r.health.complete).toBe(false);
  });
  it('the Margin Level hidden as ****** is unknown, the assets still read', () => {
    const doc = marginDoc(f.file);
    doc.querySelector('.css-risk .v')!.textContent = '******';
    const r = readBinanceMargin(doc, f.url, { now: NOW });
    expect(r.snapshot!.displayed?.marginLevel).toBeNull();
    expect(r.health.status).toBe('partial');
    expect(r.snapshot!.assets).toHaveLength(4);
  });
  it('no Borrowed header: not recognised, the label named', () => {
    const doc = marginDoc(f.file);
    doc.querySelectorAll('th')[4]!.textContent = 'Loan';
    const r = readBinanceMargin(doc, f.url, { now: NOW });
    expect(r.snapshot).toBeNull();
    expect(r.health.status).toBe('unrecognized');
    expect(r.health.missing).toContain('Borrowed');
  });
  it('a spot page URL is not read', () => {
    const r = readBinanceMargin(marginDoc(f.file), 'https://www.binance.com/en/trade/BTC_USDT?type=spot', { now: NOW });
    expect(r.snapshot).toBeNull();
  });
});

describe('Isolated Margin page', () => {
  const f = MARGIN_FIXTURES.isolated;
  it('reads both pairs with their index price, level and liquidation price', () => {
    const r = readBinanceMargin(marginDoc(f.file), f.url, { now: NOW });
    expect(r.health.status, r.health.problems.join(' | ')).toBe('ok');
    expect(safeParseSpotMarginSnapshot(r.snapshot).ok).toBe(true);
    expect(r.snapshot!.pairs).toEqual([
      {
        symbol: 'BTCUSDT',
        base: { asset: 'BTC', free: '0.06', locked: '0', borrowed: '0', interest: '0' },
        quote: { asset: 'USDT', free: '0', locked: '0', borrowed: '2000', interest: '0.4' },
        price: '50000',
        displayed: { marginLevel: '1.49', liquidationPrice: '36674' },
      },
      {
        symbol: 'ETHUSDT',
        base: { asset: 'ETH', free: '0', locked: '0', borrowed: '0.5', interest: '0' },
        quote: { asset: 'USDT', free: '3000', locked: '0', borrowed: '0', interest: '0' },
        price: '3000',
        displayed: { marginLevel: '2', liquidationPrice: '5454.55' },
      },
    ]);
  });
  it('evaluated: each pair\'s level and liquidation price agree with the page', () => {
    const risk = evaluateSpotMargin(readBinanceMargin(marginDoc(f.file), f.url, { now: NOW }).snapshot!) as SpotMarginIsolatedRisk;
    expect(risk.pairs.map((p) => [p.symbol, p.marginLevel, p.liquidationPrice])).toEqual([
      ['BTCUSDT', '1.49970006', '36674'],
      ['ETHUSDT', '2', '5454.54545454'],
    ]);
    for (const p of risk.pairs) for (const x of p.reconciliation) expect(x.mismatch, JSON.stringify(x)).toBe(false);
  });
  it('a pair missing one of its rows is named unread', () => {
    const doc = marginDoc(f.file);
    doc.querySelectorAll('tbody tr')[3]!.remove();
    const r = readBinanceMargin(doc, f.url, { now: NOW });
    expect(r.snapshot!.unread).toEqual(['ETHUSDT']);
    expect(r.snapshot!.pairs.map((p) => p.symbol)).toEqual(['BTCUSDT']);
    expect(r.health.status).toBe('partial');
  });
  it('the cross table on an isolated URL (no Pair column): not recognised', () => {
    const r = readBinanceMargin(marginDoc(MARGIN_FIXTURES.cross.file), f.url, { now: NOW });
    expect(r.snapshot).toBeNull();
  });
});
