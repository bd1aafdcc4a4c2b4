// @vitest-environment node
/**
 * Spot margin accounts on the real alert machine: margin levels mapped to normalized risk
 * (liquidation / level), one notice per level crossed, hysteresis, escalation, staleness, and the
 * level shown as Binance shows it.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_MARGIN_ALERTS, alertMarginLevel, marginAlertInput, marginLevelOfRisk, marginLevelText, marginMachineSettings, riskOfMarginLevel } from '../../lib/alerts/margin';
import { DEFAULT_ALERT_SETTINGS, initialAlertState, step, type AlertState, type Notice } from '../../lib/alerts/machine';
import type { SpotMarginSnapshot } from '../../lib/engine/snapshot';
import { evaluateSpotMargin } from '../../lib/engine/spotMargin';

const account = (btc: string, shown?: string): SpotMarginSnapshot => ({
  kind: 'spot-margin', exchange: 'binance-margin', mode: 'cross', variant: 'classic', quoteAsset: 'USDT', pairs: [],
  assets: [
    { asset: 'USDT', free: '0', locked: '0', borrowed: '1000', interest: '0', price: '1' },
    { asset: 'BTC', free: '0.05', locked: '0', borrowed: '0', interest: '0', price: btc },
  ],
  ...(shown ? { displayed: { marginLevel: shown } } : {}),
});
// level = 0.05 × price / 1000
const settings = marginMachineSettings(DEFAULT_ALERT_SETTINGS, DEFAULT_MARGIN_ALERTS, 1.1);

function run(prices: string[], t0 = 1_000_000, dt = 1000) {
  let state: AlertState = initialAlertState();
  const notices: Notice[][] = [];
  prices.forEach((p, i) => {
    const now = t0 + i * dt;
    const input = marginAlertInput(evaluateSpotMargin(account(p)), 1.1, { now, snapshotAt: now, oldestPriceAt: now, pricesExpectedSince: null, shownFresh: true });
    const r = step(state, input, settings, now);
    state = r.state;
    notices.push(r.notices);
  });
  return { state, notices };
}

describe('mapping', () => {
  it.each([
    [1.1, 1],
    [2.2, 0.5],
    [2, 0.55],
  ])('level %d ↔ risk %d', (level, risk) => {
    expect(riskOfMarginLevel(level, 1.1)).toBeCloseTo(risk, 12);
    expect(marginLevelOfRisk(risk, 1.1)).toBeCloseTo(level, 12);
  });
  it('default levels 2.0 / 1.5 / 1.3 at liquidation 1.1 become risk levels 0.55 / 0.733 / 0.846', () => {
    expect(settings.levels.map((l) => l.toFixed(4))).toEqual(['0.5500', '0.7333', '0.8462']);
  });
  it('a level at or below the liquidation line is dropped', () => {
    expect(marginMachineSettings(DEFAULT_ALERT_SETTINGS, { levels: [1.05, 1.1, 1.2], liquidation: 1.1 }, 1.1).levels).toEqual([1.1 / 1.2]);
  });
  it.each([
    ['1.4279', '1.42'],
    ['1.4', '1.40'],
    ['2', '2.00'],
    ['1.1099999', '1.10'],
    ['1200', '999+'],
    [null, '—'],
  ])('%s is shown as %s', (x, text) => expect(marginLevelText(x)).toBe(text));
});

describe('on the alert machine', () => {
  it('2.5 → 1.9 → 1.45 → 1.2: exactly one notice per level crossed, in order', () => {
    const { notices } = run(['50000', '38000', '29000', '24000']);
    expect(notices.map((n) => n.map((x) => (x.kind === 'level' ? marginLevelOfRisk(x.level, 1.1)!.toFixed(2) : x.kind)))).toEqual([[], ['2.00'], ['1.50'], ['1.30']]);
  });
  it('a fall through every level in one step: one notice, for the worst (escalation)', () => {
    const { notices } = run(['50000', '24000']);
    expect(notices[1]!.filter((n) => n.kind === 'level')).toHaveLength(1);
    expect(marginLevelOfRisk((notices[1]![0] as { level: number }).level, 1.1)).toBeCloseTo(1.3, 10);
  });
  it('hovering around 1.5 does not repeat the 1.5 notice (hysteresis)', () => {
    const { notices } = run(['50000', '38000', '29900', '30100', '29900', '30100', '29800']);
    expect(notices.flat().filter((n) => n.kind === 'level')).toHaveLength(2); // 2.0 then 1.5, once each
  });
  it('a repaid account (no debt) is risk 0, never unknown', () => {
    const risk = evaluateSpotMargin({ ...account('50000'), assets: [{ asset: 'BTC', free: '0.05', locked: '0', borrowed: '0', interest: '0', price: '50000' }] });
    expect(marginAlertInput(risk, 1.1, { now: 1, snapshotAt: 1, oldestPriceAt: 1, pricesExpectedSince: null, shownFresh: true }).riskRatio).toBe(0);
  });
  it('an unpriced asset: risk unknown with the reason; old prices make the account stale', () => {
    const input = marginAlertInput(evaluateSpotMargin({ ...account('50000'), assets: [account('1').assets[0]!, { ...account('1').assets[1]!, price: null }] }), 1.1, { now: 1, snapshotAt: 1, oldestPriceAt: null, pricesExpectedSince: 1, shownFresh: true });
    expect(input.riskRatio).toBeNull();
    expect(input.unknownReason).toMatch(/BTC/);
    const now = 1_000_000;
    const st = step(initialAlertState(), marginAlertInput(evaluateSpotMargin(account('50000')), 1.1, { now, snapshotAt: now, oldestPriceAt: now - 120_000, pricesExpectedSince: null, shownFresh: true }), settings, now);
    expect(st.state.stale.active).toBe(true);
  });
  it('the page\'s lower level wins (and is flagged when far below ours)', () => {
    const risk = evaluateSpotMargin(account('50000', '1.6'));
    expect(alertMarginLevel(risk, true)).toMatchObject({ level: 1.6, source: 'exchange', ours: 2.5 });
    expect(alertMarginLevel(risk, false)).toMatchObject({ level: 2.5, source: 'engine' });
    const input = marginAlertInput(risk, 1.1, { now: 1, snapshotAt: 1, oldestPriceAt: 1, pricesExpectedSince: null, shownFresh: true });
    expect(input.ratioSource).toBe('exchange');
    expect(input.disagreement).toBe(true);
    expect(input.positions).toEqual([{ key: 'BTC|margin', symbol: 'BTC', side: 'long', distanceToLiquidation: 0.56, liquidationPrice: '22000', markPrice: '50000' }]);
  });
});

describe('settings', () => {
  it('stored settings without marginAlerts take the defaults; bad levels are refused naming the field', async () => {
    const { validateSettings, DEFAULT_SETTINGS } = await import('../../lib/settings/schema');
    const { marginAlertsOf } = await import('../../lib/settings/defaults');
    const { marginAlerts: _, ...old } = DEFAULT_SETTINGS;
    const r = validateSettings(old);
    expect(r.ok).toBe(true);
    expect(r.ok && marginAlertsOf(r.settings)).toEqual({ levels: [2, 1.5, 1.3], liquidation: 1.1 });
    const custom = validateSettings({ ...DEFAULT_SETTINGS, marginAlerts: { levels: [3, 1.8], liquidation: 1.1 } });
    expect(custom.ok && marginAlertsOf(custom.settings).levels).toEqual([3, 1.8]);
    const bad = validateSettings({ ...DEFAULT_SETTINGS, marginAlerts: { levels: [1.05], liquidation: 1.1 } });
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.error).toMatch(/marginAlerts/);
  });
});
