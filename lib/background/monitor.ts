/**
 * The background monitor: accepts page snapshots, keeps mark-price streams for the symbols
 * held, evaluates every account with the engine on each snapshot and tick, runs the alert
 * state machine, delivers notifications through an outbox, keeps the badge, and persists
 * everything a restarted service worker (or the popup) needs.
 *
 * Browser specifics come in through {@link MonitorPorts} so the same code runs in the service
 * worker, in Vitest with WXT's fake browser, and in the benchmark.
 */
import { evaluate, withMarks } from '../engine';
import { EXCHANGES, safeParseSnapshot, type AccountSnapshot, type ExchangeId } from '../engine/snapshot';
import type { TierTable, TierTables } from '../engine/tiers';
import type { AccountRisk } from '../engine/types';
import { streamUrl, type EndpointOverride } from '../exchanges/endpoints';
import { PAGE_PRICES_LIVE_MS, pagePricesReconcileMs, type PageReadMessage, type PageReadReply, type ReaderHealth } from '../exchanges/health';
import { STREAM_ADAPTERS, type MarkTick } from '../exchanges/streams';
import { initialAlertState, step, type AlertInput, type AlertState, type Notice, type PositionInput } from '../monitor/alerts';
import { badgeFor, EXCHANGE_NAMES, noticeText, ratioLabel, type NotificationText } from '../monitor/format';
import { alertSettingsFor, DEFAULT_SETTINGS, salvageSettings, validateSettings, type UserSettings } from '../settings/schema';
import {
  accountsItem,
  alertStateItem,
  countersItem,
  endpointOverrideItem,
  marksItem,
  problemsItem,
  ratioHistoryItem,
  settingsItem,
  streamStatusItem,
  tierCacheItem,
  type AccountRecord,
  type AlertStore,
  type MonitorCounters,
  type PendingNotice,
  type RatioSample,
  type StoredMark,
} from '../storage';
import { contentSenderProblem, type SenderLike } from './senders';
import { MarkStreamClient, type StreamStatus } from './stream-client';
import { TierService } from './tiers';

/** Browser-facing effects. */
export interface MonitorPorts {
  now: () => number;
  /** Show a notification with this id (same id = same notification: redelivery replaces, never duplicates). */
  notify: (id: string, text: NotificationText) => Promise<void>;
  setBadge: (badge: { text: string; color: string; title: string }) => Promise<void>;
  /** Our extension id (sender checks). */
  extensionId: string;
  /** WebSocket constructor for the streams (default: global). */
  WebSocket?: unknown;
  fetch?: typeof fetch;
  /** Play the critical-alert sound (Chrome: offscreen document); absent where unsupported. */
  playSound?: () => Promise<void>;
  /** Connect backoff for streams (tests shorten it). */
  backoff?: { minMs?: number; maxMs?: number; factor?: number; jitterMs?: number };
  /** The account records were written (throttled, about once a second while prices tick): the overlay feed publishes. */
  accountsSaved?: () => void;
}

/** Ratio history kept per account. */
export const HISTORY_WINDOW_MS = 3_600_000;
export const HISTORY_STEP_MS = 5_000;
/** Throttle for writing account records and stream status (ms). Alert state is written at once. */
export const PERSIST_THROTTLE_MS = 1_000;

type Marks = Partial<Record<ExchangeId, Record<string, StoredMark>>>;

/** What the monitor evaluates one account with (see {@link Monitor.evaluationInput}). */
export interface EvaluationInput {
  exchange: ExchangeId;
  /** The page snapshot with the fresh live stream marks applied. */
  snapshot: AccountSnapshot;
  /** Tier tables: live or cached over the bundled ones. */
  tables: TierTables;
  /** The live marks applied, by snapshot symbol (with funding where the stream carries it). */
  marks: Record<string, StoredMark>;
  /** When this input was taken (ms epoch). */
  at: number;
}

/** Notification id: `ms|<accountKey>|<kind>|<detail>|<time>`; the account key is recovered on click. */
export function noticeId(accountKey: string, n: Notice): string {
  const detail = n.kind === 'level' ? String(n.level) : n.kind === 'position' ? n.position.key : 'stale';
  return `ms|${accountKey}|${n.kind}|${detail}|${n.at}`;
}

