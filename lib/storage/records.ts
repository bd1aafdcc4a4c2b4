/**
 * The shapes of the background's stored records (version 1 of each item in lib/storage/items.ts).
 * Types only: the valibot shapes that check them when they are read back are in
 * lib/storage/shapes.ts, so extension pages that only read records pull in no validation code.
 *
 * Money and prices are decimal strings, ratios are fractions, times are ms since the Unix epoch.
 * Account keys: the exchange id for accounts read from an exchange page (`bybit`,
 * `binance-usdm`…), `hyperliquid:<address>` (lower case) for a Hyperliquid wallet watched without a tab.
 */
import type { PositionStop } from '../engine/stops';
import type { AccountOdds } from '../engine/liquidationOdds';
import type { VolatilityEstimate } from '../engine/volatility';
import type { ExchangeId } from '../engine/exchanges';
import type { AccountSnapshot } from '../engine/snapshot';
import type { AccountRisk } from '../engine/types';
import type { TierTable } from '../engine/tiers';
import type { ReaderHealth } from '../exchanges/health';
import type { AlertState, Notice } from '../alerts/machine';

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
  /** Per position, the stop that would close it and whether it fires before liquidation (lib/engine/stops.ts), at the live marks; null when not evaluated. */
  stops?: PositionStop[] | null;
  /** Liquidation in σ and the 24 h touch probability (lib/engine/liquidationOdds.ts); null when not evaluated. */
  odds?: AccountOdds | null;
}

/** One symbol's cached volatility estimate (lib/background/volatility.ts). */
export interface VolatilityEntry {
  /** When the candles behind `estimate` were fetched (ms), or null when never. */
  fetchedAt: number | null;
  lastAttemptAt: number;
  /** The estimate (its `sigma` is null with a reason when too few candles), or null when never fetched. */
  estimate: VolatilityEstimate | null;
  /** Which price the candles follow (`mark`, `index`, or `trade` on Hyperliquid). */
  price: 'mark' | 'index' | 'trade' | null;
  /** The last fetch's error, or null. */
  error: string | null;
}

/** Volatility cache by exchange and symbol. */
export type VolatilityCache = Partial<Record<ExchangeId, Record<string, VolatilityEntry>>>;

/** One ratio sample: time (ms) and normalized risk ratio (fraction; null = unknown). */
export interface RatioSample {
  t: number;
  r: number | null;
}

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

/** Tier tables fetched from the exchanges' public endpoints, with the fetch time and any error. */
export interface TierCacheEntry {
  fetchedAt: number | null;
  /** Symbol → table (as converted from the live endpoint). */
  tables: Record<string, TierTable>;
  /** Last refresh problem (kept when falling back to older data or bundled tables), or null. */
  error: string | null;
  lastAttemptAt: number | null;
}

/** Security and input counters: messages refused because of their sender, snapshots refused by the schema. */
export interface MonitorCounters {
  rejectedSenders: number;
  lastRejectedSender: string | null;
  invalidSnapshots: number;
  lastInvalidSnapshot: string | null;
}

/**
 * Problems the user must see (the popup shows each line; the options page shows `settings`).
 * - `settings`: a failed settings migration or an invalid stored value (the stored value is left
 *   untouched), or null. Written by lib/settings/load.ts `loadSettings`.
 * - `storage`: stored state found damaged at a start (see {@link StorageProblems}); absent or null
 *   when none. Written by lib/storage/load.ts `loadStoredState`.
 */
export interface MonitorProblems {
  settings: string | null;
  storage?: StorageProblems | null;
}

/**
 * Damage found in stored state at a worker start: when, and one line per damaged entry naming the
 * item, the entry, the failing field and what was done, e.g.
 * `accounts › bybit: snapshot.positions[0].size: must be > 0 (got "-1"); set aside in quarantine`.
 */
export interface StorageProblems {
  /** When the start that found it ran (ms epoch). */
  at: number;
  lines: string[];
}

/**
 * One damaged stored value set aside at load (see lib/storage/load.ts): what it was, where it
 * was, why it was refused and when. Kept so nothing the user had is destroyed unseen.
 */
export interface QuarantineEntry {
  /** Storage key of the item, e.g. `local:accounts`. */
  item: string;
  /** The entry inside the item (`bybit`, `outbox[2]`, `bybit › health`), or null for the whole item. */
  entry: string | null;
  /** Why it was refused: the failing field and rule, e.g. `snapshot.walletBalance: must be a decimal string`. */
  reason: string;
  /** When it was set aside (ms epoch). */
  at: number;
  /** The refused value as JSON text, cut at `QUARANTINE_MAX_VALUE_CHARS` (lib/storage/items.ts); null when it could not be serialized. */
  json: string | null;
  /** True when `json` was cut. */
  truncated: boolean;
}
