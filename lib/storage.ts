/**
 * Every persistent item of the background monitor, in one place, for the background (writer)
 * and the popup/options pages (readers: `item.getValue()`, `item.watch(cb)`).
 *
 * Areas: `local:` survives browser restarts; `session:` survives service-worker restarts but
 * not browser restarts (MV3 `chrome.storage.session`). Money and prices are decimal strings,
 * ratios are fractions, times are ms since the Unix epoch.
 *
 * Account keys: the exchange id for accounts read from an exchange page (`bybit`,
 * `binance-usdm`…), `hyperliquid:<address>` for a Hyperliquid wallet watched without a tab.
 */
import { storage } from 'wxt/utils/storage';
import type { AccountSnapshot, ExchangeId } from './engine/snapshot';
import type { AccountRisk } from './engine/types';
import type { TierTable } from './engine/tiers';
import type { EndpointOverride } from './exchanges/endpoints';
import type { ReaderHealth } from './exchanges/health';
import type { StreamStatus } from './background/stream-client';
import type { AlertState, Notice } from './monitor/alerts';
import { DEFAULT_SETTINGS, SETTINGS_MIGRATIONS, SETTINGS_VERSION, type UserSettings } from './settings/schema';

/** Where one position's maintenance tier table came from. */
export interface TierSourceUsed {
  /** Table `source` (endpoint URL or "bundled: …"), or null when no table exists for the symbol. */
  source: string | null;
  /** Table `asOf` (capture date or fetch time), or null. */
  asOf: string | null;
  kind: 'live' | 'cached' | 'bundled' | 'none';
}

/**
 * One live mark from a public stream, as stored: mark price (decimal string), exchange time (ms),
 * and, where the stream carries them, the funding rate (signed fraction per funding interval,
 * decimal string; positive: longs pay shorts) and the next funding time (ms epoch). See
 * lib/exchanges/streams.ts `MarkTick`: Binance `r`/`T`, Bybit `fundingRate`/`nextFundingTime`,
 * Hyperliquid hourly `funding` (next full hour); OKX's mark-price channel carries none.
 */
export interface StoredMark {
  price: string;
  /** The exchange's event time, ms epoch, clamped to `receivedAt` (a tick stamped in the future cannot freeze later ones). */
  time: number;
  /** Local time the tick was received, ms epoch: price freshness is measured on this. Absent in marks stored by older versions. */
  receivedAt?: number;
  fundingRate?: string;
  nextFundingTime?: number;
}

/**
 * Everything the popup shows for one account. Stream status is per exchange: read
 * `streamStatusItem[record.exchange]` (connected or not, last message time, reject counts).
 */
export interface AccountRecord {
  key: string;
  exchange: ExchangeId;
  /** Display name, e.g. "Bybit" or "Hyperliquid 0x12ab…9f". */
  label: string;
  /** Latest validated snapshot, marks as read from the page (live marks are applied at evaluation). */
  snapshot: AccountSnapshot | null;
  /** When the background received that snapshot. */
  snapshotAt: number | null;
  /** Latest reader health from the content script (null for address-watched accounts). */
  health: ReaderHealth | null;
  /** Tab the snapshot came from (notification clicks focus it). */
  tabId: number | null;
  windowId: number | null;
  url: string | null;
  /** Latest engine output, with live mark prices applied. */
  risk: AccountRisk | null;
  riskAt: number | null;
  /** Live marks used in `risk`: snapshot symbol → { price, time, fundingRate?, nextFundingTime? }. */
  marks: Record<string, StoredMark>;
  /** Tier table used per position symbol. */
  tierSources: Record<string, TierSourceUsed>;
  /** Monitoring cannot see this account (prices stopped, page not read, ratio unknown): why; null when fine. */
  stale: string | null;
  /** Highest alert level reached (fraction), or null. */
  level: number | null;
  /** The account identity the page shows (`uid:…`, `sub:…`, `addr:…`), or null (then keyed by tab). */
  identity?: string | null;
  /** The page shows open positions that could not be read: why (the last known positions are kept); null when fine. */
  unreadable?: string | null;
  /** When the account's content script last sent anything (ms epoch), or null. */
  pageSeenAt?: number | null;
  /** The tab it was read in was closed (the page-silence rule then no longer applies). */
  tabClosed?: boolean;
  /** Symbols whose stream mark and page mark disagree by over 5 % (the worse is used), from the last evaluation. */
  markDisagreements?: { symbol: string; stream: string; page: string }[];
}