/** Account key of a notification id made by {@link noticeId}, or null. */
export function accountOfNoticeId(id: string): string | null {
  const parts = id.split('|');
  return parts[0] === 'ms' && parts.length >= 5 ? parts[1]! : null;
}

export class Monitor {
  settings: UserSettings = DEFAULT_SETTINGS;
  accounts: Record<string, AccountRecord> = {};
  alerts: AlertStore = { accounts: {}, outbox: [] };
  marks: Marks = {};
  history: Record<string, RatioSample[]> = {};
  counters!: MonitorCounters;
  override: EndpointOverride | null = null;
  tiers!: TierService;
  readonly streams = new Map<ExchangeId, MarkStreamClient>();
  private streamStatus: Partial<Record<ExchangeId, StreamStatus>> = {};
  private dirty = new Set<'accounts' | 'marks' | 'history' | 'streams'>();
  private flushTimer: ReturnType<typeof setTimeout> | null = null;
  private chain: Promise<void> = Promise.resolve();
  private lastBadge = '';
  private pricesSince: Partial<Record<ExchangeId, number>> = {};
  /** Per account: its last page read evaluated at the page's own marks (see {@link atPageMarks}). */
  private pageEvaluations = new Map<string, { snapshot: AccountSnapshot; tables: (TierTable | undefined)[]; risk: AccountRisk | null }>();
  private disposed = false;

  constructor(private readonly ports: MonitorPorts) {}

  /** Load everything from storage, deliver any notice left in the outbox, open streams, render the badge. */
  async init(): Promise<void> {
    await this.loadSettings();
    const [accounts, alerts, marks, history, counters, override, tierCache] = await Promise.all([
      accountsItem.getValue(),
      alertStateItem.getValue(),
      marksItem.getValue(),
      ratioHistoryItem.getValue(),
      countersItem.getValue(),
      endpointOverrideItem.getValue(),
      tierCacheItem.getValue(),
    ]);
    const tierCacheCopy = structuredClone(tierCache ?? {});
    // Clone: WXT hands out its shared `fallback` object when a key is missing; never mutate that.
    this.accounts = structuredClone(accounts ?? {});
    this.alerts = structuredClone({ accounts: alerts?.accounts ?? {}, outbox: alerts?.outbox ?? [] });
    this.marks = structuredClone(marks ?? {});
    this.history = structuredClone(history ?? {});
    this.counters = structuredClone(counters);
    this.override = override;
    this.tiers = new TierService(tierCacheCopy, {
      fetch: this.ports.fetch,
      now: this.ports.now,
      override: () => this.override,
      save: (c) => tierCacheItem.setValue(c),
    });
    await this.flushOutbox();
    this.syncStreams();
    // Re-check every account now: a crossing that happened while the worker was dead is caught here,
    // one already notified is not repeated (its level is disarmed in the stored state).
    for (const key of Object.keys(this.accounts)) this.evaluateAccount(key);
    await this.chain;
    await this.renderBadge();
  }

  /** Read settings; a failed migration or invalid value is reported in `problems` and defaults are used in memory only. */
  async loadSettings(opts: { migrate?: boolean } = {}): Promise<void> {
    let problem: string | null = null;
    try {
      // Migrate at start only: a save from the options page writes the value and its version
      // marker as two storage writes, and a watcher firing between them must not re-migrate.
      if (opts.migrate !== false) {
        // A damaged version marker would be "repaired" by the storage library to the current
        // version without migrating, stranding an older value: refuse to migrate over it.
        const meta = (await settingsItem.getMeta()) as { v?: unknown };
        if (meta.v !== undefined && !(Number.isInteger(meta.v) && (meta.v as number) >= 1)) {
          throw new Error(`settings version marker is damaged (${JSON.stringify(meta.v)?.slice(0, 40)}); not migrated`);
        }
        await settingsItem.migrate();
      }
    } catch (e) {
      problem = `settings migration failed: ${e instanceof Error ? `${e.message}${e.cause instanceof Error ? ` (${e.cause.message})` : ''}` : String(e)}`;
    }
    const raw = await settingsItem.getValue();
    const checked = validateSettings(raw);
    if (checked.ok && !problem) this.settings = checked.settings;
    else if (!problem && !checked.ok) {
      // Keep every readable field (above all the user's alert levels); default only the bad ones.
      const { settings, dropped } = salvageSettings(raw);
      this.settings = settings;
      problem = `stored settings are invalid (${checked.error}); ${dropped.join(', ')} run on defaults, everything else as saved; stored value kept`;
    } else {
      this.settings = DEFAULT_SETTINGS;
      problem ??= 'stored settings are invalid; running on defaults, stored value kept';
    }
    await problemsItem.setValue({ settings: problem });
  }

