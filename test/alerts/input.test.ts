// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../lib/engine';
import type { AccountSnapshot } from '../../lib/engine/snapshot';
import { CONVENTIONS } from '../../lib/engine/conventions';
import { accountOfNoticeId, alertInputOf, alertRatio, exchangeRiskRatio, noticeId, RATIO_DISAGREEMENT_TOLERANCE, type AlertFacts } from '../../lib/alerts/input';
import { alertRatio as reExported } from '../../lib/background/monitor';
import { DEFAULT_ALERT_SETTINGS, initialAlertState, step, type Notice } from '../../lib/alerts/machine';
import { noticeText } from '../../lib/alerts/text';

const snap = (wallet: string | null, mark: string, displayedRatio?: string): AccountSnapshot => ({
  exchange: 'binance-usdm' as const,
  positionMode: 'one-way' as const,
  walletBalance: wallet,
  ...(displayedRatio !== undefined ? { displayed: { marginRatio: displayedRatio } } : {}),
  positions: [{ symbol: 'BTCUSDT', side: 'long' as const, size: '1', contract: 'linear' as const, entryPrice: '100', markPrice: mark, marginMode: 'cross' as const, leverage: '10', tier: { mmr: '0.01', maintAmount: '0' } }],
});

const T = 1_700_000_000_000;
const facts = (over: Partial<AlertFacts> = {}): AlertFacts => ({
  now: T,
  snapshotAt: T - 1000,
  oldestPriceAt: T - 500,
  pricesExpectedSince: null,
  pageReadAt: T - 1000,
  exchangeFigureMaxAgeMs: 5000,
  ...over,
});

describe('alertRatio', () => {
  it('is the engine risk ratio when it is known', () => {
    const r = evaluate(snap('100', '100'), {});
    expect(alertRatio(r)).toBe(Number(r.riskRatio));
  });
  it('an account past bankruptcy (margin balance ≤ 0) counts as at liquidation, not unknown', () => {
    const r = evaluate(snap('10', '80'), {});
    expect(r.riskRatio).toBeNull();
    expect(r.liquidated).toBe(true);
    expect(alertRatio(r)).toBe(1);
  });
  it('unknown stays unknown', () => {
    const r = evaluate({ ...snap('10', '80'), walletBalance: null }, {});
    expect(alertRatio(r)).toBeNull();
  });
  it('the old export in lib/background/monitor.ts is this function', () => {
    expect(reExported).toBe(alertRatio);
  });
});

describe('exchangeRiskRatio (the exchange convention on our scale)', () => {
  it('lower-is-safer is taken as is; higher-is-safer (OKX) is inverted; past liquidation counts as 1', () => {
    expect(exchangeRiskRatio('0.95', CONVENTIONS['binance-usdm'].ratio)).toBe(0.95);
    expect(exchangeRiskRatio('1.25', CONVENTIONS.okx.ratio)).toBeCloseTo(0.8, 12);
    expect(exchangeRiskRatio('0', CONVENTIONS.okx.ratio)).toBe(1);
    expect(exchangeRiskRatio('-0.1', CONVENTIONS.bybit.ratio)).toBe(1);
    expect(exchangeRiskRatio(null, CONVENTIONS.okx.ratio)).toBeNull();
    expect(exchangeRiskRatio(undefined, CONVENTIONS.okx.ratio)).toBeNull();
  });
});

