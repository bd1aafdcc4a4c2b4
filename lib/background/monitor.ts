/**
 * The background monitor: the orchestrator that wires the worker's parts. Each concern lives in
 * its own module; this class only routes events between them:
 *
 * - page reads in: ./intake.ts (checks) → ./account-store.ts (which account, how the read
 *   applies: rules in ./accounts.ts);
 * - stream ticks in: ./stream-set.ts (connections) → ./marks.ts (the mark book);
 * - each account out: ./assess.ts (marks → engine → alert input → alert machine) →
 *   ./alerting.ts (outbox, notifications) → ./badge.ts;
 * - storage: ./persist.ts (throttled writes); alert state is written by ./alerting.ts at once,
 *   counters by ./counters.ts; interfaces in ./ports.ts.
 *
 * Browser specifics come in through {@link MonitorPorts} so the same code runs in the service
 * worker, in Vitest with WXT's fake browser, and in the benchmark.
 */
import { withMarks } from '../engine';
import { EXCHANGE_NAMES, type ExchangeId } from '../engine/exchanges';
import type { AccountSnapshot } from '../engine/snapshot';
import type { EndpointOverride } from '../exchanges/endpoints';
import type { MarkTick } from '../exchanges/common/stream';
import { STREAM_ADAPTERS } from '../exchanges/streams';
import { toolbarBadge, type BadgeAccount } from '../alerts/badge';
import { PAGE_PRICES_LIVE_MS, pagePricesReconcileMs, type PageReadReply } from '../protocol/page-read';
import { loadSettings } from '../settings/load';
import { alertSettingsFor, DEFAULT_SETTINGS, type UserSettings } from '../settings/schema';
import { loadStoredState } from '../storage/load';
import { accountsItem, alertStateItem, countersItem, marksItem, ratioHistoryItem, streamStatusItem, tierCacheItem, volatilityItem, type AccountRecord, type MonitorCounters } from '../storage';
import { AccountStore } from './account-store';
import { Alerter } from './alerting';
import { assessAccount, PAGE_READ_FRESH_MS, pricesOf } from './assess';
import { badgeAccounts, BadgeWriter } from './badge';
import { Counters } from './counters';
import { Evaluator } from './evaluation';
import { checkPageRead } from './intake';
import { MarkBook } from './marks';
import { Persister } from './persist';
import type { EvaluationInput, MonitorPorts } from './ports';
import type { SenderLike } from './senders';
import { StreamSet } from './stream-set';
import { InstrumentService } from './instruments';
import { TierService } from './tiers';
import { VolatilityService, checkVolatilityCache } from './volatility';
import { StopAlerter } from './stop-alerts';

export type { EvaluationInput, MonitorPorts } from './ports';
export { accountOfNoticeId, noticeId } from './alerting';
export { alertRatio } from '../alerts/input';
export { sanitizeHealth } from './intake';
export { HISTORY_STEP_MS, HISTORY_WINDOW_MS } from './history';
export { PERSIST_THROTTLE_MS } from './persist';

