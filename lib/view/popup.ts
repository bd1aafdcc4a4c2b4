/**
 * View model of the popup: what the views render, built from the background's storage items
 * (lib/storage.ts) by one pure function, {@link buildPopupModel}, so every state can be tested
 * without a browser. The views never compute margin: `risk` is the background's engine output;
 * what-if and stress are computed by the background too (`what-if` / `stress` messages, on the
 * monitor's own input), so the popup bundles no engine code, decimal.js or tier tables, and reads
 * no tier cache. Staleness and colour bands are judged
 * with each account's own alert settings (`alertSettingsFor`: the global ones with the account's
 * `perAccount` overrides), exactly as the background judges it.
 *
 * Times are ms since the Unix epoch; ratios are decimal-string fractions.
 */
import type { AccountSnapshot } from '../engine/snapshot';
import { EXCHANGE_NAMES, type ExchangeId } from '../engine/exchanges';
import type { AccountRisk } from '../engine/types';
import { pageUnrecognized, type ReaderHealth } from '../exchanges/health';
import type { AlertSettings } from '../alerts/machine';
import type { DisplayConvention } from '../alerts/thresholds';
import type { StreamStatus } from '../exchanges/common/stream';
import { alertSettingsFor } from '../settings/defaults';
import type { UserSettings } from '../settings/schema';
import type { AccountRecord, MonitorProblems, RatioSample, TierSourceUsed } from '../storage/records';
import { storageProblemText } from '../storage/problems';
import { formatAge } from './format';

/** Everything the popup reads from storage, as stored. */
export interface PopupSources {
  accounts: Record<string, AccountRecord>;
  history: Record<string, RatioSample[]>;
  streams: Partial<Record<ExchangeId, StreamStatus>>;
  settings: UserSettings;
  problems: MonitorProblems;
}

/** Price-stream condition for one account. `none`: no stream status stored (worker not started, or no position needs one). */
export interface StreamView {
  state: StreamStatus['state'] | 'none';
  lastMarkAt: number | null;
  lastError: string | null;
}

/** Data status of an account, worst first. */
export type DataStatus = 'unrecognized' | 'stale' | 'disconnected' | 'partial' | 'waiting' | 'live';

/** One monitored account, ready to render. */
export interface AccountView {
  key: string;
  exchange: ExchangeId;
  /** e.g. "Bybit" or "Hyperliquid 0x12ab…9f". */
  label: string;
  /** Account kind, e.g. "USDT-margined · cross · one-way". */
  kind: string;
  risk: AccountRisk | null;
  /** The page snapshot the background evaluates (its positions name the what-if and stress forms' symbols), or null. */
  snapshot: AccountSnapshot | null;
  /**
   * Changes whenever the background's evaluation input changes (page read, live marks, tier tables
   * in use): what-if and stress re-ask the background then, not on every clock tick.
   */
  inputVersion: string;
  /** Symbols whose stream mark and page mark disagree by over 5 % (the background evaluates at the worse), from its last evaluation. */
  markDisagreements: readonly { symbol: string; stream: string; page: string }[];
  tierSources: Record<string, TierSourceUsed>;
  health: ReaderHealth | null;
  stream: StreamView;
  /** When the page was last read. */
  snapshotAt: number | null;
  /** When the risk was last computed (last price tick or page read). */
  riskAt: number | null;
  /** Newest live mark time among held symbols, or null. */
  lastMarkAt: number | null;
  /** Why monitoring cannot see the account (from the background, or found here: data too old). */
  stale: string | null;
  status: DataStatus;
  /** Ratio samples of the last hour (normalized risk ratio, fraction). */
  history: RatioSample[];
  /**
   * The alert settings the background applies to this account: the global ones with its
   * per-account overrides (`alertSettingsFor`), as the worker judges it.
   */
  alerts: AlertSettings;
  /** This account's alert levels on the normalized risk ratio (fractions), sorted ascending. */
  levels: number[];
  /** Per position, the stop that would close it and whether it fires before liquidation (from the worker), or null. */
  stops: AccountRecord['stops'] | null;
  /** Liquidation in σ and the 24 h touch probability (from the worker), or null. */
  odds: AccountRecord['odds'] | null;
}

