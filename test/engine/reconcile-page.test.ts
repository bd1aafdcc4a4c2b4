// @vitest-environment happy-dom
/**
 * Reconciliation on a read OKX page: the saved OKX swap page (test/fixtures/pages/okx-swap.html) with its
 * ETH isolated short showing the liquidation price OKX prints (the margin-ratio-100 % price rounded down to
 * the 0.01 tick, then one more tick toward the mark), read by the real reader and evaluated with the
 * bundled OKX instrument specs: the printed prices agree to the digit, and no ⚠.
 */
import { describe, expect, it } from 'vitest';
import { evaluate, roundToTick, type TierTables } from '../../lib/engine';
import { D } from '../../lib/engine/decimal';
import { readOkx } from '../../lib/exchanges/okx/reader';
import { bundledInstruments } from '../../lib/exchanges/instruments';
import { FIXTURES, loadFixture, replaceText } from '../exchanges/helpers';

// A tier table for the test (OKX bundles none: no public source): one tier, 0.4 % MMR, contracts basis.
const TABLES: TierTables = Object.fromEntries(
  ['BTC-USDT-SWAP', 'ETH-USDT-SWAP'].map((symbol) => [
    symbol,
    { exchange: 'okx', symbol, basis: 'contracts', source: 'test', asOf: 'test', tiers: [{ floor: '0', cap: null, mmr: '0.004', maintAmount: '0', maxLeverage: '100' }] },
  ]),
) as TierTables;

function readPageShowing(ethLiq: string) {
  const doc = loadFixture('okx');
  replaceText(doc.body, '3,231.77', ethLiq);
  const snap = readOkx(doc, FIXTURES.okx.url, { now: 1_790_000_000_000 }).snapshot!;
  return { ...snap, takerFeeRate: '0.0005' };
}

describe('OKX isolated page printing its one-tick-shifted liquidation price', () => {
  // The ETH short: entry 2,950, 0.5 ETH, isolated margin 147.50 → MR = 100 % at (2950 + 295) / (1 + 0.4 % + 0.05 %)
  const raw = new D(3245).div('1.0045');
  const okxPrints = roundToTick(raw, new D('0.01'), 'down').minus('0.01'); // short: the mark is below

  it('the page is read, and our printed price equals OKX\'s to the digit: no mismatch', () => {
    const snap = readPageShowing(okxPrints.toFixed(2));
    const eth = snap.positions.findIndex((p) => p.symbol === 'ETH-USDT-SWAP');
    expect(snap.positions[eth]!.marginMode).toBe('isolated');
    const row = evaluate(snap, TABLES, { instruments: bundledInstruments('okx') }).positions[eth]!;
    expect(Math.abs(Number(row.liquidationPrice) - raw.toNumber())).toBeLessThan(1e-6);
    expect(row.liquidationPriceDisplayed).toBe(okxPrints.toFixed());
    expect(row.reconciliation.find((r) => r.field === 'liquidationPrice')).toMatchObject({ diff: '0', mismatch: false });
  });

  it('without the tick size, ours is the solved price, off by more than a tick, and the row says why', () => {
    const snap = readPageShowing(okxPrints.toFixed(2));
    const eth = snap.positions.findIndex((p) => p.symbol === 'ETH-USDT-SWAP');
    const row = evaluate(snap, TABLES).positions[eth]!;
    const rec = row.reconciliation.find((r) => r.field === 'liquidationPrice')!;
    expect(Math.abs(Number(rec.diff))).toBeGreaterThan(0.01);
    expect(row.reasons.map((r) => r.field)).toContain('liquidationPriceDisplayed');
  });
});
