/**
 * Storage → {@link PopupModel}: reads the background's items once, watches them, and ticks the
 * clock every second so ages and staleness stay true while the popup is open.
 */
import { useEffect, useState } from 'preact/hooks';
// Straight from the item files, not lib/storage's index: the popup bundles no valibot or settings migrations.
import { accountsItem, problemsItem, ratioHistoryItem, settingsReadItem as settingsItem, streamStatusItem } from '../lib/storage/items';
import { DEFAULT_SETTINGS } from '../lib/settings/defaults';
import { buildPopupModel, type PopupModel, type PopupSources } from '../lib/view/popup';

const EMPTY: PopupSources = { accounts: {}, history: {}, streams: {}, settings: DEFAULT_SETTINGS, problems: { settings: null } };

/** Read every source once. Settings that fail to load fall back to defaults (the background reports why). */
export async function readPopupSources(): Promise<PopupSources> {
  const [accounts, history, streams, settings, problems] = await Promise.all([
    accountsItem.getValue(),
    ratioHistoryItem.getValue(),
    streamStatusItem.getValue().catch(() => ({})),
    settingsItem.getValue().catch(() => DEFAULT_SETTINGS),
    problemsItem.getValue(),
  ]);
  return { accounts, history, streams, settings, problems };
}

export function usePopupModel(tickMs = 1000): PopupModel {
  const [src, setSrc] = useState<PopupSources>(EMPTY);
  const [loaded, setLoaded] = useState(false);
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    let alive = true;
    void readPopupSources().then((s) => {
      if (!alive) return;
      setSrc(s);
      setLoaded(true);
      setNow(Date.now());
    });
    const patch = <K extends keyof PopupSources>(k: K) => (v: PopupSources[K] | null) => {
      if (alive) setSrc((cur) => ({ ...cur, [k]: v ?? EMPTY[k] }));
    };
    const unwatch = [
      accountsItem.watch(patch('accounts')),
      ratioHistoryItem.watch(patch('history')),
      streamStatusItem.watch(patch('streams')),
      settingsItem.watch(patch('settings')),
      problemsItem.watch(patch('problems')),
    ];
    const timer = setInterval(() => setNow(Date.now()), tickMs);
    return () => {
      alive = false;
      clearInterval(timer);
      for (const u of unwatch) u();
    };
  }, [tickMs]);
  return buildPopupModel(src, now, loaded);
}