  // ---- page snapshots -------------------------------------------------------------------

  /**
   * Handle a `page-read` message from a content script. Refuses (and counts) messages from
   * anything but our content script on the exchange's own host, and snapshots that fail the schema.
   */
  /** Count a refused message (any kind) and remember why, for the popup's diagnostics. */
  async countRejectedSender(problem: string): Promise<void> {
    this.counters = { ...this.counters, rejectedSenders: this.counters.rejectedSenders + 1, lastRejectedSender: problem.slice(0, 200) };
    await countersItem.setValue(this.counters);
  }

  async handlePageRead(msg: unknown, sender: SenderLike): Promise<PageReadReply> {
    const m = msg as Partial<PageReadMessage> | null;
    const problem = contentSenderProblem(sender, m?.exchange, this.ports.extensionId);
    if (problem) {
      await this.countRejectedSender(problem);
      return { ok: false, error: `sender refused: ${problem}` };
    }
    const exchange = m!.exchange as ExchangeId;
    if (!this.settings.enabledExchanges.includes(exchange)) {
      // Monitoring of this exchange is off in options: forget what we had, show nothing stale.
      if (this.accounts[exchange]) {
        delete this.accounts[exchange];
        this.syncStreams();
        this.markDirty('accounts');
        await this.renderBadge();
      }
      return { ok: false, error: `monitoring of ${EXCHANGE_NAMES[exchange]} is off in options` };
    }
    let health = sanitizeHealth(m!.health, exchange);
    let snapshot: AccountSnapshot | null = null;
    let rejected: string | null = null;
    if (m!.snapshot != null) {
      // The only validation of what the page reader sends (the content script does not repeat it:
      // valibot stays out of the exchange page). A rejected snapshot is counted, stored nowhere,
      // and shown: the account's page reads as not recognised, with the field named.
      const r = safeParseSnapshot(m!.snapshot);
      if (!r.ok || r.snapshot.exchange !== exchange) {
        rejected = (r.ok ? `snapshot.exchange ${r.snapshot.exchange} does not match ${exchange}` : r.errors.map((e) => e.message).join('; ')).slice(0, 300);
        this.counters = { ...this.counters, invalidSnapshots: this.counters.invalidSnapshots + 1, lastInvalidSnapshot: rejected };
        await countersItem.setValue(this.counters);
        if (health) health = { ...health, status: 'unrecognized', problems: [...health.problems.slice(0, 49), `snapshot rejected: ${rejected}`] };
      } else snapshot = r.snapshot;
    }
    const key = exchange;
    const now = this.ports.now();
    const prev = this.accounts[key];
    this.accounts[key] = {
      ...(prev ?? emptyRecord(key, exchange, EXCHANGE_NAMES[exchange])),
      health,
      tabId: sender.tab?.id ?? prev?.tabId ?? null,
      windowId: sender.tab?.windowId ?? prev?.windowId ?? null,
      url: sender.url ?? prev?.url ?? null,
      ...(snapshot ? { snapshot, snapshotAt: now } : {}),
    };
    this.syncStreams();
    this.evaluateAccount(key);
    await this.chain;
    if (rejected !== null) return { ok: false, error: `invalid snapshot: ${rejected}` };
    // A symbol without a live tier table: fetch now rather than at the next watchdog tick (never blocks the reply).
    const record = this.accounts[key]!;
    const symbols = record.snapshot?.positions.map((p) => p.symbol) ?? [];
    if (this.tiers.due(exchange, symbols)) void this.refreshTiers();
    // The page is the live price source of any position the streams do not price right now.
    const streamed = symbols.every((s) => record.marks[s] !== undefined);
    return { ok: true, priceRefreshMs: streamed ? pagePricesReconcileMs(alertSettingsFor(this.settings, key).snapshotMaxAgeMs) : PAGE_PRICES_LIVE_MS };
  }