export class Monitor {
  private currentSettings: UserSettings = DEFAULT_SETTINGS;
  private store = new AccountStore({}, {}, { forgotten: () => {}, renamed: () => {} });
  private counterBook!: Counters;
  private tiers!: TierService;
  private volatility = new VolatilityService({}, { now: () => this.ports.now(), override: () => this.override, save: async () => {} });
  private instruments!: InstrumentService;
  private alerter!: Alerter;
  private book = new MarkBook();
  private readonly evaluator = new Evaluator();
  private readonly badge: BadgeWriter;
  private readonly stopAlerts: StopAlerter;
  private readonly streams: StreamSet;
  private readonly persist: Persister;
  private override: EndpointOverride | null = null;
  private storageProblems: readonly string[] = [];
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly ports: MonitorPorts) {
    this.badge = new BadgeWriter(ports.setBadge);
    this.stopAlerts = new StopAlerter((id, t) => this.ports.notify(id, t));
    this.streams = new StreamSet({
      now: ports.now,
      onMarks: (exchange, ticks) => this.onMarks(exchange, ticks),
      onStatus: () => this.persist.markDirty('streams'),
      WebSocket: ports.WebSocket,
      backoff: ports.backoff,
    });
    this.persist = new Persister({
      write: {
        accounts: () => accountsItem.setValue(this.store.table as Record<string, AccountRecord>),
        marks: () => marksItem.setValue(this.book.table()),
        history: () => ratioHistoryItem.setValue(this.store.histories as never),
        streams: () => streamStatusItem.setValue(this.streams.status()),
      },
      accountsSaved: () => this.ports.accountsSaved?.(),
    });
  }

  /** Every account record, by key (read-only view: change accounts through the monitor's methods). */
  get accounts(): Readonly<Record<string, Readonly<AccountRecord>>> {
    return this.store.table;
  }
  get settings(): UserSettings {
    return this.currentSettings;
  }
  get counters(): Readonly<MonitorCounters> {
    return this.counterBook.current;
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
  /** What was wrong with the stored state at start (each line one entry set aside), empty when all was well. */
  get startProblems(): readonly string[] {
    return this.storageProblems;
  }
  /** Tier cache summary for diagnostics. */
  tierSummary() {
    return this.tiers.snapshot();
  }

  /** Load everything from storage, deliver any notice left in the outbox, open streams, render the badge. */
  async init(): Promise<void> {
    await this.loadSettings();
    // Checked entry by entry: a bad account, alert state, series, tier table or mark book is set
    // aside (quarantine) and reported; every good one is kept (lib/storage/load.ts).
    const stored = await loadStoredState({ now: this.ports.now });
    this.storageProblems = stored.problems;
    this.store = new AccountStore(stored.accounts, stored.history, {
      forgotten: (key) => (this.alerter.forget(key), this.evaluator.forget(key)),
      renamed: (from, to) => this.alerter.rename(from, to),
    });
    this.counterBook = new Counters(stored.counters, (c) => countersItem.setValue(c));
    this.book = new MarkBook(stored.marks);
    this.override = stored.endpointOverride;
    this.streams.setOverride(stored.endpointOverride);
    this.tiers = new TierService(stored.tierCache, { fetch: this.ports.fetch, now: this.ports.now, override: () => this.override, save: (c) => tierCacheItem.setValue(c) });
    this.volatility = new VolatilityService(checkVolatilityCache(await volatilityItem.getValue()), { fetch: this.ports.fetch, now: this.ports.now, override: () => this.override, save: (c) => volatilityItem.setValue(c) });
    this.instruments = new InstrumentService({ fetch: this.ports.fetch, now: this.ports.now, override: () => this.override });
    this.alerter = new Alerter(stored.alerts, {
      notify: this.ports.notify,
      playSound: this.ports.playSound,
      save: (s) => alertStateItem.setValue(s),
      delivery: () => ({ notifications: this.currentSettings.notifications, sound: this.currentSettings.sound, display: this.currentSettings.display }),
      account: (key) => this.store.get(key),
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

  /** Count a refused message (any kind) and remember why, for the popup's diagnostics. */
  countRejectedSender(problem: string): Promise<void> {
    return this.counterBook.rejectedSender(problem);
  }

  // ---- accounts -------------------------------------------------------------------------

  /**
   * Handle a `page-read` message from a content script (checks: ./intake.ts). Refused senders are
   * counted; a refused snapshot is counted and shown as "not recognised" with the field named.
   */
  async handlePageRead(msg: unknown, sender: SenderLike): Promise<PageReadReply> {
    const read = checkPageRead(msg, sender, this.ports.extensionId, this.currentSettings.enabledExchanges);
    if (read.kind === 'refused') {
      await this.counterBook.rejectedSender(read.problem);
      return { ok: false, error: `sender refused: ${read.problem}` };
    }
    if (read.kind === 'disabled') {
      // Monitoring of this exchange is off in options: forget its page accounts, show nothing stale.
      this.store.dropPageAccounts(read.exchange);
      this.afterAccountsChanged();
      await this.idle();
      return { ok: false, error: `monitoring of ${EXCHANGE_NAMES[read.exchange]} is off in options` };
    }
    if (read.rejected !== null) await this.counterBook.invalidSnapshot(read.rejected);
    const key = this.store.applyRead(read, this.ports.now());
    this.syncStreams();
    this.evaluateAccount(key);
    await this.idle();
    if (read.rejected !== null) return { ok: false, error: `invalid snapshot: ${read.rejected}` };
    // A symbol without a live tier table: fetch now rather than at the next watchdog tick (never blocks the reply).
    const record = this.store.get(key)!;
    const symbols = record.snapshot?.positions.map((p) => p.symbol) ?? [];
    if (this.tiers.due(read.exchange, symbols) || this.instruments.due(read.exchange, symbols)) void this.refreshTiers();
    if (this.volatility.dueSymbols(read.exchange, symbols).length) void this.refreshVolatility();
    // The page is the live price source of any position the streams do not price right now.
    const streamed = symbols.every((s) => record.marks[s] !== undefined);
    return { ok: true, priceRefreshMs: streamed ? pagePricesReconcileMs(alertSettingsFor(this.currentSettings, key).snapshotMaxAgeMs) : PAGE_PRICES_LIVE_MS };
  }

  /** Add or replace an account fed by another source (Hyperliquid address watch). */
  async putAccount(key: string, exchange: ExchangeId, label: string, snapshot: AccountSnapshot, at: number): Promise<void> {
    this.store.put(key, exchange, label, snapshot, at);
    this.syncStreams();
    this.evaluateAccount(key);
    await this.idle();
  }

  /** Forget an account (its alert state and history too). */
  async removeAccount(key: string): Promise<void> {
    this.store.drop(key);
    this.afterAccountsChanged();
    await this.idle();
  }

  /** A tab was closed: its accounts no longer expect page reads (streams keep pricing them). */
  tabClosed(tabId: number): void {
    this.store.closeTab(tabId);
    this.persist.markDirty('accounts');
  }

  private afterAccountsChanged(): void {
    this.syncStreams();
    this.persist.markDirty('accounts', 'history');
    this.queueBadge();
  }

  // ---- prices ---------------------------------------------------------------------------

  /** Subscribe each exchange's stream to exactly the symbols its accounts hold. */
  syncStreams(): void {
    this.streams.sync(this.store.symbolsByExchange());
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
    for (const a of this.store.all()) {
      if (a.exchange === exchange && a.snapshot?.positions.some((p) => changed.has(adapter.streamSymbol(p.symbol) ?? ''))) this.evaluateSafely(a.key);
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
    const a = this.store.get(key);
    if (!a?.snapshot) return null;
    const now = this.ports.now();
    const { used } = this.marksFor(a, now);
    return { exchange: a.exchange, snapshot: withMarks(a.snapshot, pricesOf(used)), tables: this.tiers.tablesFor(a.exchange), marks: used, at: now };
  }

  /** Evaluate one account now (./assess.ts); notices are delivered in order on the alert chain. */
  evaluateAccount(key: string): void {
    const a = this.store.get(key);
    if (!a) return;
    const now = this.ports.now();
    const marks = a.snapshot ? this.marksFor(a, now) : null;
    const { record, ratio } = assessAccount(a, marks, alertSettingsFor(this.currentSettings, key), now, { evaluator: this.evaluator, tiers: this.tiers, instruments: this.instruments, alerter: this.alerter, volatility: this.volatility });
    this.store.update(key, record);
    this.stopAlerts.step(record, this.currentSettings);
    this.store.sample(key, ratio, now);
    this.persist.markDirty('accounts', 'history');
    this.queueBadge();
  }

  /** Evaluate every account; one that fails is marked stale with the error and never stops the others. */
  private evaluateAll(): void {
    for (const key of this.store.keys()) this.evaluateSafely(key);
  }

  private evaluateSafely(key: string): void {
    try {
      this.evaluateAccount(key);
    } catch (e) {
      const a = this.store.get(key);
      if (a) this.store.update(key, { ...a, stale: `monitoring failed for this account: ${e instanceof Error ? e.message : String(e)}`.slice(0, 300) });
      console.error('[monitor] evaluation failed', key, e);
      this.queueBadge();
    }
  }

  private extraBadge: () => BadgeAccount[] = () => [];
  /** Accounts another monitor watches (spot margin: ./margin-watch.ts), shown on the same badge. */
  setExtraBadgeAccounts(fn: () => BadgeAccount[]): void {
    this.extraBadge = fn;
  }
  /** Re-render the badge (another monitor's accounts changed). */
  refreshBadge(): void {
    this.queueBadge();
  }

  private queueBadge(): void {
    this.chain = this.chain.then(() => this.renderBadge()).catch((e) => console.error('[monitor] badge failed', e));
  }

  /** Write the toolbar badge for the worst account. */
  async renderBadge(): Promise<void> {
    const accounts = badgeAccounts(this.store.all(), (k) => this.alerter.stateOf(k), (k) => alertSettingsFor(this.currentSettings, k));
    await this.badge.write(toolbarBadge([...accounts, ...this.extraBadge()], this.currentSettings));
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
    await this.refreshVolatility();
    await this.flush();
  }

  /** Fetch candles of the symbols held whose σ is due (at most hourly), then re-evaluate those accounts. */
  async refreshVolatility(): Promise<void> {
    for (const [exchange, set] of Object.entries(this.store.symbolsByExchange()) as [ExchangeId, Set<string>][]) {
      if ((await this.volatility.refresh(exchange, [...set])) === 0) continue;
      for (const a of this.store.all()) if (a.exchange === exchange) this.evaluateSafely(a.key);
    }
    await this.idle();
  }

  /** Refresh tier tables and instrument specs (tick sizes) that are due, then re-evaluate the accounts concerned. */
  async refreshTiers(): Promise<void> {
    for (const [exchange, set] of Object.entries(this.store.symbolsByExchange()) as [ExchangeId, Set<string>][]) {
      const symbols = [...set];
      const tiersDue = this.tiers.due(exchange, symbols);
      const instrumentsDue = this.instruments.due(exchange, symbols);
      if (!tiersDue && !instrumentsDue) continue;
      await Promise.all([tiersDue && this.tiers.refresh(exchange, symbols), instrumentsDue && this.instruments.refresh(exchange, symbols)]);
      for (const a of this.store.all()) if (a.exchange === exchange) this.evaluateSafely(a.key);
    }
    await this.idle();
  }

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
