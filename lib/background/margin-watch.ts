/**
 * The worker's spot margin monitor (Binance Cross and Isolated Margin), beside the futures
 * monitor (./monitor.ts), sharing its parts rather than its account store:
 *
 *   `margin-read` (content script) → sender + schema checks → record per account
 *   → prices from the public spot stream (./margin-prices.ts, the same stream client)
 *   → engine (lib/engine/spotMargin.ts) → alert input (lib/alerts/margin.ts: risk = liquidation / level)
 *   → the same pure alert machine (levels, hysteresis, cooldown, escalation, staleness)
 *   → notifications (ports.notify) and the toolbar badge (merged into the monitor's badge).
 *
 * Records and alert states are written to `local:marginAccounts` (lib/storage/margin.ts) before
 * any notification of the step is shown, so a restarted worker neither repeats nor loses one.
 */
import { marginAlertInput, marginLevelOfRisk, marginLevelText, marginMachineSettings } from '../alerts/margin';
import { initialAlertState, step, type AlertSettings, type AlertState, type Notice } from '../alerts/machine';
import type { BadgeAccount } from '../alerts/badge';
import type { NotificationText } from '../alerts/text';
import { safeParseSpotMarginSnapshot, type SpotMarginSnapshot } from '../engine/snapshot';
import { evaluateSpotMargin } from '../engine/spotMargin';
import type { SpotMarginRisk } from '../engine/spotMarginTypes';
import type { MarginReaderHealth } from '../exchanges/binance-margin/reader';
import type { EndpointOverride } from '../exchanges/endpoints';
import type { MarginReadReply } from '../protocol/margin-read';
import type { OverlayAccount } from '../protocol/overlay-feed';
import { marginOverlayAccount } from '../view/margin';
import type { MarginAccountRecord } from '../storage/margin';
import { pricedSnapshot, SpotPriceFeed, spotSymbolsOf } from './margin-prices';
import { marginSenderProblem, type SenderLike } from './senders';

/** The page host margin reads must come from. */
export const MARGIN_PAGE_HOST = 'www.binance.com';
/** The exchange's displayed level counts for alerts while the page read is at most this old (ms). */
export const MARGIN_SHOWN_MAX_AGE_MS = 30_000;

export interface MarginWatchDeps {
  now: () => number;
  extensionId: string;
  notify: (id: string, text: NotificationText) => Promise<void>;
  /** Current settings: futures alert settings (hysteresis, cooldown, staleness) and the margin levels. */
  settings: () => { alerts: AlertSettings; marginAlerts: { levels: number[]; liquidation: number }; notifications: boolean };
  /** Persist every record (called after each evaluation that changed something, before notices). */
  save: (records: Record<string, MarginAccountRecord>) => Promise<void>;
  /** The toolbar badge should be re-rendered. */
  badgeChanged: () => void;
  WebSocket?: unknown;
  backoff?: Partial<{ minMs: number; maxMs: number; factor: number; jitterMs: number }>;
}

const LABELS = { cross: 'Binance Cross Margin', isolated: 'Binance Isolated Margin' } as const;

/** Notification text for a margin notice. */
export function marginNoticeText(n: Notice, label: string, risk: SpotMarginRisk | null, liquidation: number): NotificationText {
  const levelNow = risk?.marginLevel ?? null;
  const liqLine = firstLiquidationLine(risk);
  if (n.kind === 'level') {
    const at = marginLevelOfRisk(n.level, liquidation);
    const shown = marginLevelText(marginLevelOfRisk(n.riskRatio, liquidation));
    return {
      title: `${label}: margin level ${shown}${n.top ? ' — near liquidation' : ''}`,
      message: [
        `Margin level ${shown} is at or below your alert level ${marginLevelText(at)} (liquidation at ${liquidation}).`,
        n.source === 'exchange' ? `The exchange shows ${shown}; ours is ${marginLevelText(levelNow)}.` : null,
        liqLine,
      ].filter(Boolean).join(' '),
      requireInteraction: n.top,
      priority: n.top ? 2 : 1,
    };
  }
  if (n.kind === 'position') {
    const p = n.position;
    return {
      title: `${label}: ${p.symbol} near its liquidation price`,
      message: `${p.symbol} at ${p.markPrice ?? '?'} liquidates the account at ${p.liquidationPrice ?? '?'} (${p.distanceToLiquidation === null ? '?' : (p.distanceToLiquidation * 100).toFixed(1)} % away).`,
      requireInteraction: true,
      priority: 2,
    };
  }
  return { title: `${label}: monitoring stopped`, message: n.reason, requireInteraction: true, priority: 2 };
}

function firstLiquidationLine(risk: SpotMarginRisk | null): string | null {
  if (!risk) return null;
  if (risk.mode === 'cross') {
    if (risk.firstToLiquidate === null) return null;
    const a = risk.assets[risk.firstToLiquidate]!;
    return `${a.asset} liquidates the account at ${a.liquidationPrice} (${a.distanceToLiquidation === null ? '?' : (Number(a.distanceToLiquidation) * 100).toFixed(1)} % away).`;
  }
  const w = risk.worstPair === null ? null : risk.pairs[risk.worstPair]!;
  return w && w.liquidationPrice ? `${w.symbol} liquidates at ${w.liquidationPrice}.` : null;
}

