/**
 * The reader's cross-checks, one named law each (lib/exchanges/common/reader/checks/). Each law
 * is shown to hold on the fixtures' true figures (reference exchange-pages.md §10: BTC long cross
 * 20x 0.01 @ 76,500 mark 77,829.3 PnL +13.29 margin 38.91 liq 61,234.5; ETH short isolated 0.5
 * @ 2,950 mark 2,918.4 PnL +15.80; account wallet 1,000.00, uPnL 29.09, margin balance 1,029.09,
 * MM 10.41, ratio 1.01 %, available 842.68) and to break on the figure a mislabelled column gives.
 */
import { describe, expect, it } from 'vitest';
import type { PositionSnapshot } from '../../lib/engine/snapshot';
import { fx } from '../../lib/exchanges/common/fixed';
import { accountMmBelowPositionMargins } from '../../lib/exchanges/common/reader/checks/account-mm-below-position-margins';
import { availableBelowMarginBalance } from '../../lib/exchanges/common/reader/checks/available-below-margin-balance';
import { breakEvenNearEntry } from '../../lib/exchanges/common/reader/checks/break-even-near-entry';
import { crossMarginMatchesLeverage } from '../../lib/exchanges/common/reader/checks/cross-margin-matches-leverage';
import { directionAgrees } from '../../lib/exchanges/common/reader/checks/direction-agrees';
import { entryToldFromMark } from '../../lib/exchanges/common/reader/checks/entry-told-from-mark';
import { liqBeyondMark } from '../../lib/exchanges/common/reader/checks/liq-beyond-mark';
import { marginBelowNotional } from '../../lib/exchanges/common/reader/checks/margin-below-notional';
import { marginRatioMatches } from '../../lib/exchanges/common/reader/checks/margin-ratio-matches';
import { mmBelowIm } from '../../lib/exchanges/common/reader/checks/mm-below-im';
import { mmBelowMarginBalance } from '../../lib/exchanges/common/reader/checks/mm-below-margin-balance';
import { oneRowPerSide } from '../../lib/exchanges/common/reader/checks/one-row-per-side';
import { pnlMatchesPrices } from '../../lib/exchanges/common/reader/checks/pnl-matches-prices';
import { rowsAddUpToAccountPnl } from '../../lib/exchanges/common/reader/checks/rows-add-up-to-account-pnl';
import { walletPlusPnlIsMarginBalance } from '../../lib/exchanges/common/reader/checks/wallet-plus-pnl-is-margin-balance';

const shown = (value: string, decimals: number) => ({ value, decimals });
const mb = (value: string, ulp: string) => ({ value, ulp });

describe('row laws', () => {
  it('PnL equals side × size × (mark − entry) within display rounding', () => {
    expect(pnlMatchesPrices('long', fx('0.01'), fx('76500'), fx('77829.3'), fx('13.29'), 2)).toBeNull();
    expect(pnlMatchesPrices('short', fx('0.5'), fx('2950'), fx('2918.4'), fx('15.8'), 2)).toBeNull();
    // Break-even (76,540) read as entry: implied PnL 12.89 vs 13.29 shown.
    expect(pnlMatchesPrices('long', fx('0.01'), fx('76540'), fx('77829.3'), fx('13.29'), 2)).toMatch(/PnL does not match/);
    // The wrong side: −13.29 implied.
    expect(pnlMatchesPrices('short', fx('0.01'), fx('76500'), fx('77829.3'), fx('13.29'), 2)).toMatch(/PnL does not match/);
  });

  it('direction: every piece of evidence agrees; PnL alone decides only where the page shows no sign', () => {
    const base = { entry: fx('2950'), mark: fx('2918.4'), pnl: fx('15.8') };
    expect(directionAgrees({ ...base, direct: new Set(['short']), because: ['minus sign'], pnlAlone: false })).toEqual({ side: 'short' });
    expect(directionAgrees({ ...base, direct: new Set(['long']), because: ['size colour'], pnlAlone: false })).toMatchObject({ problem: expect.stringMatching(/contradictory evidence: size colour, PnL vs mark − entry/) });
    expect(directionAgrees({ ...base, direct: new Set(), because: [], pnlAlone: false })).toMatchObject({ problem: expect.stringMatching(/swapped Entry\/Mark/) });
    expect(directionAgrees({ ...base, direct: new Set(), because: [], pnlAlone: true })).toEqual({ side: 'short' });
    // A move under 0.1 % of entry is not evidence (last-price basis).
    expect(directionAgrees({ entry: fx('2950'), mark: fx('2951'), pnl: fx('-0.5'), direct: new Set(), because: [], pnlAlone: true })).toMatchObject({ problem: expect.stringMatching(/no usable PnL/) });
  });

  it('entry is told from mark only with a readable PnL', () => {
    expect(entryToldFromMark(fx('13.29'), fx('77829.3'))).toBeNull();
    expect(entryToldFromMark(null, fx('77829.3'))).toMatch(/cannot be told from the mark/);
    expect(entryToldFromMark(fx('13.29'), null)).toMatch(/cannot be told from the mark/);
  });

  it('cross margin ≈ size × mark ÷ leverage (band 0.8–1.25)', () => {
    expect(crossMarginMatchesLeverage(fx('38.91'), 2, fx('20'), fx('0.01'), fx('77829.3'))).toBeNull();
    // The notional (778.29) under the margin label.
    expect(crossMarginMatchesLeverage(fx('778.29'), 2, fx('20'), fx('0.01'), fx('77829.3'))).toMatch(/margin far from/);
    // Far too small (a fee column).
    expect(crossMarginMatchesLeverage(fx('0.39'), 2, fx('20'), fx('0.01'), fx('77829.3'))).toMatch(/margin far from/);
  });

  it('liquidation price lies on the losing side of mark', () => {
    expect(liqBeyondMark('long', fx('61234.5'), fx('77829.3'))).toBeNull();
    expect(liqBeyondMark('short', fx('3231.77'), fx('2918.4'))).toBeNull();
    expect(liqBeyondMark('long', fx('78000'), fx('77829.3'))).toMatch(/wrong side/);
    expect(liqBeyondMark('short', fx('2900'), fx('2918.4'))).toMatch(/wrong side/);
  });

  it('break-even price within 5 % of entry', () => {
    expect(breakEvenNearEntry(fx('76540'), fx('76500'))).toBeNull();
    expect(breakEvenNearEntry(fx('61234.5'), fx('76500'))).toMatch(/break-even price far from entry/);
  });

  it('margin and IM below the notional', () => {
    expect(marginBelowNotional('margin', fx('38.91'), fx('778.293'))).toBeNull();
    expect(marginBelowNotional('IM', fx('778.293'), fx('778.293'))).toMatch(/IM not below notional/);
  });

  it('MM below IM', () => {
    expect(mmBelowIm(fx('3.89'), fx('38.91'))).toBeNull();
    expect(mmBelowIm(fx('38.91'), fx('3.89'))).toMatch(/MM not below IM/);
  });
});

