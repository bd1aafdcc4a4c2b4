// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../lib/engine';
import type { AccountSnapshot } from '../../lib/engine/snapshot';
import { BAND_COLORS, bandOf, bandOfRisk } from '../../lib/alerts/bands';
import { badgeAccountOf, errorBadge, isolatedFactsOf, toolbarBadge, type BadgeAccount } from '../../lib/alerts/badge';
import { alertRatio } from '../../lib/alerts/input';
import { badgeFor } from '../../lib/alerts/text';

const LEVELS = [0.5, 0.7, 0.8, 0.9];
const D = { display: 'exchange' as const };

const cross = (wallet: string | null, mark: string): AccountSnapshot => ({
  exchange: 'binance-usdm',
  positionMode: 'one-way',
  walletBalance: wallet,
  positions: [{ symbol: 'BTCUSDT', side: 'long', size: '1', contract: 'linear', entryPrice: '100', markPrice: mark, marginMode: 'cross', leverage: '10', tier: { mmr: '0.01', maintAmount: '0' } }],
});
/** Only an isolated long: 1 BTC at 100 with `margin` USDT behind it, marked at `mark`. */
const isolatedOnly = (margin: string, mark: string): AccountSnapshot => ({
  exchange: 'binance-usdm',
  positionMode: 'one-way',
  walletBalance: '1000',
  positions: [{ symbol: 'ETHUSDT', side: 'long', size: '1', contract: 'linear', entryPrice: '100', markPrice: mark, marginMode: 'isolated', isolatedMargin: margin, leverage: '10', tier: { mmr: '0.01', maintAmount: '0' } }],
});

const facts = (label: string, snapshot: AccountSnapshot, over: Partial<Parameters<typeof badgeAccountOf>[0]> = {}): BadgeAccount => {
  const risk = evaluate(snapshot, {});
  return badgeAccountOf({ label, risk, ratio: alertRatio(risk), ratioSource: 'engine', stale: null, levels: LEVELS, positionDistance: 0.05, ...over });
};

describe('one band rule (toolbar, overlay, popup)', () => {
  it('an engine-liquidated account (no ratio, liquidated) is critical everywhere, not unknown', () => {
    const risk = evaluate(cross('10', '80'), {});
    expect(risk.riskRatio).toBeNull();
    expect(risk.liquidated).toBe(true);
    expect(bandOfRisk(risk, LEVELS)).toBe('critical');
    expect(bandOf(risk.riskRatio, LEVELS, risk.liquidated)).toBe('critical');
    expect(toolbarBadge([facts('Binance', cross('10', '80'))], D).color).toBe(BAND_COLORS.critical);
  });
  it('ranks strings and numbers alike; unknown is unknown', () => {
    expect(LEVELS.map((l) => bandOf(String(l), LEVELS))).toEqual(['warn', 'warn', 'high', 'critical']);
    expect(bandOf(0.49, LEVELS)).toBe('ok');
    expect(bandOf(null, LEVELS)).toBe('unknown');
    expect(bandOfRisk(null, LEVELS)).toBe('unknown');
    // badgeFor's colour is the band's.
    for (const r of [0.3, 0.6, 0.85, 0.95]) expect(badgeFor(r, null, LEVELS, false, 'exchange').color).toBe(BAND_COLORS[bandOf(r, LEVELS)]);
  });
});