  /** Add or replace an account fed by another source (Hyperliquid address watch). */
  async putAccount(key: string, exchange: ExchangeId, label: string, snapshot: AccountSnapshot, at: number): Promise<void> {
    const prev = this.accounts[key];
    this.accounts[key] = { ...(prev ?? emptyRecord(key, exchange, label)), label, snapshot, snapshotAt: at };
    this.syncStreams();
    this.evaluateAccount(key);
    await this.chain;
  }

  /** Forget an account (its alert state and history too). */
  async removeAccount(key: string): Promise<void> {
    delete this.accounts[key];
    delete this.history[key];
    delete this.alerts.accounts[key];
    this.pageEvaluations.delete(key);
    await alertStateItem.setValue(this.alerts);
    this.syncStreams();
    this.markDirty('accounts', 'history');
    await this.renderBadge();
  }

  // ---- streams --------------------------------------------------------------------------

  /** Open, update or close each exchange's stream for exactly the symbols held. */
  syncStreams(): void {
    if (this.disposed) return;
    for (const exchange of EXCHANGES) {
      const symbols = new Set<string>();
      for (const a of Object.values(this.accounts)) {
        if (a.exchange === exchange) for (const p of a.snapshot?.positions ?? []) symbols.add(p.symbol);
      }
      let client = this.streams.get(exchange);
      if (!client && symbols.size === 0) continue;
      if (!client) {
        client = new MarkStreamClient(STREAM_ADAPTERS[exchange], {
          url: (q) => streamUrl(exchange, q, this.override),
          onMarks: (ticks) => this.onMarks(exchange, ticks),
          onStatus: (s) => {
            this.streamStatus[exchange] = s;
            this.markDirty('streams');
          },
          WebSocket: this.ports.WebSocket,
          backoff: this.ports.backoff,
          now: this.ports.now,
        });
        this.streams.set(exchange, client);
      }
      const before = client.status().symbols.join();
      client.setSymbols([...symbols]);
      if (client.status().symbols.join() !== before) this.pricesSince[exchange] = this.ports.now();
    }
  }

  /** Admitted ticks from a stream: store, then re-evaluate every account of that exchange holding them. */
  onMarks(exchange: ExchangeId, ticks: MarkTick[]): void {
    const book = (this.marks[exchange] ??= {});
    // The stream client orders ticks within a connection; across a worker restart the stored
    // mark may be newer than a frame replayed on the new connection: keep the newer one.
    ticks = ticks.filter((t) => !(book[t.symbol] && book[t.symbol]!.time > t.time));
    if (!ticks.length) return;
    for (const t of ticks) {
      // Each tick replaces the last: a tick without (valid) funding leaves the rate unknown, not stale.
      const m: StoredMark = { price: t.price, time: t.time };
      if (t.fundingRate !== undefined) m.fundingRate = t.fundingRate;
      if (t.nextFundingTime !== undefined) m.nextFundingTime = t.nextFundingTime;
      book[t.symbol] = m;
    }
    this.markDirty('marks', 'streams');
    const syms = new Set(ticks.map((t) => t.symbol));
    const adapter = STREAM_ADAPTERS[exchange];
    for (const a of Object.values(this.accounts)) {
      if (a.exchange !== exchange || !a.snapshot) continue;
      if (a.snapshot.positions.some((p) => syms.has(adapter.streamSymbol(p.symbol) ?? ''))) this.evaluateAccount(a.key);
    }
  }

  // ---- evaluation -----------------------------------------------------------------------