/** The spot margin monitor. */
export class MarginWatch {
  private readonly records: Record<string, MarginAccountRecord> = {};
  private readonly feed: SpotPriceFeed;
  private chain: Promise<void> = Promise.resolve();
  private evalPending = false;

  constructor(private readonly deps: MarginWatchDeps) {
    this.feed = new SpotPriceFeed({
      now: deps.now,
      onPrices: () => this.schedule(),
      WebSocket: deps.WebSocket,
      backoff: deps.backoff,
    });
  }

  /** Every record, by key (read-only). */
  get accounts(): Readonly<Record<string, Readonly<MarginAccountRecord>>> {
    return this.records;
  }

  /** Restore stored records (worker restart): alert states continue. */
  load(stored: Record<string, MarginAccountRecord> | null | undefined): void {
    for (const [k, r] of Object.entries(stored ?? {})) if (r && typeof r === 'object' && r.key === k) this.records[k] = r;
    this.syncStreams();
  }

  /** Handle one `margin-read` message. */
  async handleRead(msg: unknown, sender: SenderLike): Promise<MarginReadReply> {
    const problem = marginSenderProblem(sender, this.deps.extensionId, MARGIN_PAGE_HOST);
    if (problem) return { ok: false, error: `refused: ${problem}` };
    const m = (typeof msg === 'object' && msg !== null ? msg : {}) as { snapshot?: unknown; health?: unknown };
    const health = sanitizeMarginHealth(m.health);
    if (m.snapshot == null) {
      // Not recognised: a known account keeps its last snapshot but says so.
      for (const r of Object.values(this.records)) if (r.tabId === sender.tab?.id) r.health = health;
      return { ok: true };
    }
    const parsed = safeParseSpotMarginSnapshot(m.snapshot);
    if (!parsed.ok) return { ok: false, error: `snapshot rejected: ${parsed.errors.map((e) => e.message).join('; ').slice(0, 300)}` };
    const snap = parsed.snapshot;
    const key = `binance-margin:${snap.mode}`;
    const prev = this.records[key];
    const now = this.deps.now();
    this.records[key] = {
      key,
      label: LABELS[snap.mode],
      mode: snap.mode,
      snapshot: snap,
      health,
      snapshotAt: now,
      risk: prev?.risk ?? null,
      pricesMissing: prev?.pricesMissing ?? [],
      oldestPriceAt: prev?.oldestPriceAt ?? null,
      liquidation: prev?.liquidation ?? this.deps.settings().marginAlerts.liquidation,
      alert: prev?.alert ?? initialAlertState(),
      stale: prev?.stale ?? null,
      tabId: sender.tab?.id ?? null,
      url: sender.url ?? null,
      evaluatedAt: prev?.evaluatedAt ?? 0,
    };
    this.syncStreams();
    await this.evaluate(key);
    return { ok: true };
  }

  /** Evaluate every account (prices arrived, settings changed, watchdog). */
  evaluateAll(): Promise<void> {
    for (const k of Object.keys(this.records)) void this.evaluate(k);
    return this.chain;
  }

  /** Evaluate one account at the live prices and step its alert machine (serialized). */
  evaluate(key: string): Promise<void> {
    this.chain = this.chain.then(() => this.evaluateNow(key)).catch((e) => console.error('[margin] evaluation failed', key, e));
    return this.chain;
  }

  private schedule(): void {
    if (this.evalPending) return;
    this.evalPending = true;
    queueMicrotask(() => {
      this.evalPending = false;
      void this.evaluateAll();
    });
  }

