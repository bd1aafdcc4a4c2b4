/**
 * Notice → notification text and badge text/colour. Pure.
 */
import type { AccountRisk, RatioConvention } from '../engine/types';
import { BAND_COLORS, bandOf } from './bands';
import type { Notice } from './machine';
import { percentNumberText, levelLabel, toDisplayPercent, type DisplayConvention } from './thresholds';

/** Exchange names as users know them (defined once, in lib/engine/exchanges.ts). */
export { EXCHANGE_NAMES } from '../engine/exchanges';

/** What a notification shows; `requireInteraction` keeps it on screen until dismissed. */
export interface NotificationText {
  title: string;
  message: string;
  requireInteraction: boolean;
  /** chrome.notifications priority, 0…2 (negative values error outside ChromeOS). */
  priority: 0 | 1 | 2;
}

/** Ratio label in the convention the user chose, with the convention's name. */
export function ratioLabel(riskRatio: number | null, display: DisplayConvention, conv?: RatioConvention): string {
  const p = toDisplayPercent(riskRatio, display, conv);
  const name = display === 'margin-level' ? 'margin level' : display === 'risk-ratio' ? 'risk ratio' : 'margin ratio';
  return `${name} ${percentNumberText(p)}`;
}

/** The position nearest to liquidation, as "BTCUSDT long liquidates at 61,234.5 (4.2 % away)", or null. */
export function closestPositionText(risk: AccountRisk | null): string | null {
  if (!risk || risk.firstToLiquidate === null) return null;
  const p = risk.positions[risk.firstToLiquidate];
  if (!p) return null;
  const dist = p.distanceToLiquidation === null ? 'distance unknown' : `${percentNumberText(Number(p.distanceToLiquidation) * 100)} away`;
  return `${p.symbol} ${p.side} liquidates at ${p.liquidationPrice ?? 'unknown price'} (${dist})`;
}

/**
 * Text for one notice.
 * @param account e.g. "Bybit" or "Hyperliquid 0x12…ab"
 */
export function noticeText(
  notice: Notice,
  account: string,
  risk: AccountRisk | null,
  display: DisplayConvention,
): NotificationText {
  const conv = risk?.marginRatioConvention;
  switch (notice.kind) {
    case 'level': {
      const closest = closestPositionText(risk);
      const exchange = notice.source === 'exchange';
      // The exchange's own figure drove it: say so, and what we make of it.
      const ours = !exchange
        ? ''
        : notice.engineRatio === null || notice.engineRatio === undefined
          ? ' Our own estimate is unknown.'
          : ` Our estimate is ${ratioLabel(notice.engineRatio, display, conv)}${notice.disagreement ? ': the exchange sees more risk than we compute (tiers or personal brackets may differ)' : ''}.`;
      return {
        title: `${account}: ${exchange ? 'the exchange shows ' : ''}${ratioLabel(notice.riskRatio, display, conv)}${notice.top ? ' — near liquidation' : ''}`,
        message: `Crossed the ${levelLabel(notice.level, display, conv)} alert level.${ours}${closest ? ` ${closest}.` : ''}`,
        requireInteraction: notice.top,
        priority: notice.top ? 2 : 1,
      };
    }
    case 'position': {
      const p = notice.position;
      const dist = p.distanceToLiquidation === null ? 'unknown' : percentNumberText(p.distanceToLiquidation * 100);
      return {
        title: `${account}: ${p.symbol} ${p.side} ${dist} from liquidation`,
        message: `Liquidation price ${p.liquidationPrice ?? 'unknown'}, mark ${p.markPrice ?? 'unknown'} (alert under ${percentNumberText(notice.threshold * 100)}).`,
        requireInteraction: true,
        priority: 2,
      };
    }
    case 'stale':
      return {
        title: `${account}: monitoring stopped`,
        message: `Margin Sentinel can no longer see this account: ${notice.reason}. Alerts are paused until data is fresh again.`,
        requireInteraction: false,
        priority: 1,
      };
  }
}

/** Badge colours by state: the bands' colours (lib/alerts/bands.ts) plus `stale`. */
export const BADGE_COLORS = {
  ok: BAND_COLORS.ok,
  warn: BAND_COLORS.warn,
  high: BAND_COLORS.high,
  critical: BAND_COLORS.critical,
  stale: BAND_COLORS.unknown,
} as const;

/**
 * Badge for one account: text (e.g. "82%", or "STALE" when monitoring cannot see the account) and
 * colour by {@link bandOf} (the one band rule). `level` (the machine's `currentLevel`) is no longer
 * used for the colour; kept for callers. Prefer `toolbarBadge` (lib/alerts/badge.ts) for the toolbar.
 */
export function badgeFor(
  riskRatio: number | null,
  _level: number | null,
  levels: number[],
  stale: boolean,
  display: DisplayConvention,
  conv?: RatioConvention,
): { text: string; color: string } {
  if (stale) return { text: 'STALE', color: BADGE_COLORS.stale };
  if (riskRatio === null) return { text: '?', color: BADGE_COLORS.stale };
  const p = toDisplayPercent(riskRatio, display, conv);
  const text = p === null ? '?' : p >= 1000 ? '999+' : `${Math.round(p)}%`;
  return { text, color: BAND_COLORS[bandOf(riskRatio, levels)] };
}