  /**
   * The stream marks the monitor applies to an account's snapshot now, by snapshot symbol. The
   * stream is the live source: its mark is used while fresh (age ≤ `priceMaxAgeMs`) or newer than
   * the page's. A page read in a background tab can carry an old DOM mark with a new read time,
   * so the page's mark only fills gaps.
   */
  private liveMarks(a: AccountRecord, now: number, priceMaxAgeMs: number): Record<string, StoredMark> {
    const adapter = STREAM_ADAPTERS[a.exchange];
    const book = this.marks[a.exchange] ?? {};
    const used: Record<string, StoredMark> = {};
    for (const p of a.snapshot?.positions ?? []) {
      const sym = adapter.streamSymbol(p.symbol);
      const m = sym ? book[sym] : undefined;
      const pageAt = p.markPrice !== null ? (a.snapshotAt ?? 0) : 0;
      if (m && (now - m.time <= priceMaxAgeMs || m.time >= pageAt)) used[p.symbol] = m;
    }
    return used;
  }

  /**
   * The input {@link evaluateAccount} evaluates `key` with, taken now: the snapshot with the live
   * marks applied (`withMarks(snapshot, live)`) and `this.tiers.tablesFor(exchange)`. What-if and
   * stress requests from the popup run on it, so they see exactly what the monitor sees.
   * Null when there is no such account or it has no snapshot yet.
   */
  evaluationInput(key: string): EvaluationInput | null {
    const a = Object.prototype.hasOwnProperty.call(this.accounts, key) ? this.accounts[key] : undefined;
    if (!a?.snapshot) return null;
    const now = this.ports.now();
    const marks = this.liveMarks(a, now, alertSettingsFor(this.settings, key).priceMaxAgeMs);
    const live: Record<string, string> = {};
    for (const [sym, m] of Object.entries(marks)) live[sym] = m.price;
    return { exchange: a.exchange, snapshot: withMarks(a.snapshot, live), tables: this.tiers.tablesFor(a.exchange), marks, at: now };
  }

  /**
   * `risk` (evaluated at the live marks) with its reconciliation taken from the same page read
   * evaluated at the page's OWN marks: the exchange's displayed figures (liquidation price, margin
   * ratio, MM…) are compared with ours at the prices the page showed them at, so a mismatch means
   * a formula, tier or balance difference, never that the page was read a few seconds before the
   * latest stream tick. Positions the page shows no mark for take the live mark. The page-mark
   * evaluation runs once per page read (and tier-table change), not on every tick.
   */
  private reconciledAtPageMarks(key: string, snapshot: AccountSnapshot, live: Record<string, string>, tables: TierTables, risk: AccountRisk): AccountRisk {
    const pageMarksDiffer = snapshot.positions.some((p) => p.markPrice !== null && live[p.symbol] !== undefined && live[p.symbol] !== p.markPrice);
    if (!pageMarksDiffer) return risk;
    // Cached per page read and per tier table object (a refresh replaces the tables it changes).
    const used = snapshot.positions.map((p) => tables[p.symbol]);
    let hit = this.pageEvaluations.get(key);
    if (!hit || hit.snapshot !== snapshot || hit.tables.some((t, i) => t !== used[i])) {
      const fill: Record<string, string> = {};
      for (const p of snapshot.positions) if (p.markPrice === null && live[p.symbol] !== undefined) fill[p.symbol] = live[p.symbol]!;
      let atPage: AccountRisk | null = null;
      try {
        atPage = evaluate(withMarks(snapshot, fill), tables);
      } catch {
        atPage = null; // reconciliation then stays at the live marks
      }
      hit = { snapshot, tables: used, risk: atPage };
      this.pageEvaluations.set(key, hit);
    }
    const atPage = hit.risk;
    if (!atPage || atPage.positions.length !== risk.positions.length) return risk;
    return {
      ...risk,
      reconciliation: atPage.reconciliation,
      positions: risk.positions.map((p, i) => ({ ...p, reconciliation: atPage.positions[i]!.reconciliation })),
    };
  }

