import { describe, expect, it } from 'vitest';
import { badgeFor, closestPositionText, noticeText } from '@/lib/alerts/text';
import { fromDisplayPercent, levelLabel, toDisplayPercent } from '@/lib/alerts/thresholds';
import type { RatioConvention } from '@/lib/engine/types';

const LOWER: RatioConvention = { direction: 'lower-is-safer', definition: 'MM / margin balance' };
const HIGHER: RatioConvention = { direction: 'higher-is-safer', definition: 'adjEq / (MM + fees)' };

describe('display conventions', () => {
  it('shows lower-is-safer exchanges as r × 100 and OKX / margin level as 100 / r', () => {
    expect(toDisplayPercent(0.8, 'exchange', LOWER)).toBeCloseTo(80);
    expect(toDisplayPercent(0.8, 'exchange', HIGHER)).toBeCloseTo(125);
    expect(toDisplayPercent(0.5, 'margin-level')).toBeCloseTo(200);
    expect(levelLabel(0.9, 'exchange', LOWER)).toBe('90.0 %');
    expect(levelLabel(0.5, 'margin-level')).toBe('200.0 %');
  });
  it('round-trips typed levels and refuses impossible ones', () => {
    for (const p of [300, 200, 150]) expect(toDisplayPercent(fromDisplayPercent(p, 'margin-level'), 'margin-level')).toBeCloseTo(p);
    expect(fromDisplayPercent(80, 'exchange', LOWER)).toBeCloseTo(0.8);
    expect(() => fromDisplayPercent(90, 'margin-level')).toThrow(RangeError);
    expect(() => fromDisplayPercent(120, 'risk-ratio')).toThrow(RangeError);
    expect(() => fromDisplayPercent(Number.NaN, 'risk-ratio')).toThrow(RangeError);
  });
});

describe('notification text and badge', () => {
  const risk = {
    marginRatioConvention: LOWER,
    firstToLiquidate: 1,
    positions: [
      { symbol: 'ETHUSDT', side: 'long', liquidationPrice: '1000', distanceToLiquidation: '0.5' },
      { symbol: 'BTCUSDT', side: 'short', liquidationPrice: '70123.4', distanceToLiquidation: '0.042' },
    ],
  } as never;
  it('names the exchange, the ratio, the closest position and its liquidation price', () => {
    const t = noticeText({ kind: 'level', level: 0.9, top: true, riskRatio: 0.912, at: 0 }, 'Bybit', risk, 'exchange');
    expect(t.title).toBe('Bybit: margin ratio 91.2 % — near liquidation');
    expect(t.message).toContain('90.0 %');
    expect(t.message).toContain('BTCUSDT short liquidates at 70123.4 (4.2 % away)');
    expect(t.requireInteraction).toBe(true);
    expect(closestPositionText(null)).toBeNull();
  });
  it('badge: STALE beats everything, colour by level rank', () => {
    expect(badgeFor(0.95, 0.9, [0.5, 0.7, 0.8, 0.9], true, 'exchange', LOWER).text).toBe('STALE');
    expect(badgeFor(0.95, 0.9, [0.5, 0.7, 0.8, 0.9], false, 'exchange', LOWER)).toEqual({ text: '95%', color: '#c62828' });
    expect(badgeFor(0.3, null, [0.5, 0.7, 0.8, 0.9], false, 'exchange', LOWER)).toEqual({ text: '30%', color: '#2e7d32' });
    expect(badgeFor(0.8, 0.8, [0.5, 0.7, 0.8, 0.9], false, 'exchange', HIGHER).text).toBe('125%');
  });
});
