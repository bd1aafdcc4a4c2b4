// @vitest-environment node
/** The options form's spot margin fields: margin levels (higher is safer) above the liquidation line. */
import { describe, expect, it } from 'vitest';
import { fromDraft, toDraft } from '../../components/options/draft';
import { DEFAULT_SETTINGS } from '../../lib/settings/schema';

describe('options: spot margin levels', () => {
  it('defaults show as Binance writes levels; an untouched form stores nothing new', () => {
    const d = toDraft(DEFAULT_SETTINGS);
    expect([d.marginLevels, d.marginLiquidation]).toEqual(['2, 1.5, 1.3', '1.1']);
    const { marginAlerts: _, ...old } = DEFAULT_SETTINGS;
    const r = fromDraft(toDraft(old as typeof DEFAULT_SETTINGS), old as typeof DEFAULT_SETTINGS);
    expect(r.ok && r.settings.marginAlerts).toBeUndefined();
  });
  it('edited levels are stored highest first and validated', () => {
    const r = fromDraft({ ...toDraft(DEFAULT_SETTINGS), marginLevels: '1.4, 3, 1.8' }, DEFAULT_SETTINGS);
    expect(r.ok && r.settings.marginAlerts).toEqual({ levels: [3, 1.8, 1.4], liquidation: 1.1 });
  });
  it.each([
    [{ marginLevels: '1.05' }, 'marginLevels', /above the liquidation line 1.1/],
    [{ marginLevels: '' }, 'marginLevels', /at least one/],
    [{ marginLiquidation: '0.9' }, 'marginLiquidation', /between 1 and 2/],
    [{ marginLevels: 'x' }, 'marginLevels', /must be a number/],
  ])('%j is refused on %s', (patch, field, msg) => {
    const r = fromDraft({ ...toDraft(DEFAULT_SETTINGS), ...patch }, DEFAULT_SETTINGS);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.errors[field as keyof typeof r.errors]).toMatch(msg);
  });
});