  /**
   * Evaluate one account now (synchronously: engine + alert step), then persist the alert state
   * and deliver notices in order on the internal chain. Returns the notices raised.
   */
  evaluateAccount(key: string): Notice[] {
    const a = this.accounts[key];
    if (!a) return [];
    const now = this.ports.now();
    const settings = alertSettingsFor(this.settings, key);
    const snapshot = a.snapshot;
    let risk: AccountRisk | null = null;
    let unknownReason: string | undefined;
    let used: Record<string, StoredMark> = {};
    let oldestPriceAt: number | null = null;
    let expectedSince: number | null = null;
    if (snapshot) {
      const adapter = STREAM_ADAPTERS[a.exchange];
      const book = this.marks[a.exchange] ?? {};
      used = this.liveMarks(a, now, settings.priceMaxAgeMs);
      const live: Record<string, string> = {};
      for (const [sym, m] of Object.entries(used)) live[sym] = m.price;
      const times: number[] = [];
      let waiting = false;
      for (const p of snapshot.positions) {
        const sym = adapter.streamSymbol(p.symbol);
        const m = sym ? book[sym] : undefined;
        const pageAt = p.markPrice !== null ? (a.snapshotAt ?? 0) : 0;
        // Price freshness: stream time for symbols the stream serves; page time only for symbols it cannot.
        if (sym) {
          if (m) times.push(m.time);
          else waiting = true;
        } else times.push(pageAt);
      }
      if (waiting) {
        // Some held symbol has had no stream price yet: count from when we subscribed (or the oldest price we do have).
        expectedSince = Math.min(this.pricesSince[a.exchange] ?? a.snapshotAt ?? now, ...times);
      } else oldestPriceAt = times.length ? Math.min(...times) : null;
      try {
        const tables = this.tiers.tablesFor(a.exchange);
        risk = evaluate(withMarks(snapshot, live), tables);
        if (alertRatio(risk) === null) unknownReason = risk.reasons.map((r) => `${r.field}: ${r.reason}`).join('; ').slice(0, 200) || undefined;
        risk = this.reconciledAtPageMarks(key, snapshot, live, tables, risk);
      } catch (e) {
        unknownReason = e instanceof Error ? e.message : String(e);
      }
    }
    const positions: PositionInput[] = risk
      ? risk.positions.map((p) => ({
          key: `${p.symbol}|${p.side}|${p.marginMode}`,
          symbol: p.symbol,
          side: p.side,
          distanceToLiquidation: p.distanceToLiquidation === null ? null : Number(p.distanceToLiquidation),
          liquidationPrice: p.liquidationPrice,
          markPrice: p.markPrice,
        }))
      : (snapshot?.positions ?? []).map((p) => ({
          key: `${p.symbol}|${p.side}|${p.marginMode}`,
          symbol: p.symbol,
          side: p.side,
          distanceToLiquidation: null,
          liquidationPrice: null,
          markPrice: p.markPrice,
        }));
    // Ratios are compared with user levels as doubles: alerting needs no more than ~15 digits.
    const ratio = alertRatio(risk);
    const input: AlertInput = {
      riskRatio: ratio,
      unknownReason,
      positions,
      snapshotAt: a.snapshotAt ?? 0,
      oldestPriceAt,
      pricesExpectedSince: expectedSince,
    };
    const prevState: AlertState = this.alerts.accounts[key] ?? initialAlertState();
    const { state, notices } = step(prevState, input, settings, now);
    const stateChanged = JSON.stringify(state) !== JSON.stringify(prevState);
    this.alerts.accounts[key] = state;
    const tierSources: AccountRecord['tierSources'] = {};
    for (const p of snapshot?.positions ?? []) tierSources[p.symbol] = this.tiers.used(a.exchange, p.symbol);
    this.accounts[key] = { ...a, risk, riskAt: now, marks: used, tierSources, stale: state.stale.active ? state.stale.reason : null, level: state.currentLevel };
    this.recordHistory(key, ratio, now);
    this.markDirty('accounts');

    const pending: PendingNotice[] = notices.map((n) => ({ id: noticeId(key, n), accountKey: key, notice: n }));
    if (stateChanged || pending.length) {
      this.alerts.outbox.push(...pending);
      const snapshotOfStore = structuredClone(this.alerts);
      this.chain = this.chain
        .then(async () => {
          await alertStateItem.setValue(snapshotOfStore); // state + outbox first: a worker killed now redelivers, never re-detects
          await this.flushOutbox();
          await this.renderBadge();
        })
        .catch((e) => console.error('[monitor] alert delivery failed', e));
    } else {
      this.chain = this.chain.then(() => this.renderBadge()).catch((e) => console.error('[monitor] badge failed', e));
    }
    return notices;
  }

