// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, alertSettingsFor, type UserSettings } from '../../lib/settings/schema';
import { buildPopupModel } from '../../lib/view/popup';
import { storageProblemText } from '../../lib/storage/problems';
import { formatAge } from '../../lib/view/format';
import { NOW, record, sources, tight } from '../components/helpers';

/** Two accounts; `okx` has its own alert settings (as `settings.perAccount` stores them). */
function twoAccounts(riskAgoMs: number, perAccount: UserSettings['perAccount']) {
  const binance = record(tight(), { riskAt: NOW - riskAgoMs });
  const okx = record(tight(), { key: 'okx', label: 'OKX', riskAt: NOW - riskAgoMs });
  return sources([binance, okx], { settings: { ...DEFAULT_SETTINGS, perAccount } });
}

describe('popup view model: each account judged with its own alert settings, as the background does', () => {
  const watchdogMs = 30_000;
  const global = DEFAULT_SETTINGS.alerts.priceMaxAgeMs;

  it("a per-account price limit makes that account stale when the background's writes stop; the others keep the global limit", () => {
    const own = 10_000;
    // Silent for longer than the account's own limit plus one watchdog period, but well inside the global one.
    const ago = own + watchdogMs + 5_000;
    expect(ago).toBeLessThan(global + watchdogMs);
    const m = buildPopupModel(twoAccounts(ago, { okx: { priceMaxAgeMs: own } }), NOW);
    const byKey = Object.fromEntries(m.accounts.map((a) => [a.key, a]));
    expect(byKey.okx!.status).toBe('stale');
    expect(byKey.okx!.stale).toBe(`no update for ${Math.round(ago / 1000)} s (background not running?)`);
    expect(byKey['binance-usdm']!.status).toBe('live');
    expect(byKey['binance-usdm']!.stale).toBeNull();
  });

  it("levels and limits are the account's alertSettingsFor, levels sorted", () => {
    const settings = twoAccounts(0, { okx: { levels: [0.9, 0.4], snapshotMaxAgeMs: 45_000 } });
    const m = buildPopupModel(settings, NOW);
    for (const a of m.accounts) {
      const want = alertSettingsFor(settings.settings, a.key);
      expect(a.alerts).toEqual(want);
      expect(a.levels).toEqual([...want.levels].sort((x, y) => x - y));
    }
    expect(m.accounts.find((a) => a.key === 'okx')!.levels).toEqual([0.4, 0.9]);
    expect(m.accounts.find((a) => a.key === 'binance-usdm')!.levels).toEqual([...DEFAULT_SETTINGS.alerts.levels].sort((x, y) => x - y));
  });
});

describe('popup view model: problems the user must see', () => {
  it('stored state found damaged at a worker start is listed, with its age and the entries set aside', () => {
    const problems = { settings: null, storage: { at: NOW - 5 * 60_000, lines: ['accounts › bybit: label: must be text; set aside in quarantine'] } };
    const m = buildPopupModel(sources([record(tight())], { problems }), NOW);
    expect(m.problems).toEqual([storageProblemText(problems, (at) => formatAge(NOW - at))]);
    expect(m.problems[0]).toContain('found 5 min ago');
    expect(m.problems[0]).toContain('accounts › bybit');
  });

  it('no problem stored, none shown', () => {
    expect(buildPopupModel(sources([record(tight())]), NOW).problems).toEqual([]);
  });
});

describe("popup view model: what-if and stress follow the background's input", () => {
  const version = (over: Parameters<typeof record>[1] = {}, now = NOW) => buildPopupModel(sources([record(tight(), over)]), now).accounts[0]!.inputVersion;
  const mark = (price: string) => ({ BTCUSDT: { price, time: NOW - 1000, receivedAt: NOW - 1000 } }) as never;

  it('changes with a new page read, a live mark or the tier table in use, and not with the clock', () => {
    const base = version({ marks: mark('77000') });
    expect(version({ marks: mark('77000') }, NOW + 5000)).toBe(base);
    expect(version({ marks: mark('77001') })).not.toBe(base);
    expect(version({ marks: mark('77000'), snapshotAt: NOW })).not.toBe(base);
    expect(version({ marks: mark('77000'), tierSources: { BTCUSDT: { source: 'https://fapi.binance.com/fapi/v1/leverageBracket', asOf: '2026-12-04T21:00:00Z', kind: 'live' } } })).not.toBe(base);
  });
});