describe('alertInputOf', () => {
  it('maps an engine result: our ratio, positions keyed symbol|side|mode with distance as a double', () => {
    const s = snap('20', '100');
    const r = evaluate(s, {});
    expect(r.positions[0]!.distanceToLiquidation).not.toBeNull();
    const input = alertInputOf(r, s, facts());
    expect(input.riskRatio).toBe(Number(r.riskRatio));
    expect(input.ratioSource).toBe('engine');
    expect(input.disagreement).toBe(false);
    expect(input.positions).toEqual([
      { key: 'BTCUSDT|long|cross', symbol: 'BTCUSDT', side: 'long', distanceToLiquidation: Number(r.positions[0]!.distanceToLiquidation), liquidationPrice: r.positions[0]!.liquidationPrice, markPrice: '100' },
    ]);
    expect(input).toMatchObject({ snapshotAt: T - 1000, oldestPriceAt: T - 500, pricesExpectedSince: null });
  });

  it("alerts on the exchange's fresh figure when it is worse than ours, and flags the disagreement", () => {
    const s = snap('100', '100', '0.95');
    const r = evaluate(s, {});
    const ours = Number(r.riskRatio);
    expect(0.95 - ours).toBeGreaterThan(RATIO_DISAGREEMENT_TOLERANCE);
    const input = alertInputOf(r, s, facts());
    expect(input).toMatchObject({ riskRatio: 0.95, ratioSource: 'exchange', engineRatio: ours, disagreement: true });
  });

  it("ignores the exchange's figure once the page read is older than the limit", () => {
    const s = snap('100', '100', '0.95');
    const r = evaluate(s, {});
    const input = alertInputOf(r, s, facts({ pageReadAt: T - 5001 }));
    expect(input).toMatchObject({ riskRatio: Number(r.riskRatio), ratioSource: 'engine', disagreement: false });
  });

  it("keeps ours when the exchange's figure is better", () => {
    const s = snap('100', '100', '0.001');
    const r = evaluate(s, {});
    expect(alertInputOf(r, s, facts())).toMatchObject({ riskRatio: Number(r.riskRatio), ratioSource: 'engine', disagreement: false });
  });

  it("alerts on the exchange's figure when ours is unknown (no disagreement: nothing to disagree with)", () => {
    const s = snap(null, '100', '0.85');
    const r = evaluate(s, {});
    expect(alertRatio(r)).toBeNull();
    const input = alertInputOf(r, s, facts());
    expect(input).toMatchObject({ riskRatio: 0.85, ratioSource: 'exchange', engineRatio: null, disagreement: false });
    expect(input.unknownReason).toBeUndefined();
  });

  it('carries why the ratio is unknown (engine reasons, or the error it threw) and the unreadable-positions reason', () => {
    const s = snap(null, '100');
    const r = evaluate(s, {});
    expect(alertInputOf(r, s, facts()).unknownReason).toMatch(/walletBalance|wallet/i);
    const thrown = alertInputOf(null, s, facts({ engineError: 'tier table missing', positionsUnreadable: 'row 2: size unreadable' }));
    expect(thrown).toMatchObject({ riskRatio: null, unknownReason: 'tier table missing', positionsUnreadable: 'row 2: size unreadable' });
    expect(thrown.positions).toEqual([{ key: 'BTCUSDT|long|cross', symbol: 'BTCUSDT', side: 'long', distanceToLiquidation: null, liquidationPrice: null, markPrice: '100' }]);
  });

  it("end to end: an engine under-estimate never stays quiet while the exchange shows red; the notice names the exchange's figure", () => {
    const s = snap('100', '100', '0.95');
    const r = evaluate(s, {});
    const { notices, state } = step(initialAlertState(), alertInputOf(r, s, facts()), DEFAULT_ALERT_SETTINGS, T);
    expect(notices).toEqual([expect.objectContaining({ kind: 'level', level: 0.9, top: true, source: 'exchange', disagreement: true })]);
    expect(state).toMatchObject({ ratio: 0.95, ratioSource: 'exchange', disagreement: true, currentLevel: 0.9 });
    const text = noticeText(notices[0]!, 'Binance', r, 'exchange');
    expect(text.title).toBe('Binance: the exchange shows margin ratio 95.0 % — near liquidation');
    expect(text.message).toContain(`Our estimate is margin ratio ${(Number(r.riskRatio) * 100).toFixed(1)} %: the exchange sees more risk`);
  });
});

describe('notification ids', () => {
  const level: Notice = { kind: 'level', level: 0.8, top: false, riskRatio: 0.81, at: 1 };
  it('repeats of the same (account, kind, detail) get the same id (they replace, not stack)', () => {
    expect(noticeId('bybit', level)).toBe(noticeId('bybit', { ...level, at: 999_999, riskRatio: 0.85 }));
    expect(noticeId('bybit', level)).toBe('ms|bybit|level|0.8');
    const pos: Notice = { kind: 'position', position: { key: 'BTCUSDT|long|cross', symbol: 'BTCUSDT', side: 'long', distanceToLiquidation: 0.01, liquidationPrice: '1', markPrice: '2' }, threshold: 0.05, at: 5 };
    expect(noticeId('bybit', pos)).toBe(noticeId('bybit', { ...pos, at: 6 }));
    expect(noticeId('bybit', pos)).not.toBe(noticeId('bybit', { ...pos, position: { ...pos.position, key: 'ETHUSDT|long|cross' } }));
    expect(noticeId('bybit', { kind: 'stale', reason: 'a', at: 1 })).toBe(noticeId('bybit', { kind: 'stale', reason: 'b', at: 2 }));
  });
  it('the account key comes back from the id (click path), also for keys with | or %, and for ids in the old timed form', () => {
    for (const key of ['bybit', 'hyperliquid:0xabc', 'odd|key%2', '']) {
      const back = accountOfNoticeId(noticeId(key, level));
      expect(back).toBe(key === '' ? null : key);
    }
    expect(noticeId('hyperliquid:0xabc', level)).toBe('ms|hyperliquid:0xabc|level|0.8');
    expect(accountOfNoticeId('ms|hyperliquid|level|0.9|123')).toBe('hyperliquid');
    expect(accountOfNoticeId('other|x|level|1')).toBeNull();
  });
});
