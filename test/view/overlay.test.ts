// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { FEED_QUIET_STALE_MS, FEED_SILENT_STALE_MS } from '../../lib/protocol/overlay-feed';
import { accountsForHost, badgeView, overlayAccountOf, overlayStatus, statusInputOf } from '../../lib/view/overlay';
import { formatPrice } from '../../lib/view/format';
import type { AccountRecord } from '../../lib/storage';
import { fixture, health, NOW, record, tight } from '../components/helpers';

const LEVELS = [0.5, 0.7, 0.8, 0.9];
const view = (r: AccountRecord, collapsed = true) => overlayAccountOf(r, LEVELS, collapsed);
/** An open feed, just heard from. */
const OPEN = { lostAt: null, heardAt: NOW };

describe('overlay view model', () => {
  it('a feed closed for more than 5 s, or open but silent past the heartbeat, makes every account stale, saying so', () => {
    const s = statusInputOf(record(tight()));
    expect(overlayStatus(s, NOW, OPEN)).toEqual({ status: 'live', text: 'live' });
    expect(overlayStatus(s, NOW, { lostAt: NOW - FEED_SILENT_STALE_MS, heardAt: NOW - 10_000 })).toEqual({ status: 'live', text: 'live' });
    expect(overlayStatus(s, NOW, { lostAt: NOW - 6_000, heardAt: NOW - 10_000 })).toEqual({ status: 'stale', text: 'stale: the monitor has not answered for 6 s' });
    expect(overlayStatus(s, NOW, { lostAt: null, heardAt: NOW - FEED_QUIET_STALE_MS })).toEqual({ status: 'live', text: 'live' });
    expect(overlayStatus(s, NOW, { lostAt: null, heardAt: NOW - FEED_QUIET_STALE_MS - 1 })).toEqual({ status: 'stale', text: 'stale: the monitor has not answered for 2 min' });
    // Even over the background's own verdicts, which it can no longer update.
    const unrec = statusInputOf(record(null, { health: health('binance-usdm', { status: 'unrecognized' }) }));
    expect(overlayStatus(unrec, NOW, { lostAt: NOW - 60_000, heardAt: NOW - 60_000 }).status).toBe('stale');
  });

  it('collapsed badges carry no position rows; expanded ones do', () => {
    const rec = record(tight());
    expect(view(rec, true).badge.rows).toEqual([]);
    expect(view(rec, false).badge.rows.map((r) => r.symbol)).toEqual(rec.risk!.positions.map((p) => p.symbol));
  });

  it('accountsForHost filters by the exchange page host', () => {
    const all = { a: record(tight()), b: record(null, { key: 'hyperliquid:0xab', exchange: 'hyperliquid', label: 'HL' }) };
    expect(accountsForHost(all, 'app.hyperliquid.xyz').map((r) => r.key)).toEqual(['hyperliquid:0xab']);
    expect(accountsForHost(all, 'example.com')).toEqual([]);
  });

  it('a position without a liquidation price shows "none" when the engine flags it, whatever the words', () => {
    const rec = record(fixture('binance-usdm'));
    const btcRow = (r: AccountRecord) => badgeView(r, LEVELS).rows.find((x) => x.symbol === 'BTCUSDT')!;
    expect(btcRow(rec).liq.text).toBe('none');
    expect(btcRow(rec).dist.text).toBe('none');
    expect(btcRow(rec).liq.title).toContain('margin covers a fall of the price to 0');
    // Reworded (e.g. translated) engine reasons: the flag still says there is none.
    const risk = rec.risk!;
    const reworded = { ...risk, positions: risk.positions.map((p) => ({ ...p, reasons: p.reasons.map((x) => ({ ...x, reason: 'keine Liquidation' })) })) };
    expect(btcRow({ ...rec, risk: reworded }).liq.text).toBe('none');
    // Words that read like "none" without the flag: unknown, never "none".
    const unflagged = { ...risk, positions: risk.positions.map((p) => ({ ...p, reasons: p.reasons.map(({ none: _none, ...x }) => x) })) };
    expect(btcRow({ ...rec, risk: unflagged }).liq.text).toBe('unknown');
    expect(btcRow({ ...rec, risk: unflagged }).dist.text).toBe('unknown');
  });

  it('a liquidation price, when there is one, is the formatted engine figure with the exact one in the title', () => {
    const rec = record(tight());
    for (const row of badgeView(rec, LEVELS).rows) {
      const p = rec.risk!.positions.find((x) => x.symbol === row.symbol)!;
      expect(row.liq).toEqual({ text: formatPrice(p.liquidationPrice), title: p.liquidationPrice });
    }
  });

  it('shows the liquidation price as the exchange prints it (its tick), with the solved one in the title', () => {
    const rec = record(tight());
    const risk = rec.risk!;
    const p0 = risk.positions[0]!;
    const printed = { ...risk, positions: risk.positions.map((p, i) => (i === 0 ? { ...p, liquidationPrice: '27123.456', liquidationPriceDisplayed: '27123.5' } : p)) };
    const row = badgeView({ ...rec, risk: printed }, LEVELS).rows.find((x) => x.symbol === p0.symbol)!;
    expect(row.liq.text).toBe(formatPrice('27123.5'));
    expect(row.liq.title).toContain('27123.456 solved');
  });

  it('page not recognised names the missing labels in the status input', () => {
    const s = statusInputOf(record(null, { health: health('binance-usdm', { status: 'unrecognized', missing: ['Liq. Price', 'Size'] }) }));
    expect(s.unrecognized).toBe('page not recognised (missing: Liq. Price, Size)');
    expect(overlayStatus(s, NOW, OPEN)).toEqual({ status: 'unrecognized', text: 'page not recognised (missing: Liq. Price, Size)' });
  });
});

describe('one band rule', () => {
  it('an account the engine reports liquidated (no ratio) is critical on the overlay, as on the toolbar', () => {
    const rec = record({ ...tight(), walletBalance: '-50' });
    expect(rec.risk!.riskRatio).toBeNull();
    expect(rec.risk!.liquidated).toBe(true);
    expect(badgeView(rec, [0.5, 0.7, 0.8, 0.9]).band).toBe('critical');
  });
});