describe('account laws', () => {
  it('wallet + unrealised PnL = margin balance', () => {
    expect(walletPlusPnlIsMarginBalance(shown('1000', 2), shown('29.09', 2), shown('1029.09', 2))).toBeNull();
    // Available (842.68) under the margin-balance label.
    expect(walletPlusPnlIsMarginBalance(shown('1000', 2), shown('29.09', 2), shown('842.68', 2))).toMatch(/≠ margin balance/);
  });

  it('margin ratio = MM ÷ margin balance (mm/mb) or its inverse (mb/mm)', () => {
    expect(marginRatioMatches('mm/mb', shown('0.0101', 4), shown('10.41', 2), mb('1029.09', '0.01'))).toBeNull();
    expect(marginRatioMatches('mb/mm', shown('98.8559', 6), shown('10.41', 2), mb('1029.09', '0.01'))).toBeNull();
    expect(marginRatioMatches('mm/mb', shown('0.0447', 4), shown('10.41', 2), mb('1029.09', '0.01'))).toMatch(/margin ratio ≠/);
    // The OKX direction applied to a Binance ratio.
    expect(marginRatioMatches('mb/mm', shown('0.0101', 4), shown('10.41', 2), mb('1029.09', '0.01'))).toMatch(/margin ratio ≠/);
  });

  it('MM below margin balance', () => {
    expect(mmBelowMarginBalance(shown('10.41', 2), mb('1029.09', '0.01'))).toBeNull();
    expect(mmBelowMarginBalance(shown('1029.09', 2), mb('10.41', '0.01'))).toMatch(/maintenance margin not below/);
  });

  it('available balance below margin balance with positions open', () => {
    expect(availableBelowMarginBalance(shown('842.68', 2), mb('1029.09', '0.01'))).toBeNull();
    expect(availableBelowMarginBalance(shown('1029.09', 2), mb('1029.09', '0.01'))).toMatch(/available balance not below/);
  });

  it("account MM below the positions' margins", () => {
    expect(accountMmBelowPositionMargins(shown('10.41', 2), ['38.91', '147.5'])).toBeNull();
    expect(accountMmBelowPositionMargins(shown('852.5', 2), ['38.91', '147.5'])).toMatch(/maintenance margin above/);
  });
});

describe('page laws', () => {
  it('rows add up to the account unrealised PnL', () => {
    expect(rowsAddUpToAccountPnl(['13.29', '15.8'], shown('29.09', 2))).toBeNull();
    expect(rowsAddUpToAccountPnl(['13.29'], shown('29.09', 2))).toMatch(/some positions are not listed/);
  });

  it('one row per symbol, margin mode and side (two opposite sides = hedge mode)', () => {
    const p = (symbol: string, side: 'long' | 'short'): PositionSnapshot =>
      ({ symbol, side, size: '1', contract: 'linear', entryPrice: '1', markPrice: '1', marginMode: 'cross', leverage: '10' }) as PositionSnapshot;
    const hedge = oneRowPerSide([p('BTCUSDT', 'long'), p('BTCUSDT', 'short'), p('ETHUSDT', 'long')]);
    expect(hedge.hedge).toBe(true);
    expect(hedge.dropped.size).toBe(0);
    const dup = [p('BTCUSDT', 'long'), p('BTCUSDT', 'long')];
    const r = oneRowPerSide(dup);
    expect(r.hedge).toBe(false);
    expect([...r.dropped]).toEqual(dup);
    expect(r.problems).toEqual(['BTCUSDT: 2 rows for the same symbol and side (positions left out)']);
  });
});
