/**
 * The background monitor: the orchestrator that wires the worker's parts. Each concern lives in
 * its own module; this class only routes events between them:
 *
 * - page reads in: ./intake.ts (checks) → ./accounts.ts (which account, how the read applies);
 * - stream ticks in: ./stream-set.ts (connections) → ./marks.ts (the mark book);
 * - each account out: ./marks.ts (marks + freshness) → ./evaluation.ts (engine) →
 *   ./alert-input.ts → ./alerting.ts (alert machine, outbox, notifications) → ./badge.ts;
 * - storage: ./persist.ts (throttled writes); alert state is written by ./alerting.ts at once.
 *
 * Browser specifics come in through {@link MonitorPorts} so the same code runs in the service
 * worker, in Vitest with WXT's fake browser, and in the benchmark.
 */
import { withMarks } from '../engine';
import { EXCHANGE_NAMES, type ExchangeId } from '../engine/exchanges';
import type { AccountSnapshot } from '../engine/snapshot';
import type { TierTables } from '../engine/tiers';
import type { EndpointOverride } from '../exchanges/endpoints';
import type { MarkTick } from '../exchanges/common/stream';
import { STREAM_ADAPTERS } from '../exchanges/streams';
import type { NotificationText } from '../alerts/text';
import { PAGE_PRICES_LIVE_MS, pagePricesReconcileMs, type PageReadReply } from '../protocol/page-read';
import { loadSettings } from '../settings/load';
import { alertSettingsFor, DEFAULT_SETTINGS, type UserSettings } from '../settings/schema';
import { loadStoredState } from '../storage/load';
import {
  accountsItem,
  alertStateItem,
  countersItem,
  endpointOverrideItem,
  marksItem,
  ratioHistoryItem,
  streamStatusItem,
  tierCacheItem,
  type AccountRecord,
  type MonitorCounters,
  type RatioSample,
  type StoredMark,
} from '../storage';
import { applyPageRead, emptyRecord, orphanOf, pageAccountKey, pageAccountLabel, pageSilence } from './accounts';
import { alertInputOf, alertRatio } from '../alerts/input';
import { Alerter } from './alerting';
import { badgeAccountOf, toolbarBadge } from '../alerts/badge';
import { BadgeWriter } from './badge';
import { Evaluator } from './evaluation';
import { recordRatio } from './history';
import { checkPageRead } from './intake';
import { MarkBook } from './marks';
import { Persister } from './persist';
import type { SenderLike } from './senders';
import { StreamSet } from './stream-set';
import { TierService } from './tiers';

export { accountOfNoticeId, noticeId } from './alerting';
export { alertRatio } from '../alerts/input';
export { sanitizeHealth } from './intake';
export { HISTORY_STEP_MS, HISTORY_WINDOW_MS } from './history';
export { PERSIST_THROTTLE_MS } from './persist';

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

/**
 * A page read this old (ms) still counts as fresh: its exchange margin ratio counts for alerts, and its
 * marks are compared with the stream's. Page prices are re-read at least once a minute, so a figure
 * never lingers past the next read.
 */
const PAGE_READ_FRESH_MS = 90_000;