export interface PopupModel {
  /** False until storage has been read once (render nothing alarming before that). */
  loaded: boolean;
  now: number;
  /** Accounts by label; each carries its own alert settings (per-account overrides applied). */
  accounts: AccountView[];
  display: DisplayConvention;
  /** Problems the user must see: settings that could not be loaded, stored state found damaged and set aside. */
  problems: string[];
}

/** "USDT-margined · cross · one-way" from a snapshot. */
export function accountKind(s: AccountSnapshot | null, exchange: ExchangeId): string {
  const parts: string[] = [];
  const inverse = exchange === 'binance-coinm' || s?.positions.some((p) => p.contract === 'inverse');
  parts.push(inverse ? 'coin-margined' : exchange === 'hyperliquid' ? 'USDC perps' : 'USDT-margined');
  if (s) {
    const modes = [...new Set(s.positions.map((p) => p.marginMode))];
    if (modes.length) parts.push(modes.join(' + '));
    parts.push(s.positionMode);
  }
  return parts.join(' · ');
}

function streamView(st: StreamStatus | undefined): StreamView {
  if (!st) return { state: 'none', lastMarkAt: null, lastError: null };
  return { state: st.state, lastMarkAt: st.lastMarkAt, lastError: st.lastError };
}

/**
 * Build the view model. Pure.
 * @param now ms epoch (ages and staleness are relative to it)
 */
export function buildPopupModel(src: PopupSources, now: number, loaded = true): PopupModel {
  const accounts = Object.values(src.accounts)
    .sort((a, b) => a.label.localeCompare(b.label))
    .map((r): AccountView => {
      // The account's own limits and levels, as the background applies them (per-account overrides).
      const alerts = alertSettingsFor(src.settings, r.key);
      const markTimes = Object.values(r.marks ?? {}).map((m) => m.time);
      const lastMarkAt = markTimes.length ? Math.max(...markTimes) : null;
      const held = (r.snapshot?.positions.length ?? 0) > 0;
      const stream = streamView(src.streams[r.exchange]);
      let stale = r.stale;
      const dataAt = r.riskAt ?? r.snapshotAt;
      // The background re-evaluates on every tick and at least every 30 s (watchdog alarm); silence
      // beyond this account's price limit plus one watchdog period means it stopped writing.
      if (!stale && held && dataAt !== null && now - dataAt > alerts.priceMaxAgeMs + 30_000) {
        stale = `no update for ${Math.round((now - dataAt) / 1000)} s (background not running?)`;
      }
      let status: DataStatus;
      if (pageUnrecognized(r)) status = 'unrecognized';
      else if (stale) status = 'stale';
      else if (held && stream.state !== 'open') status = 'disconnected';
      else if (r.health?.status === 'partial') status = 'partial';
      else if (r.risk === null) status = 'waiting';
      else status = 'live';
      return {
        key: r.key,
        exchange: r.exchange,
        label: r.label || EXCHANGE_NAMES[r.exchange],
        kind: accountKind(r.snapshot, r.exchange),
        risk: r.risk,
        snapshot: r.snapshot,
        markDisagreements: r.markDisagreements ?? [],
        inputVersion: JSON.stringify([r.snapshotAt, Object.entries(r.marks ?? {}).map(([sym, m]) => [sym, m.price]), r.tierSources ?? {}]),
        tierSources: r.tierSources ?? {},
        health: r.health,
        stream,
        snapshotAt: r.snapshotAt,
        riskAt: r.riskAt,
        lastMarkAt,
        stale,
        status,
        history: (src.history[r.key] ?? []).filter((s) => now - s.t <= 3_600_000),
        alerts,
        levels: [...alerts.levels].sort((a, b) => a - b),
        stops: r.stops ?? null,
        odds: r.odds ?? null,
      };
    });
  const problems: string[] = [];
  if (src.problems.settings) problems.push(`Settings could not be loaded: ${src.problems.settings}. Running on defaults; your saved settings are kept.`);
  const damaged = storageProblemText(src.problems, (at) => formatAge(now - at));
  if (damaged) problems.push(damaged);
  return {
    loaded,
    now,
    accounts,
    display: src.settings.display,
    problems,
  };
}
