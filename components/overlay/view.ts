/**
 * What the on-page overlay shows, as plain data: built in the background from the account records
 * (lib/background/overlay-feed.ts) and sent to the overlay, which only evaluates the data status
 * against its own clock and renders. Pure, no Preact: the background imports it.
 */
import { PAGE_HOSTS } from '../../lib/exchanges/endpoints';
import { pageUnrecognized } from '../../lib/exchanges/health';
import type { AccountRecord } from '../../lib/storage';
import { bandOf } from '../../lib/alerts/bands';
import { exchangeFigureOld, exchangeFigureSource, formatAge, formatPercent, formatPrice, UNKNOWN } from '../format';

/** Where the badge sits: px from the viewport's left and bottom edges (bottom-left by default, away from order forms). */
export interface OverlayPlacement {
  left: number;
  bottom: number;
  collapsed: boolean;
}
export const DEFAULT_PLACEMENT: OverlayPlacement = { left: 16, bottom: 16, collapsed: true };

export type OverlayStatus = 'live' | 'stale' | 'unrecognized' | 'waiting';

/**
 * What the data status of an account depends on, as the background sees it
 * (lib/background/overlay-feed.ts); the overlay adds its own check that the background still
 * answers ({@link overlayStatus}).
 */
export interface StatusInput {
  /** "page not recognised…" text when the page reader could not read the page, else null. */
  unrecognized: string | null;
  /** Why monitoring cannot see this account (the background's `stale`), or null. */
  stale: string | null;
  /** Time of the latest evaluation (or page read), ms epoch, for the age in a stale text; null before the first. */
  at: number | null;
  /** Whether a risk evaluation exists. */
  evaluated: boolean;
}

/** The status input of a stored account record (see {@link StatusInput}). */
export function statusInputOf(r: AccountRecord): StatusInput {
  const unrecognized = pageUnrecognized(r) ? `page not recognised${r.health?.missing.length ? ` (missing: ${r.health.missing.join(', ')})` : ''}` : null;
  return { unrecognized, stale: r.stale, at: r.riskAt ?? r.snapshotAt, evaluated: r.risk !== null };
}

/** How long the overlay's feed may be closed before every account shows stale (ms): a worker restart reconnects well within it. */
export const FEED_SILENT_STALE_MS = 5_000;
/** The background posts each overlay at least this often (ms), from its 30 s watchdog: proof that the monitor runs. */
export const FEED_HEARTBEAT_MS = 60_000;
/** How long an open feed may stay silent before every account shows stale (ms): heartbeat + watchdog period + slack. */
export const FEED_QUIET_STALE_MS = 150_000;

/** The overlay's view of its feed: when it closed (ms epoch, null while open) and when the last message came. */
export interface FeedState {
  lostAt: number | null;
  heardAt: number;
}

/**
 * Data status for the badge, with a short text, at time `now` (ms epoch). Besides the
 * background's own verdicts (page not recognised; stale: prices stopped, page not read…), the
 * account is stale when the feed from the background has been closed for more than
 * {@link FEED_SILENT_STALE_MS} or silent for more than {@link FEED_QUIET_STALE_MS}: the monitor
 * is then not running, and the last figures shown are not being watched. "live" carries no
 * age: the overlay is sent only the changes it shows (the popup shows ages).
 */
export function overlayStatus(s: StatusInput, now: number, feed: FeedState): { status: OverlayStatus; text: string } {
  const silentSince = feed.lostAt !== null && now - feed.lostAt > FEED_SILENT_STALE_MS ? feed.lostAt : now - feed.heardAt > FEED_QUIET_STALE_MS ? feed.heardAt : null;
  if (silentSince !== null) return { status: 'stale', text: `stale: the monitor has not answered for ${formatAge(now - silentSince)}` };
  if (s.unrecognized !== null) return { status: 'unrecognized', text: s.unrecognized };
  if (s.stale) return { status: 'stale', text: `stale${s.at !== null ? ` ${formatAge(now - s.at)}` : ''}: ${s.stale}` };
  if (!s.evaluated) return { status: 'waiting', text: 'waiting for data' };
  return { status: 'live', text: 'live' };
}

/**
 * Everything one account's badge shows that does not move with the clock, as text (the data
 * status is evaluated against the clock on the page: {@link overlayStatus}).
 */
export interface BadgeView {
  key: string;
  name: string;
  band: string;
  ratio: { text: string; title: string };
  dist: { text: string; title: string };
  rows: {
    key: string;
    symbol: string;
    side: string;
    liq: { text: string; title: string | undefined };
    /** The exchange's own figure from the last page read; `old` when that read is older than our evaluation (see `exchangeFigureOld`). */
    theirs: { text: string; mismatch: boolean; old: boolean; title: string | undefined };
    dist: { text: string; title: string | undefined };
  }[];
}

/**
 * Decimals of a percent in the ratio's tooltip (`MM / margin balance: 3.46 %`). Two, not every
 * digit: the feed posts the overlay whenever a shown text changes, and a finer tooltip would
 * change with nearly every price tick.
 */
export const RATIO_TITLE_DECIMALS = 2;