export class Monitor {
  private currentSettings: UserSettings = DEFAULT_SETTINGS;
  private records: Record<string, AccountRecord> = {};
  private history: Record<string, RatioSample[]> = {};
  private counterValues!: MonitorCounters;
  private tiers!: TierService;
  private alerter!: Alerter;
  private book = new MarkBook();
  private readonly evaluator = new Evaluator();
  private readonly badge: BadgeWriter;
  private readonly streams: StreamSet;
  private readonly persist: Persister;
  private override: EndpointOverride | null = null;
  private storageProblems: readonly string[] = [];
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly ports: MonitorPorts) {
    this.badge = new BadgeWriter(ports.setBadge);
    this.streams = new StreamSet({
      now: ports.now,
      onMarks: (exchange, ticks) => this.onMarks(exchange, ticks),
      onStatus: () => this.persist.markDirty('streams'),
      WebSocket: ports.WebSocket,
      backoff: ports.backoff,
    });
    this.persist = new Persister({
      write: {
        accounts: () => accountsItem.setValue(this.records),
        marks: () => marksItem.setValue(this.book.table()),
        history: () => ratioHistoryItem.setValue(this.history),
        streams: () => streamStatusItem.setValue(this.streams.status()),
      },
      accountsSaved: () => this.ports.accountsSaved?.(),
    });
  }

  /** Every account record, by key (read-only view: change accounts through the monitor's methods). */
  get accounts(): Readonly<Record<string, Readonly<AccountRecord>>> {
    return this.records;
  }
  get settings(): UserSettings {
    return this.currentSettings;
  }
  get counters(): Readonly<MonitorCounters> {
    return this.counterValues;
  }
  /** The loopback endpoint override in force (tests, demo), or null. */
  get endpointOverride(): EndpointOverride | null {
    return this.override;
  }
  /** Status of one exchange's mark stream, or undefined when it has none. */
  streamStatus(exchange: ExchangeId) {
    return this.streams.status()[exchange];
  }
  /** The stored stream marks, by exchange and stream symbol. */
  get marks() {
    return this.book.table();
  }

  /** Load everything from storage, deliver any notice left in the outbox, open streams, render the badge. */
  async init(): Promise<void> {
    await this.loadSettings();
    // Checked entry by entry: a bad account, alert state, series, tier table or mark book is set
    // aside (quarantine) and reported; every good one is kept (lib/storage/load.ts).
    const stored = await loadStoredState({ now: this.ports.now });
    this.storageProblems = stored.problems;
    this.records = stored.accounts;
    this.history = stored.history;
    this.counterValues = stored.counters;
    this.book = new MarkBook(stored.marks);
    this.override = stored.endpointOverride;
    this.streams.setOverride(stored.endpointOverride);
    this.tiers = new TierService(stored.tierCache, {
      fetch: this.ports.fetch,
      now: this.ports.now,
      override: () => this.override,
      save: (c) => tierCacheItem.setValue(c),
    });
    this.alerter = new Alerter(stored.alerts, {
      notify: this.ports.notify,
      playSound: this.ports.playSound,
      save: (s) => alertStateItem.setValue(s),
      delivery: () => ({ notifications: this.currentSettings.notifications, sound: this.currentSettings.sound, display: this.currentSettings.display }),
      account: (key) => this.records[key],
      problem: (p) => console.error(`[monitor] ${p}`),
    });
    await this.alerter.deliver();
    this.syncStreams();
    // Re-check every account now: a crossing that happened while the worker was dead is caught here,
    // one already notified is not repeated (its level is disarmed in the stored state).
    this.evaluateAll();
    await this.idle();
  }

  /** Read (and at start, migrate) the settings; problems are reported in `problems` (lib/settings/load.ts). */
  async loadSettings(opts: { migrate?: boolean } = {}): Promise<void> {
    this.currentSettings = (await loadSettings(opts)).settings;
  }

  /** What was wrong with the stored state at start (each line one entry set aside), empty when all was well. */
  get startProblems(): readonly string[] {
    return this.storageProblems;
  }

  /** Count a refused message (any kind) and remember why, for the popup's diagnostics. */
  async countRejectedSender(problem: string): Promise<void> {
    this.counterValues = { ...this.counterValues, rejectedSenders: this.counterValues.rejectedSenders + 1, lastRejectedSender: problem.slice(0, 200) };
    await countersItem.setValue(this.counterValues);
  }

  // ---- accounts -------------------------------------------------------------------------

  /**
   * Handle a `page-read` message from a content script (checks: ./intake.ts). Refused senders are
   * counted; a refused snapshot is counted and shown as "not recognised" with the field named.
   */
  async handlePageRead(msg: unknown, sender: SenderLike): Promise<PageReadReply> {
    const read = checkPageRead(msg, sender, this.ports.extensionId, this.currentSettings.enabledExchanges);
    if (read.kind === 'refused') {
      await this.countRejectedSender(read.problem);
      return { ok: false, error: `sender refused: ${read.problem}` };
    }
    if (read.kind === 'disabled') {
      // Monitoring of this exchange is off in options: forget its page accounts, show nothing stale.
      for (const a of Object.values(this.records)) if (a.exchange === read.exchange && a.health !== null) this.dropAccount(a.key);
      this.afterAccountsChanged();
      await this.idle();
      return { ok: false, error: `monitoring of ${EXCHANGE_NAMES[read.exchange]} is off in options` };
    }
    if (read.rejected !== null) {
      this.counterValues = { ...this.counterValues, invalidSnapshots: this.counterValues.invalidSnapshots + 1, lastInvalidSnapshot: read.rejected };
      await countersItem.setValue(this.counterValues);
    }
    const key = this.adoptKey(read.exchange, pageAccountKey(read.exchange, read.identity, read.tabId), read.identity);
    const several = Object.values(this.records).some((a) => a.exchange === read.exchange && a.key !== key && a.health !== null);
    const label = pageAccountLabel(read.exchange, read.identity, read.tabId, several);
    this.records[key] = applyPageRead(this.records[key], key, label, read, this.ports.now());
    this.syncStreams();
    this.evaluateAccount(key);
    await this.idle();
    if (read.rejected !== null) return { ok: false, error: `invalid snapshot: ${read.rejected}` };
    // A symbol without a live tier table: fetch now rather than at the next watchdog tick (never blocks the reply).
    const record = this.records[key]!;
    const symbols = record.snapshot?.positions.map((p) => p.symbol) ?? [];
    if (this.tiers.due(read.exchange, symbols)) void this.refreshTiers();
    // The page is the live price source of any position the streams do not price right now.
    const streamed = symbols.every((s) => record.marks[s] !== undefined);
    return { ok: true, priceRefreshMs: streamed ? pagePricesReconcileMs(alertSettingsFor(this.currentSettings, key).snapshotMaxAgeMs) : PAGE_PRICES_LIVE_MS };
  }

  /**
   * The key a page read lands on. An identity-less read from a new tab takes over an identity-less
   * account of the same exchange whose tab is closed or silent, or one stored under the old
   * exchange-only key, with its alert state (cooldowns) and history: the same account reopened.
   */
  private adoptKey(exchange: ExchangeId, key: string, identity: string | null): string {
    if (this.records[key] || identity) return key;
    const orphan = orphanOf(this.records, exchange, this.ports.now());
    if (orphan) {
      this.records[key] = { ...orphan, key };
      this.alerter.rename(orphan.key, key);
      if (this.history[orphan.key]) this.history[key] = this.history[orphan.key]!;
      this.dropAccount(orphan.key);
    }
    return key;
  }

  /** Add or replace an account fed by another source (Hyperliquid address watch). */
  async putAccount(key: string, exchange: ExchangeId, label: string, snapshot: AccountSnapshot, at: number): Promise<void> {
    const prev = this.records[key];
    this.records[key] = { ...(prev ?? emptyRecord(key, exchange, label)), label, snapshot, snapshotAt: at };
    this.syncStreams();
    this.evaluateAccount(key);
    await this.idle();
  }

  /** Forget an account (its alert state and history too). */
  async removeAccount(key: string): Promise<void> {
    this.dropAccount(key);
    this.afterAccountsChanged();
    await this.idle();
  }

  /** A tab was closed: its accounts no longer expect page reads (streams keep pricing them). */
  tabClosed(tabId: number): void {
    for (const a of Object.values(this.records)) if (a.tabId === tabId) this.records[a.key] = { ...a, tabClosed: true };
    this.persist.markDirty('accounts');
  }

  private dropAccount(key: string): void {
    delete this.records[key];
    delete this.history[key];
    this.alerter.forget(key);
    this.evaluator.forget(key);
  }

  private afterAccountsChanged(): void {
    this.syncStreams();
    this.persist.markDirty('accounts', 'history');
    this.chain = this.chain.then(() => this.renderBadge()).catch((e) => console.error('[monitor] badge failed', e));
  }

  // ---- prices ---------------------------------------------------------------------------

  /** Subscribe each exchange's stream to exactly the symbols its accounts hold. */
  syncStreams(): void {
    const symbols: Partial<Record<ExchangeId, Set<string>>> = {};
    for (const a of Object.values(this.records)) for (const p of a.snapshot?.positions ?? []) (symbols[a.exchange] ??= new Set()).add(p.symbol);
    this.streams.sync(symbols);
  }

  /** Point the streams at a loopback endpoint (tests, demo), reconnecting them. */
  setEndpointOverride(o: EndpointOverride | null): void {
    this.override = o;
    this.streams.setOverride(o);
    this.syncStreams();
  }

  /** Admitted ticks from a stream: store, then re-evaluate every account of that exchange holding a changed symbol. */
  private onMarks(exchange: ExchangeId, ticks: MarkTick[]): void {
    const changed = this.book.admit(exchange, ticks);
    this.persist.markDirty('streams');
    if (!changed.size) return;
    this.persist.markDirty('marks');
    const adapter = STREAM_ADAPTERS[exchange];
    for (const a of Object.values(this.records)) {
      if (a.exchange !== exchange || !a.snapshot) continue;
      if (a.snapshot.positions.some((p) => changed.has(adapter.streamSymbol(p.symbol) ?? ''))) this.evaluateSafely(a.key);
    }
  }

  // ---- evaluation -----------------------------------------------------------------------

  private marksFor(a: AccountRecord, now: number) {
    return this.book.forAccount(a, now, alertSettingsFor(this.currentSettings, a.key).priceMaxAgeMs, this.streams.subscribedSince(a.exchange), PAGE_READ_FRESH_MS);
  }

  /**
   * The input {@link evaluateAccount} evaluates `key` with, taken now: the snapshot with the live
   * marks applied and the tier tables in use. What-if and stress requests from the popup run on
   * it, so they see exactly what the monitor sees. Null when there is no such account or snapshot.
   */
  evaluationInput(key: string): EvaluationInput | null {
    const a = Object.prototype.hasOwnProperty.call(this.records, key) ? this.records[key] : undefined;
    if (!a?.snapshot) return null;
    const now = this.ports.now();
    const { used } = this.marksFor(a, now);
    return { exchange: a.exchange, snapshot: withMarks(a.snapshot, pricesOf(used)), tables: this.tiers.tablesFor(a.exchange), marks: used, at: now };
  }

  /** Evaluate one account now (engine + alert step); notices are delivered in order on the alert chain. */
  evaluateAccount(key: string): void {
    const a = this.records[key];
    if (!a) return;
    const now = this.ports.now();
    const settings = alertSettingsFor(this.currentSettings, key);
    const marks = a.snapshot ? this.marksFor(a, now) : null;
    const evaluation = a.snapshot && marks ? this.evaluator.evaluate(key, a.snapshot, pricesOf(marks.used), this.tiers.tablesFor(a.exchange)) : { risk: null };
    const unreadable = a.unreadable ?? pageSilence(a, now);
    // The exchange's own margin ratio counts while the page read that showed it is fresh (issue 12.3).
    const input = alertInputOf(evaluation.risk, a.snapshot, {
      now,
      snapshotAt: a.snapshotAt,
      oldestPriceAt: marks?.oldestPriceAt ?? null,
      pricesExpectedSince: marks?.pricesExpectedSince ?? null,
      pageReadAt: a.health ? a.snapshotAt : null,
      exchangeFigureMaxAgeMs: PAGE_READ_FRESH_MS,
      ...(evaluation.error !== undefined && { engineError: evaluation.error }),
      ...(unreadable && { positionsUnreadable: unreadable }),
    });
    const { state } = this.alerter.step(key, input, settings, now);
    const tierSources: AccountRecord['tierSources'] = {};
    for (const p of a.snapshot?.positions ?? []) tierSources[p.symbol] = this.tiers.used(a.exchange, p.symbol);
    this.records[key] = {
      ...a,
      risk: evaluation.risk,
      riskAt: now,
      marks: marks?.used ?? {},
      markDisagreements: marks?.disagreements ?? [],
      tierSources,
      // The machine's stale reason; an unreadable or silent page is stale even before the machine says so.
      stale: state.stale.active ? state.stale.reason : unreadable,
      level: state.currentLevel,
    };
    recordRatio((this.history[key] ??= []), alertRatio(evaluation.risk), now);
    this.persist.markDirty('accounts', 'history');
    this.chain = this.chain.then(() => this.renderBadge()).catch((e) => console.error('[monitor] badge failed', e));
  }

  /** Evaluate every account; one that fails is marked stale with the error and never stops the others. */
  private evaluateAll(): void {
    for (const key of Object.keys(this.records)) this.evaluateSafely(key);
  }

  private evaluateSafely(key: string): void {
    try {
      this.evaluateAccount(key);
    } catch (e) {
      const a = this.records[key];
      if (a) this.records[key] = { ...a, stale: `monitoring failed for this account: ${e instanceof Error ? e.message : String(e)}`.slice(0, 300) };
      console.error('[monitor] evaluation failed', key, e);
      this.chain = this.chain.then(() => this.renderBadge()).catch(() => {});
    }
  }

  /** Write the toolbar badge for the worst account. */
  async renderBadge(): Promise<void> {
    const accounts = Object.values(this.records).map((a) => {
      const st = this.alerter.stateOf(a.key);
      const s = alertSettingsFor(this.currentSettings, a.key);
      return badgeAccountOf({
        label: a.label,
        risk: a.risk,
        ratio: st.ratio ?? alertRatio(a.risk),
        ratioSource: st.ratioSource ?? 'engine',
        stale: a.stale,
        positionsUnreadable: a.unreadable ?? null,
        levels: s.levels,
        positionDistance: s.positionDistance,
        snapshotPositions: a.snapshot?.positions,
      });
    });
    await this.badge.write(toolbarBadge(accounts, this.currentSettings));
  }

  /** Settles when every queued alert delivery and badge write has run. */
  async idle(): Promise<void> {
    await this.alerter.idle();
    await this.chain;
  }

  // ---- watchdog -------------------------------------------------------------------------

  /** Alarm tick: reconnect streams, re-run staleness for every account, retry undelivered notices, refresh due tier tables. */
  async watchdog(): Promise<void> {
    this.syncStreams();
    this.streams.ensureConnected();
    this.evaluateAll();
    await this.alerter.deliver();
    await this.idle();
    await this.refreshTiers();
    await this.flush();
  }

  /** Refresh tier tables that are due, then re-evaluate the accounts concerned. */
  async refreshTiers(): Promise<void> {
    const byExchange: Partial<Record<ExchangeId, Set<string>>> = {};
    for (const a of Object.values(this.records)) for (const p of a.snapshot?.positions ?? []) (byExchange[a.exchange] ??= new Set()).add(p.symbol);
    for (const [exchange, set] of Object.entries(byExchange) as [ExchangeId, Set<string>][]) {
      const symbols = [...set];
      if (!this.tiers.due(exchange, symbols)) continue;
      await this.tiers.refresh(exchange, symbols);
      for (const a of Object.values(this.records)) if (a.exchange === exchange) this.evaluateSafely(a.key);
    }
    await this.idle();
  }

  /** Tier cache summary for diagnostics. */
  tierSummary() {
    return this.tiers.snapshot();
  }

  // ---- persistence ----------------------------------------------------------------------

  /** Write throttled items now. */
  async flush(): Promise<void> {
    await this.persist.flush();
  }

  /** Stop streams and timers (tests, worker shutdown). */
  async dispose(): Promise<void> {
    this.streams.stop();
    this.persist.stop();
    await this.idle();
    await this.flush();
  }
}

const pricesOf = (marks: Record<string, StoredMark>): Record<string, string> => Object.fromEntries(Object.entries(marks).map(([s, m]) => [s, m.price]));
