/**
 * Every persistent item of the background monitor, each defined once with its version, for the
 * background (writer) and the popup/options pages (readers: `item.getValue()`, `item.watch(cb)`).
 * The on-page overlay's placement is the one item defined elsewhere (lib/storage/overlay.ts), so
 * that the overlay content script does not bundle this file's imports (the settings schema, valibot).
 *
 * Areas: `local:` survives browser restarts; `session:` survives service-worker restarts but
 * not browser restarts (MV3 `chrome.storage.session`). Shapes: lib/storage/records.ts; checks on
 * read-back: lib/storage/shapes.ts and lib/storage/load.ts.
 *
 * Versions: every item carries `version` (WXT stores it as `<key>$: { v }` once a migration ran
 * or the item was first written under a versioned definition; absent means 1). All items are at
 * version 1 except settings (3, see lib/settings/schema.ts). Changing a stored shape means a new
 * version with a migration in `migrations`, exactly as for settings.
 */
import { storage } from 'wxt/utils/storage';
import type { ExchangeId } from '../engine/exchanges';
import type { EndpointOverride } from '../exchanges/endpoints';
import type { StreamStatus } from '../exchanges/common/stream';
import { DEFAULT_SETTINGS, SETTINGS_VERSION } from '../settings/defaults';
import type { UserSettings } from '../settings/schema';
import type { AccountRecord, AlertStore, MonitorCounters, MonitorProblems, QuarantineEntry, RatioSample, StoredMark, TierCacheEntry, VolatilityCache } from './records';

/** Per-account records. Written by the background (throttled to about once a second per account). */
export const accountsItem = storage.defineItem<Record<string, AccountRecord>>('local:accounts', { fallback: {}, version: 1 });

/** Ratio history per account over the last hour (for the popup sparkline), at most one sample per 5 s. */
export const ratioHistoryItem = storage.defineItem<Record<string, RatioSample[]>>('local:ratioHistory', { fallback: {}, version: 1 });

/** Alert state per account (levels armed, cooldowns, staleness episode) plus the notification outbox. */
export const alertStateItem = storage.defineItem<AlertStore>('local:alertState', { fallback: { accounts: {}, outbox: [] }, version: 1 });

/** Latest stream mark (with funding where the stream carries it) per exchange and stream symbol (`BTC-USDT-SWAP` on OKX). Session-scoped. */
export const marksItem = storage.defineItem<Partial<Record<ExchangeId, Record<string, StoredMark>>>>('session:marks', { fallback: {}, version: 1 });

/**
 * Stream connection status per exchange (`state` open/connecting/closed/idle, `lastMessageAt`, `lastMarkAt`,
 * reconnects, rejected frames by reason). Written at most about once a second while ticks flow. Session-scoped.
 */
export const streamStatusItem = storage.defineItem<Partial<Record<ExchangeId, StreamStatus>>>('session:streamStatus', { fallback: {}, version: 1 });

/** Tier tables fetched from the exchanges' public endpoints, per exchange, with the fetch time and any error. */
export const tierCacheItem = storage.defineItem<Partial<Record<ExchangeId, TierCacheEntry>>>('local:tierCache', { fallback: {}, version: 1 });

/** Realized-volatility estimates by exchange and symbol, with fetch times (lib/background/volatility.ts); checked entry by entry on load. */
export const volatilityItem = storage.defineItem<VolatilityCache>('local:volatility', { fallback: {}, version: 1 });

/** Security and input counters: messages refused because of their sender, snapshots refused by the schema. */
export const countersItem = storage.defineItem<MonitorCounters>('local:monitorCounters', {
  fallback: { rejectedSenders: 0, lastRejectedSender: null, invalidSnapshots: 0, lastInvalidSnapshot: null },
  version: 1,
});

/** Problems the user must see: settings that could not be loaded, stored state found damaged (see {@link MonitorProblems}). */
export const problemsItem = storage.defineItem<MonitorProblems>('local:monitorProblems', { fallback: { settings: null }, version: 1 });

/** Most quarantine entries kept (the newest; older ones are dropped first). */
export const QUARANTINE_MAX_ENTRIES = 20;
/** Longest JSON text kept per quarantined value (characters): 20 × 20 000 bounds the item near 400 KB. */
export const QUARANTINE_MAX_VALUE_CHARS = 20_000;

/**
 * Stored values refused at load, set aside with the reason and time (lib/storage/load.ts), newest
 * last, at most {@link QUARANTINE_MAX_ENTRIES}. Nothing reads them back automatically: they are
 * kept for diagnosis and manual recovery.
 */
export const quarantineItem = storage.defineItem<QuarantineEntry[]>('local:quarantine', { fallback: [], version: 1 });

/**
 * User settings, read only and never migrated here (same key and version as `settingsItem` in
 * ./settings.ts, no migrations, so WXT runs none): for pages that only read them (the popup),
 * which then bundle neither valibot nor the migrations. Writers and the worker use `settingsItem`,
 * whose migrations the worker runs at start.
 */
export const settingsReadItem = storage.defineItem<UserSettings>('local:settings', { fallback: DEFAULT_SETTINGS, version: SETTINGS_VERSION });

/**
 * Loopback endpoint override for tests and the end-to-end harness (see lib/exchanges/endpoints.ts);
 * null in normal use. Non-loopback values are ignored.
 */
export const endpointOverrideItem = storage.defineItem<EndpointOverride | null>('local:endpointOverride', { fallback: null, version: 1 });
