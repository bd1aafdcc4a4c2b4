/**
 * What the on-page overlay shows, as plain data: built in the background from the account records
 * (lib/background/overlay-feed.ts) and posted to the overlay on the feed (lib/protocol/overlay-feed.ts),
 * where the overlay only judges the data status against its own clock ({@link overlayStatus}) and
 * renders. Pure, no Preact, no decimal.js: the background and the overlay content script import it.
 */
import { PAGE_HOSTS } from '../exchanges/endpoints';
import { pageUnrecognized } from '../exchanges/health';
import type { AccountRecord } from '../storage/records';
import { bandOfRisk } from '../alerts/bands';
import { FEED_QUIET_STALE_MS, FEED_SILENT_STALE_MS, type BadgeView, type OverlayAccount, type OverlayPlacement, type StatusInput } from '../protocol/overlay-feed';
import { exchangeFigureOld, exchangeFigureSource, formatAge, formatPercent, formatPrice, UNKNOWN } from './format';
import { noneFor } from './reasons';
import { oddsView, stopView, stopWarnings } from './stops';

/** Where the badge sits until the user moves it: 16 px from the viewport's left and bottom edges (away from order forms), collapsed. */
export const DEFAULT_PLACEMENT: OverlayPlacement = { left: 16, bottom: 16, collapsed: true };

/** Data status of an account on the badge. */
export type OverlayStatus = 'live' | 'stale' | 'unrecognized' | 'waiting';

/** The status input of a stored account record (see {@link StatusInput}). */
export function statusInputOf(r: AccountRecord): StatusInput {
  const unrecognized = pageUnrecognized(r) ? `page not recognised${r.health?.missing.length ? ` (missing: ${r.health.missing.join(', ')})` : ''}` : null;
  return { unrecognized, stale: r.stale, at: r.riskAt ?? r.snapshotAt, evaluated: r.risk !== null };
}

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
 * Decimals of a percent in the ratio's tooltip (`MM / margin balance: 3.46 %`). Two, not every
 * digit: the feed posts the overlay whenever a shown text changes, and a finer tooltip would
 * change with nearly every price tick.
 */
export const RATIO_TITLE_DECIMALS = 2;

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
  const warnings = stopWarnings(r.stops);
  return {
    ...(warnings.length > 0 && {
      stopWarning: { text: warnings.length === 1 ? `⚠ ${warnings[0]!.split(': ').slice(1).join(': ')}` : `⚠ ${warnings.length} positions: stop-loss missing or beyond liquidation`, title: warnings.join('\n') },
    }),
    key: r.key,
    name: r.label,
    band: bandOfRisk(risk, levels),
    ratio: {
      text: risk?.marginRatio ? formatPercent(risk.marginRatio, 1) : UNKNOWN,
      title: risk?.marginRatio ? `${risk.marginRatioConvention.definition}: ${formatPercent(risk.marginRatio, RATIO_TITLE_DECIMALS)}` : ratioWhy,
    },
    dist: {
      text: worst ? `liq ${formatPercent(worst.distanceToLiquidation, 1)} away` : risk && risk.positions.length ? 'no liq. price' : 'no positions',
      title: worst ? `${worst.symbol} ${worst.side} is nearest to liquidation` : 'no position near liquidation',
    },
    rows: (collapsed ? [] : (risk?.positions ?? [])).map((p, i) => {
      const sv = stopView(r.stops?.find((x) => x.position === i));
      const ov = oddsView(r.odds?.positions.find((x) => x.position === i));
      const rec = p.reconciliation.find((x) => x.field === 'liquidationPrice');
      const readAt = r.snapshot?.source?.readAt ?? r.snapshotAt;
      const pageMark = r.snapshot?.positions.find((q) => q.symbol === p.symbol && q.side === p.side && q.marginMode === p.marginMode)?.markPrice ?? null;
      const why = p.reasons.find((x) => x.field === 'liquidationPrice')?.reason;
      // "none": no liquidation price exists (the engine's flag: e.g. margin covers a fall to 0), which is not "unknown"
      const none = p.liquidationPrice === null && noneFor(p.reasons, 'liquidationPrice');
      return {
        key: `${p.symbol}|${p.side}|${p.marginMode}`,
        symbol: p.symbol,
        side: p.side,
        liq: liquidationCell(p.liquidationPrice, p.liquidationPriceDisplayed, none, why),
        theirs: {
          text: rec ? `${formatPrice(rec.theirs)}${rec.mismatch ? ' ⚠' : ''}` : '—',
          mismatch: !!rec?.mismatch,
          old: !!rec && exchangeFigureOld(readAt, r.riskAt),
          title: rec ? `${exchangeFigureSource(readAt, pageMark)}${rec.mismatch ? `; differs from ours at that mark beyond ${rec.tolerance}` : ''}` : undefined,
        },
        dist: { text: none ? 'none' : formatPercent(p.distanceToLiquidation, 1), title: p.distanceToLiquidation === null ? why : undefined },
        stop: { text: `${sv.text}${sv.partial ? ` (${sv.partial})` : ''}`, tone: sv.tone, title: sv.title },
        odds: { text: ov.text, title: ov.title },
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

/**
 * The liquidation-price cell: the price as the exchange prints it (on its tick, toward the mark:
 * lib/engine/ticks.ts) so it reads the same as the exchange page, with the exact solved price in the title.
 * @param raw the engine's solved liquidation price (decimal string), null when none or unknown
 * @param printed the same rounded as the exchange prints it, null when no tick is known (then the raw one shows)
 * @param none the engine flags that no liquidation price exists ("none", not "unknown")
 * @param why the engine's reason when raw is null
 */
export function liquidationCell(raw: string | null, printed: string | null, none: boolean, why: string | undefined): { text: string; title: string | undefined } {
  if (!raw) return { text: none ? 'none' : UNKNOWN, title: why };
  const shown = printed ?? raw;
  return { text: formatPrice(shown), title: shown === raw ? raw : `${raw} solved; ${shown} as the exchange prints it (its tick, toward the mark)` };
}