  /** Deliver every pending notice, removing each from the outbox once shown. */
  async flushOutbox(): Promise<void> {
    while (this.alerts.outbox.length) {
      const p = this.alerts.outbox[0]!;
      if (this.settings.notifications) {
        const a = this.accounts[p.accountKey];
        const text = noticeText(p.notice, a?.label ?? p.accountKey, a?.risk ?? null, this.settings.display);
        await this.ports.notify(p.id, text);
        if (this.settings.sound && p.notice.kind === 'level' && p.notice.top && this.ports.playSound) {
          await this.ports.playSound().catch((e) => console.warn('[monitor] alert sound failed', e));
        }
      }
      this.alerts.outbox.shift();
      await alertStateItem.setValue(this.alerts);
    }
  }

  private recordHistory(key: string, ratio: number | null, now: number): void {
    const h = (this.history[key] ??= []);
    const last = h[h.length - 1];
    if (last && now - last.t < HISTORY_STEP_MS) {
      // Keep the worst value inside one step so short spikes stay visible.
      if (ratio !== null && (last.r === null || ratio > last.r)) last.r = ratio;
    } else h.push({ t: now, r: ratio });
    while (h.length && now - h[0]!.t > HISTORY_WINDOW_MS) h.shift();
    this.markDirty('history');
  }

  /** Badge for the worst account: STALE if any account is stale, else the highest ratio, coloured by level. */
  async renderBadge(): Promise<void> {
    const list = Object.values(this.accounts).filter((a) => a.snapshot && a.snapshot.positions.length > 0);
    let badge: { text: string; color: string; title: string };
    if (list.length === 0) badge = { text: '', color: '#616161', title: 'Margin Sentinel: no open positions seen' };
    else {
      const stale = list.find((a) => a.stale);
      const ratioOf = (a: AccountRecord) => alertRatio(a.risk) ?? -1;
      const worst = stale ?? list.reduce((w, a) => (ratioOf(a) > ratioOf(w) ? a : w));
      const r = alertRatio(worst.risk);
      const s = alertSettingsFor(this.settings, worst.key);
      const b = badgeFor(r, worst.level, s.levels, !!stale, this.settings.display, worst.risk?.marginRatioConvention);
      badge = {
        ...b,
        title: stale ? `${worst.label}: monitoring stopped: ${worst.stale}` : `${worst.label}: ${ratioLabel(r, this.settings.display, worst.risk?.marginRatioConvention)}`,
      };
    }
    const sig = JSON.stringify(badge);
    if (sig === this.lastBadge) return;
    this.lastBadge = sig;
    await this.ports.setBadge(badge);
  }

  // ---- watchdog -------------------------------------------------------------------------

  /** Alarm tick: reconnect streams, re-run staleness for every account, refresh due tier tables. */
  async watchdog(): Promise<void> {
    this.syncStreams();
    for (const c of this.streams.values()) c.ensureConnected();
    for (const key of Object.keys(this.accounts)) this.evaluateAccount(key);
    await this.chain;
    await this.refreshTiers();
    await this.flush();
  }

  /** Refresh tier tables that are due, then re-evaluate the accounts concerned. */
  async refreshTiers(): Promise<void> {
    for (const exchange of EXCHANGES) {
      const symbols = [...new Set(Object.values(this.accounts).filter((a) => a.exchange === exchange).flatMap((a) => a.snapshot?.positions.map((p) => p.symbol) ?? []))];
      if (!this.tiers.due(exchange, symbols)) continue;
      await this.tiers.refresh(exchange, symbols);
      for (const a of Object.values(this.accounts)) if (a.exchange === exchange) this.evaluateAccount(a.key);
    }
    await this.chain;
  }