  private async evaluateNow(key: string): Promise<void> {
    const r = this.records[key];
    if (!r || !r.snapshot) return;
    const now = this.deps.now();
    const s = this.deps.settings();
    // The account's own liquidation bar when the page gave one, else the user's line.
    const thresholds = r.snapshot.thresholds?.liquidation ? r.snapshot.thresholds : { ...r.snapshot.thresholds, liquidation: String(s.marginAlerts.liquidation) };
    const snap: SpotMarginSnapshot = { ...r.snapshot, thresholds };
    const priced = pricedSnapshot(snap, (sym) => this.feed.price(sym));
    let risk: SpotMarginRisk | null = null;
    let engineError: string | undefined;
    try {
      risk = evaluateSpotMargin(priced.snapshot);
    } catch (e) {
      engineError = e instanceof Error ? e.message : String(e);
    }
    const liquidation = Number(thresholds.liquidation);
    const shownFresh = now - r.snapshotAt <= MARGIN_SHOWN_MAX_AGE_MS;
    const unreadable = r.snapshot.unread?.length ? `the page lists ${r.snapshot.unread.join(', ')} but they could not be read` : undefined;
    const input = marginAlertInput(risk, liquidation, {
      now,
      // A closed tab no longer owes page reads (as for futures accounts): the stream keeps pricing the last balances.
      snapshotAt: r.tabId === null ? now : r.snapshotAt,
      oldestPriceAt: priced.oldestPriceAt,
      pricesExpectedSince: priced.missing.length ? this.feed.subscribedSince() : null,
      shownFresh,
      ...(engineError ? { engineError } : {}),
      ...(unreadable ? { positionsUnreadable: unreadable } : {}),
    });
    const settings = marginMachineSettings(s.alerts, s.marginAlerts, liquidation);
    const res = step(r.alert, input, settings, now);
    Object.assign(r, {
      risk,
      pricesMissing: priced.missing,
      oldestPriceAt: priced.oldestPriceAt,
      liquidation,
      alert: res.state,
      stale: res.state.stale.active ? res.state.stale.reason : null,
      evaluatedAt: now,
    });
    await this.deps.save({ ...this.records });
    this.deps.badgeChanged();
    if (!s.notifications) return;
    for (const n of res.notices) {
      const detail = n.kind === 'level' ? String(n.level) : n.kind === 'position' ? n.position.key : 'stale';
      await this.deps.notify(`ms|${key}|${n.kind}|${detail}`, marginNoticeText(n, r.label, risk, liquidation)).catch((e) => console.error('[margin] notify failed', e));
    }
  }

  /** The on-page overlay's margin accounts for a page host (only www.binance.com has any) and the one read in `tabId`. */
  overlayAccounts(host: string, tabId: number | null, collapsed: boolean): { accounts: OverlayAccount[]; pageAccount: string | null; elevated: boolean } {
    if (host !== MARGIN_PAGE_HOST) return { accounts: [], pageAccount: null, elevated: false };
    const m = this.deps.settings().marginAlerts;
    const list = Object.values(this.records).sort((a, b) => a.label.localeCompare(b.label));
    const accounts = list.map((r) => marginOverlayAccount(r, m, collapsed));
    const own = tabId === null ? undefined : list.find((r) => r.tabId === tabId);
    return { accounts, pageAccount: own?.key ?? null, elevated: accounts.some((a) => a.badge.band !== 'ok') };
  }

  /** The accounts as the toolbar badge sees them (margin level shown as the exchange shows it). */
  badgeAccounts(): BadgeAccount[] {
    const s = this.deps.settings();
    return Object.values(this.records).map((r) => {
      const settings = marginMachineSettings(s.alerts, s.marginAlerts, r.liquidation);
      const hasDebt = r.risk ? r.alert.ratio !== 0 : true;
      return {
        label: r.label,
        levels: settings.levels,
        positionDistance: settings.positionDistance,
        ratio: r.alert.ratio ?? null,
        ratioSource: r.alert.ratioSource ?? 'engine',
        liquidated: r.risk?.liquidated ?? null,
        hasCross: hasDebt,
        isolated: [],
        stale: r.stale,
        positionsUnreadable: r.snapshot?.unread?.length ? `${r.label}: ${r.snapshot.unread.join(', ')} not read` : null,
        marginLevelLiquidation: r.liquidation,
      };
    });
  }

  private syncStreams(): void {
    const syms = new Set<string>();
    for (const r of Object.values(this.records)) if (r.snapshot) for (const s of spotSymbolsOf(r.snapshot)) syms.add(s);
    this.feed.sync([...syms]);
  }

  /** Watchdog: reconnect the price stream, re-evaluate (staleness advances with the clock). */
  async watchdog(): Promise<void> {
    this.feed.ensureConnected();
    await this.evaluateAll();
  }

  /** A closed tab: its accounts stay (prices keep them live) but no longer owe page reads. */
  tabClosed(tabId: number): void {
    for (const r of Object.values(this.records)) if (r.tabId === tabId) r.tabId = null;
  }

  setOverride(o: EndpointOverride | null): void {
    this.feed.setOverride(o);
  }

  stop(): void {
    this.feed.stop();
  }
}

/** Bounded copy of a reader health from a message (unknown input). */
export function sanitizeMarginHealth(h: unknown): MarginReaderHealth | null {
  if (typeof h !== 'object' || h === null) return null;
  const x = h as Record<string, unknown>;
  const strs = (v: unknown) => (Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string').slice(0, 50).map((s) => s.slice(0, 200)) : []);
  const status = x.status === 'ok' || x.status === 'partial' || x.status === 'unrecognized' ? x.status : 'unrecognized';
  return {
    exchange: 'binance-margin',
    mode: x.mode === 'cross' || x.mode === 'isolated' ? x.mode : null,
    status,
    url: typeof x.url === 'string' ? x.url.slice(0, 2048) : '',
    readAt: typeof x.readAt === 'number' && Number.isFinite(x.readAt) ? x.readAt : 0,
    found: strs(x.found),
    missing: strs(x.missing),
    problems: strs(x.problems),
    complete: x.complete === true,
  };
}
