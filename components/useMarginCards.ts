/**
 * Storage → spot margin cards: reads `local:marginAccounts` and the settings, and watches both.
 * The view model (lib/view/margin.ts, with the alert bands it needs) is loaded only once a margin
 * account exists, so a popup with futures accounts only does not carry it in its first render.
 */
import { useEffect, useState } from 'preact/hooks';
import { DEFAULT_SETTINGS, marginAlertsOf } from '../lib/settings/defaults';
import { settingsReadItem } from '../lib/storage/items';
import { marginAccountsItem, type MarginAccountRecord } from '../lib/storage/margin';
import type { MarginCardView } from '../lib/view/margin';

type MarginView = typeof import('../lib/view/margin');

/** @returns the cards, or null while margin accounts exist and their view model is still loading. */
export function useMarginCards(): MarginCardView[] | null {
  const [records, setRecords] = useState<Record<string, MarginAccountRecord>>({});
  const [settings, setSettings] = useState<{ marginAlerts?: { levels: number[]; liquidation: number } }>(DEFAULT_SETTINGS);
  const [view, setView] = useState<MarginView | null>(null);
  useEffect(() => {
    let alive = true;
    void marginAccountsItem.getValue().then((r) => alive && setRecords(r ?? {}));
    void settingsReadItem.getValue().then((s) => alive && s && setSettings(s)).catch(() => {});
    const un = [marginAccountsItem.watch((r) => alive && setRecords(r ?? {})), settingsReadItem.watch((s) => alive && s && setSettings(s))];
    return () => {
      alive = false;
      for (const u of un) u();
    };
  }, []);
  const any = Object.keys(records).length > 0;
  useEffect(() => {
    if (!any || view) return;
    let alive = true;
    void import('../lib/view/margin').then((m) => alive && setView(m));
    return () => {
      alive = false;
    };
  }, [any, view]);
  if (!view) return any ? null : [];
  const m = marginAlertsOf(settings);
  return Object.values(records).map((r) => view.marginCardView(r, m));
}