  // ---- persistence ----------------------------------------------------------------------

  private markDirty(...what: ('accounts' | 'marks' | 'history' | 'streams')[]): void {
    for (const w of what) this.dirty.add(w);
    if (!this.flushTimer && !this.disposed) this.flushTimer = setTimeout(() => void this.flush(), PERSIST_THROTTLE_MS);
  }

  /** Write throttled items now. */
  async flush(): Promise<void> {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    const d = new Set(this.dirty);
    this.dirty.clear();
    const jobs: Promise<unknown>[] = [];
    if (d.has('accounts')) jobs.push(accountsItem.setValue(this.accounts));
    if (d.has('marks')) jobs.push(marksItem.setValue(this.marks));
    if (d.has('history')) jobs.push(ratioHistoryItem.setValue(this.history));
    if (d.has('streams')) {
      for (const [ex, c] of this.streams) this.streamStatus[ex] = c.status(); // fresh lastMessageAt / lastMarkAt
      jobs.push(streamStatusItem.setValue(this.streamStatus));
    }
    await Promise.all(jobs);
    if (d.has('accounts')) this.ports.accountsSaved?.();
  }

  /** State for extension pages (`get-state`). */
  async state() {
    await this.flush();
    return {
      accounts: this.accounts,
      streams: this.streamStatus,
      settings: this.settings,
      problems: await problemsItem.getValue(),
      counters: this.counters,
      tiers: Object.fromEntries(
        Object.entries(this.tiers.snapshot()).map(([k, e]) => [k, { fetchedAt: e?.fetchedAt ?? null, error: e?.error ?? null, symbols: Object.keys(e?.tables ?? {}) }]),
      ),
    };
  }

  /** Stop streams and timers (tests, worker shutdown). */
  async dispose(): Promise<void> {
    this.disposed = true;
    for (const c of this.streams.values()) c.stop();
    this.streams.clear();
    await this.chain;
    await this.flush();
  }
}

function emptyRecord(key: string, exchange: ExchangeId, label: string): AccountRecord {
  return {
    key,
    exchange,
    label,
    snapshot: null,
    snapshotAt: null,
    health: null,
    tabId: null,
    windowId: null,
    url: null,
    risk: null,
    riskAt: null,
    marks: {},
    tierSources: {},
    stale: null,
    level: null,
  };
}

const strList = (x: unknown, max: number): string[] =>
  Array.isArray(x) ? x.filter((s): s is string => typeof s === 'string').slice(0, max).map((s) => s.slice(0, 200)) : [];

/**
 * Reader health from a content script, checked and bounded (lists ≤ 50 entries, strings ≤ 200
 * characters) before it is stored; null when it is not a health object for this exchange.
 */
export function sanitizeHealth(h: unknown, exchange: ExchangeId): ReaderHealth | null {
  if (typeof h !== 'object' || h === null) return null;
  const x = h as Partial<ReaderHealth>;
  if (x.exchange !== exchange || !['ok', 'partial', 'unrecognized'].includes(x.status as string)) return null;
  if (typeof x.readAt !== 'number' || !Number.isFinite(x.readAt)) return null;
  return {
    exchange,
    status: x.status!,
    url: typeof x.url === 'string' ? x.url.slice(0, 2048) : '',
    readAt: x.readAt,
    found: strList(x.found, 50),
    missing: strList(x.missing, 50),
    problems: strList(x.problems, 50),
    lastGoodReadAt: typeof x.lastGoodReadAt === 'number' && Number.isFinite(x.lastGoodReadAt) ? x.lastGoodReadAt : null,
  };
}

/**
 * The normalized risk ratio as the alert machine compares it (a double: alerting needs no
 * more than ~15 digits). An account the engine reports past liquidation with no ratio
 * (margin balance ≤ 0) counts as 1 — at liquidation — never as unknown.
 */
export function alertRatio(risk: AccountRisk | null | undefined): number | null {
  if (!risk) return null;
  if (risk.riskRatio !== null) return Number(risk.riskRatio);
  return risk.liquidated === true ? 1 : null;
}