/** What the overlay is sent for one account: its badge texts and its status input. */
export interface OverlayAccount {
  badge: BadgeView;
  status: StatusInput;
}

/**
 * The overlay's view of a stored account record, with the user's alert `levels` (fractions) for
 * the band colour; without the position rows when the badge is `collapsed` (pure).
 */
export function overlayAccountOf(r: AccountRecord, levels: readonly number[], collapsed = false): OverlayAccount {
  return { badge: badgeView(r, levels, collapsed), status: statusInputOf(r) };
}

/** The badge's texts for one account record (pure; `levels` are the alert levels as fractions; no rows when `collapsed`). */
export function badgeView(r: AccountRecord, levels: readonly number[], collapsed = false): BadgeView {
  const risk = r.risk;
  const worst = risk && risk.firstToLiquidate !== null ? risk.positions[risk.firstToLiquidate] : undefined;
  const ratioWhy = risk?.reasons.find((x) => x.field === 'marginRatio' || x.field === 'riskRatio')?.reason ?? 'not computed yet';
  return {
    key: r.key,
    name: r.label,
    band: bandOf(risk?.riskRatio ?? null, levels),
    ratio: {
      text: risk?.marginRatio ? formatPercent(risk.marginRatio, 1) : UNKNOWN,
      title: risk?.marginRatio ? `${risk.marginRatioConvention.definition}: ${formatPercent(risk.marginRatio, RATIO_TITLE_DECIMALS)}` : ratioWhy,
    },
    dist: {
      text: worst ? `liq ${formatPercent(worst.distanceToLiquidation, 1)} away` : risk && risk.positions.length ? 'no liq. price' : 'no positions',
      title: worst ? `${worst.symbol} ${worst.side} is nearest to liquidation` : 'no position near liquidation',
    },
    rows: (collapsed ? [] : (risk?.positions ?? [])).map((p) => {
      const rec = p.reconciliation.find((x) => x.field === 'liquidationPrice');
      const readAt = r.snapshot?.source?.readAt ?? r.snapshotAt;
      const pageMark = r.snapshot?.positions.find((q) => q.symbol === p.symbol && q.side === p.side && q.marginMode === p.marginMode)?.markPrice ?? null;
      const liqReason = p.reasons.find((x) => x.field === 'liquidationPrice');
      const why = liqReason?.reason;
      // "none": no liquidation price exists (e.g. margin covers a fall to 0), which is not "unknown"
      const none = p.liquidationPrice === null && (liqReason?.none === true || /no liquidation price|^fully hedged/.test(why ?? ''));
      return {
        key: `${p.symbol}|${p.side}|${p.marginMode}`,
        symbol: p.symbol,
        side: p.side,
        liq: { text: p.liquidationPrice ? formatPrice(p.liquidationPrice) : none ? 'none' : UNKNOWN, title: p.liquidationPrice ?? why },
        theirs: {
          text: rec ? `${formatPrice(rec.theirs)}${rec.mismatch ? ' ⚠' : ''}` : '—',
          mismatch: !!rec?.mismatch,
          old: !!rec && exchangeFigureOld(readAt, r.riskAt),
          title: rec ? `${exchangeFigureSource(readAt, pageMark)}${rec.mismatch ? `; differs from ours at that mark beyond ${rec.tolerance}` : ''}` : undefined,
        },
        dist: { text: none ? 'none' : formatPercent(p.distanceToLiquidation, 1), title: p.distanceToLiquidation === null ? why : undefined },
      };
    }),
  };
}


/** Records shown on a page: those read from this host (Hyperliquid address-watched accounts too, on Hyperliquid), by label. */
export function accountsForHost(all: Record<string, AccountRecord> | null, host: string): AccountRecord[] {
  return Object.values(all ?? {})
    .filter((r) => PAGE_HOSTS[r.exchange] === host)
    .sort((a, b) => a.label.localeCompare(b.label));
}

/** Name of the runtime port the overlay opens to the background (lib/background/overlay-feed.ts). */
export const OVERLAY_PORT = 'ms-overlay';

/** What the background posts on an overlay port: everything the overlay on one exchange page host shows. */
export interface OverlayFeedMessage {
  type: 'overlay-feed';
  /** This host's accounts, by label (position rows only while the badge is expanded). */
  accounts: OverlayAccount[];
  /** Where the user put the badge. */
  placement: OverlayPlacement;
}

/**
 * Shape check of a message on the overlay port (it can only come from our background, but a
 * message we do not understand must not break the page): the fields the overlay reads.
 */
export function isOverlayFeedMessage(m: unknown): m is OverlayFeedMessage {
  const x = m as Partial<OverlayFeedMessage> | null;
  const p = x?.placement;
  return (
    x?.type === 'overlay-feed' &&
    Array.isArray(x.accounts) &&
    x.accounts.every((a) => typeof a?.badge?.key === 'string' && Array.isArray(a.badge.rows) && typeof a.status === 'object' && a.status !== null) &&
    typeof p?.left === 'number' &&
    typeof p.bottom === 'number' &&
    typeof p.collapsed === 'boolean'
  );
}