/** Per-account records. Written by the background (throttled to about once a second per account). */
export const accountsItem = storage.defineItem<Record<string, AccountRecord>>('local:accounts', { fallback: {} });

/** One ratio sample: time (ms) and normalized risk ratio (fraction; null = unknown). */
export interface RatioSample {
  t: number;
  r: number | null;
}

/** Ratio history per account over the last hour (for the popup sparkline), at most one sample per 5 s. */
export const ratioHistoryItem = storage.defineItem<Record<string, RatioSample[]>>('local:ratioHistory', { fallback: {} });

/** A notice waiting for delivery (the outbox makes delivery survive a worker killed mid-way). */
export interface PendingNotice {
  id: string;
  accountKey: string;
  notice: Notice;
}

/** Alert state per account (levels armed, cooldowns, staleness episode) plus the notification outbox. */
export interface AlertStore {
  accounts: Record<string, AlertState>;
  outbox: PendingNotice[];
}
export const alertStateItem = storage.defineItem<AlertStore>('local:alertState', { fallback: { accounts: {}, outbox: [] } });

/** Latest stream mark (with funding where the stream carries it) per exchange and stream symbol (`BTC-USDT-SWAP` on OKX). Session-scoped. */
export const marksItem = storage.defineItem<Partial<Record<ExchangeId, Record<string, StoredMark>>>>('session:marks', {
  fallback: {},
});

/**
 * Stream connection status per exchange (`state` open/connecting/closed/idle, `lastMessageAt`, `lastMarkAt`,
 * reconnects, rejected frames by reason). Written at most about once a second while ticks flow. Session-scoped.
 */
export const streamStatusItem = storage.defineItem<Partial<Record<ExchangeId, StreamStatus>>>('session:streamStatus', { fallback: {} });

/** Tier tables fetched from the exchanges' public endpoints, with the fetch time and any error. */
export interface TierCacheEntry {
  fetchedAt: number | null;
  /** Symbol → table (as converted from the live endpoint). */
  tables: Record<string, TierTable>;
  /** Last refresh problem (kept when falling back to older data or bundled tables), or null. */
  error: string | null;
  lastAttemptAt: number | null;
}
export const tierCacheItem = storage.defineItem<Partial<Record<ExchangeId, TierCacheEntry>>>('local:tierCache', { fallback: {} });

/** Security and input counters: messages refused because of their sender, snapshots refused by the schema. */
export interface MonitorCounters {
  rejectedSenders: number;
  lastRejectedSender: string | null;
  invalidSnapshots: number;
  lastInvalidSnapshot: string | null;
}
export const countersItem = storage.defineItem<MonitorCounters>('local:monitorCounters', {
  fallback: { rejectedSenders: 0, lastRejectedSender: null, invalidSnapshots: 0, lastInvalidSnapshot: null },
});

/** Problems the user must see: a failed settings migration (the stored value is left untouched). */
export interface MonitorProblems {
  settings: string | null;
}
export const problemsItem = storage.defineItem<MonitorProblems>('local:monitorProblems', { fallback: { settings: null } });

/**
 * User settings, versioned (see lib/settings/schema.ts for the history). WXT runs the migrations
 * when the item is first used; a failed migration leaves the old value stored, and the background
 * reports it in {@link problemsItem} and runs on defaults without overwriting it.
 */
export const settingsItem = storage.defineItem<UserSettings>('local:settings', {
  fallback: DEFAULT_SETTINGS,
  version: SETTINGS_VERSION,
  migrations: SETTINGS_MIGRATIONS,
});

/**
 * Loopback endpoint override for tests and the end-to-end harness (see lib/exchanges/endpoints.ts);
 * null in normal use. Non-loopback values are ignored.
 */
export const endpointOverrideItem = storage.defineItem<EndpointOverride | null>('local:endpointOverride', { fallback: null });
