/**
 * The overlay's data: the background's account records (storage.local `accounts`, readable from
 * content scripts) for this page's host, the user's alert levels, and the badge placement the user
 * chose. Uses WXT's storage directly (not lib/storage.ts, which pulls in the settings schema and
 * valibot) to keep the content script small; keys and shapes are those of lib/storage.ts.
 */
import { storage } from 'wxt/utils/storage';
import { PAGE_HOSTS } from '../../lib/exchanges/endpoints';
import type { AccountRecord } from '../../lib/storage';
import { DEFAULT_PLACEMENT, type OverlayPlacement } from './Overlay';


/** Where the user put the badge (per browser profile, all exchanges). */
export const overlayPlacementItem = storage.defineItem<OverlayPlacement>('local:overlayPlacement', { fallback: DEFAULT_PLACEMENT });

/** Records shown on a page: those read from this host (Hyperliquid address-watched accounts too, on Hyperliquid). */
export function accountsForHost(all: Record<string, AccountRecord> | null, host: string): AccountRecord[] {
  return Object.values(all ?? {})
    .filter((r) => PAGE_HOSTS[r.exchange] === host)
    .sort((a, b) => a.label.localeCompare(b.label));
}

interface StoredSettings {
  alerts?: { levels?: unknown; priceMaxAgeMs?: unknown };
}

/** Alert levels and price staleness limit from the stored settings, with the defaults when unreadable. */
export function levelsOf(s: StoredSettings | null): { levels: number[]; priceMaxAgeMs: number } {
  const lv = s?.alerts?.levels;
  const levels = Array.isArray(lv) && lv.every((x) => typeof x === 'number') ? (lv as number[]) : [0.5, 0.7, 0.8, 0.9];
  const age = s?.alerts?.priceMaxAgeMs;
  return { levels, priceMaxAgeMs: typeof age === 'number' ? age : 60_000 };
}

export const accountsKey = 'local:accounts' as const;
export const settingsKey = 'local:settings' as const;

/** Subscribe to everything the overlay shows. Returns an unsubscribe function. */
export function watchOverlayData(
  host: string,
  cb: (d: { accounts: AccountRecord[]; levels: number[]; priceMaxAgeMs: number; placement: OverlayPlacement }) => void,
): () => void {
  let accounts: AccountRecord[] = [];
  let lv = levelsOf(null);
  let placement = DEFAULT_PLACEMENT;
  const emit = () => cb({ accounts, ...lv, placement });
  void Promise.all([
    storage.getItem<Record<string, AccountRecord>>(accountsKey),
    storage.getItem<StoredSettings>(settingsKey),
    overlayPlacementItem.getValue(),
  ]).then(([a, s, p]) => {
    accounts = accountsForHost(a, host);
    lv = levelsOf(s);
    placement = p;
    emit();
  });
  const un = [
    storage.watch<Record<string, AccountRecord>>(accountsKey, (a) => {
      accounts = accountsForHost(a, host);
      emit();
    }),
    storage.watch<StoredSettings>(settingsKey, (s) => {
      lv = levelsOf(s);
      emit();
    }),
    overlayPlacementItem.watch((p) => {
      placement = p ?? DEFAULT_PLACEMENT;
      emit();
    }),
  ];
  return () => un.forEach((u) => u());
}