describe('toolbarBadge', () => {
  it('no open positions: blank with a title saying so', () => {
    expect(toolbarBadge([], D)).toEqual({ text: '', color: BAND_COLORS.unknown, title: 'Margin Sentinel: no open positions seen' });
  });

  it('the worst ratio, coloured by its band', () => {
    const a = facts('Binance', cross('100', '100'));
    const b = facts('Bybit', cross('20', '100'));
    const badge = toolbarBadge([a, b], D);
    expect(badge.text).toBe(`${Math.round(b.ratio! * 100)}%`);
    expect(badge.color).toBe(BAND_COLORS[bandOf(b.ratio, LEVELS)]);
    expect(badge.title).toMatch(/^Bybit: margin ratio /);
  });

  it('critical beats stale: the worst ratio in red, the stale account listed in the title', () => {
    const hot = facts('Bybit', cross('100', '100'), { ratio: 0.93 });
    const stale = facts('Binance', cross('100', '100'), { stale: 'mark prices stopped 90 s ago' });
    const badge = toolbarBadge([stale, hot], D);
    expect(badge).toMatchObject({ text: '93%', color: BAND_COLORS.critical });
    expect(badge.title.split('\n')).toEqual(['Bybit: margin ratio 93.0 %', 'Binance: monitoring stopped: mark prices stopped 90 s ago']);
  });

  it('stale beats a non-critical ratio', () => {
    const warm = facts('Bybit', cross('100', '100'), { ratio: 0.75 });
    const stale = facts('Binance', cross('100', '100'), { stale: 'the exchange page was last read 20 min ago (open the tab)' });
    expect(toolbarBadge([warm, stale], D)).toMatchObject({ text: 'STALE', color: BAND_COLORS.unknown, title: expect.stringContaining('Binance: monitoring stopped') });
  });

  it("the exchange's figure is shown and named in the title", () => {
    const a = facts('Binance', cross('100', '100'), { ratio: 0.95, ratioSource: 'exchange' });
    expect(toolbarBadge([a], D)).toMatchObject({ text: '95%', color: BAND_COLORS.critical, title: 'Binance: the exchange shows margin ratio 95.0 %' });
  });

  it('an account with only isolated positions is coloured by its worst position, never a green 0 %', () => {
    const risk = evaluate(isolatedOnly('2', '99'), {});
    const iso = isolatedFactsOf(risk);
    expect(iso).toHaveLength(1);
    expect(iso[0]!.ratio).not.toBeNull();
    const a = facts('Binance', isolatedOnly('2', '99'));
    const badge = toolbarBadge([a], D);
    expect(badge.text).not.toBe('0%');
    // Near liquidation (distance under the 5 % position alert): critical.
    expect(iso[0]!.distanceToLiquidation!).toBeLessThan(0.05);
    expect(badge.color).toBe(BAND_COLORS.critical);
    expect(badge.title).toContain('ETHUSDT long isolated');
    // A comfortable isolated position: coloured by its own ratio.
    const calm = facts('Binance', isolatedOnly('50', '100'));
    const calmRatio = isolatedFactsOf(evaluate(isolatedOnly('50', '100'), {}))[0]!.ratio!;
    expect(toolbarBadge([calm], D)).toMatchObject({ text: `${Math.round(calmRatio * 100)}%`, color: BAND_COLORS[bandOf(calmRatio, LEVELS)] });
  });

  it('positions the page shows but could not be read: STALE with the reason, never blank (also with no position read)', () => {
    const a = badgeAccountOf({ label: 'Bybit', risk: null, ratio: null, ratioSource: 'engine', stale: null, positionsUnreadable: 'positions could not be read: row 1: size unreadable', levels: LEVELS, positionDistance: 0.05 });
    expect(toolbarBadge([a], D)).toEqual({ text: 'STALE', color: BAND_COLORS.unknown, title: 'Bybit: monitoring stopped: positions could not be read: row 1: size unreadable' });
    // Once the machine has stepped, its stale reason carries the same sentence: named once.
    const stepped = { ...a, stale: 'positions could not be read: row 1: size unreadable; margin ratio unknown' };
    expect(toolbarBadge([stepped], D).title).toBe('Bybit: monitoring stopped: positions could not be read: row 1: size unreadable; margin ratio unknown');
  });

  it('an unknown ratio shows ?', () => {
    const a = facts('Binance', cross(null, '100'));
    expect(toolbarBadge([a], D)).toMatchObject({ text: '?', color: BAND_COLORS.unknown });
  });
});

describe('errorBadge', () => {
  it('ERR in red with the reason', () => {
    expect(errorBadge('storage unavailable')).toEqual({ text: 'ERR', color: BAND_COLORS.critical, title: 'Margin Sentinel is not monitoring: storage unavailable' });
  });
});
