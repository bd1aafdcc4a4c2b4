/** Storage → spot margin cards: reads `local:marginAccounts` and the settings, and watches both. */
import { useEffect, useState } from 'preact/hooks';
import { DEFAULT_SETTINGS, marginAlertsOf } from '../lib/settings/defaults';
import { settingsReadItem } from '../lib/storage/items';
import { marginAccountsItem, type MarginAccountRecord } from '../lib/storage/margin';
import { marginCardView, type MarginCardView } from '../lib/view/margin';

export function useMarginCards(): MarginCardView[] {
  const [records, setRecords] = useState<Record<string, MarginAccountRecord>>({});
  const [settings, setSettings] = useState<{ marginAlerts?: { levels: number[]; liquidation: number } }>(DEFAULT_SETTINGS);
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
  const m = marginAlertsOf(settings);
  return Object.values(records).map((r) => marginCardView(r, m));
}
