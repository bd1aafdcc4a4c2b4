/**
 * The toolbar badge from per-account facts. Pure: the background gathers the facts
 * ({@link badgeAccountOf} helps), this decides text, colour and title.
 *
 * Priority (worst first): any account in the `critical` band (the top level reached, liquidated,
 * or an isolated position nearer to liquidation than the position alert distance) → the worst
 * ratio in red, stale accounts listed in the title; else any stale account, or one whose open
 * positions could not be read → `STALE` in grey (title: every such account and why); else any
 * account whose ratio is unknown → `?` in grey; else the worst ratio coloured by its band
 * (lib/alerts/bands.ts). An account with only isolated positions is judged by its worst
 * isolated position (its own margin ratio and distance to liquidation), never by the empty
 * cross account's 0 %.
 */
import { marginLevelOfRisk, marginLevelText } from './margin';
import type { AccountRisk, RatioConvention } from '../engine/types';
import { BAND_COLORS, BAND_SEVERITY, bandOf, type Band } from './bands';
import { exchangeRiskRatio } from './input';
import type { RatioSource } from './machine';
import { percentNumberText, toDisplayPercent, type DisplayConvention } from './thresholds';

/** One isolated position as the badge sees it. */
export interface IsolatedPositionFact {
  symbol: string;
  side: 'long' | 'short';
  /** The position's own margin ratio on the normalized risk-ratio scale (fraction, 1 = liquidation), or null when unknown. */
  ratio: number | null;
  /** |mark − liquidation| / mark, fraction, or null when unknown. */
  distanceToLiquidation: number | null;
}

/** What the badge needs to know about one account. */
export interface BadgeAccount {
  label: string;
  /** The account's alert levels (fractions of the normalized risk ratio; `alertSettingsFor(settings, key).levels`). */
  levels: readonly number[];
  /** Position alert distance (fraction; 0 disables): an isolated position nearer than this is critical. */
  positionDistance: number;
  /** The exchange's ratio convention (display in the `exchange` convention); absent: lower-is-safer. */
  convention?: RatioConvention;
  /** The cross account's ratio alerted on (fraction, 1 = liquidation), or null when unknown. */
  ratio: number | null;
  /** Whose figure `ratio` is. */
  ratioSource: RatioSource;
  /** The engine reports the cross account at or past liquidation. */
  liquidated?: boolean | null;
  /** The account holds cross positions (its cross ratio then counts). */
  hasCross: boolean;
  /** Isolated positions held. */
  isolated: IsolatedPositionFact[];
  /** Why monitoring cannot see this account (the machine's `stale.reason`), or null. */
  stale: string | null;
  /** The page shows open positions that could not be read, or went silent (reason, a full sentence), or null. */
  positionsUnreadable?: string | null;
  /**
   * A spot margin account (lib/alerts/margin.ts): its ratio is liquidation level / margin level,
   * and the badge shows the margin level as the exchange does ("1.42") with the normalized risk in
   * the title. The value is the liquidation level used.
   */
  marginLevelLiquidation?: number;
}

/** Badge as the browser action shows it: text (≤ 4 characters), colour `#rrggbb`, tooltip title. */
export interface ToolbarBadge {
  text: string;
  color: string;
  title: string;
}

/** Display options for the badge. */
export interface BadgeSettings {
  display: DisplayConvention;
}

interface Judged {
  account: BadgeAccount;
  band: Band;
  /** Worst known ratio (fraction) among the cross ratio (when it counts) and the isolated positions, or null. */
  ratio: number | null;
  /** What the ratio is: the cross account's, or an isolated position. */
  line: string;
  stale: boolean;
}

/** The isolated positions of an engine result as badge facts (own ratio normalized with {@link exchangeRiskRatio}). */
export function isolatedFactsOf(risk: AccountRisk | null | undefined): IsolatedPositionFact[] {
  if (!risk) return [];
  return risk.positions
    .filter((p) => p.marginMode === 'isolated')
    .map((p) => ({
      symbol: p.symbol,
      side: p.side,
      ratio: exchangeRiskRatio(p.marginRatio, risk.marginRatioConvention),
      // A threshold comparison only (like bandOf); the figure shown elsewhere stays the decimal string.
      distanceToLiquidation: p.distanceToLiquidation === null ? null : Number(p.distanceToLiquidation),
    }));
}

/**
 * Badge facts of one account from what the background holds.
 * @param ratio the ratio alerted on (the machine state's `ratio`, or `alertRatio(risk)`), with its source.
 */
export function badgeAccountOf(a: {
  label: string;
  risk: AccountRisk | null;
  ratio: number | null;
  ratioSource: RatioSource;
  stale: string | null;
  positionsUnreadable?: string | null;
  levels: readonly number[];
  positionDistance: number;
  /** Positions in the page snapshot (used when the engine gave no result). */
  snapshotPositions?: readonly { marginMode: 'cross' | 'isolated' }[];
}): BadgeAccount {
  const modes = a.risk ? a.risk.positions.map((p) => p.marginMode) : (a.snapshotPositions ?? []).map((p) => p.marginMode);
  const isolated = isolatedFactsOf(a.risk);
  if (!a.risk) {
    // No engine result: isolated positions are known to exist but nothing about them is.
    for (const m of modes) if (m === 'isolated') isolated.push({ symbol: '?', side: 'long', ratio: null, distanceToLiquidation: null });
  }
  return {
    label: a.label,
    levels: a.levels,
    positionDistance: a.positionDistance,
    convention: a.risk?.marginRatioConvention,
    ratio: a.ratio,
    ratioSource: a.ratioSource,
    liquidated: a.risk?.liquidated ?? null,
    hasCross: modes.includes('cross'),
    isolated,
    stale: a.stale,
    positionsUnreadable: a.positionsUnreadable ?? null,
  };
}

function pct(ratio: number | null, display: DisplayConvention, conv?: RatioConvention): string {
  return percentNumberText(toDisplayPercent(ratio, display, conv));
}

function ratioName(display: DisplayConvention): string {
  return display === 'margin-level' ? 'margin level' : display === 'risk-ratio' ? 'risk ratio' : 'margin ratio';
}

function judge(a: BadgeAccount, s: BadgeSettings): Judged {
  const name = ratioName(s.display);
  let band = 'ok' as Band;
  let ratio: number | null = null;
  let line = `${a.label}: no ratio`;
  const worse = (b: Band) => {
    if (BAND_SEVERITY[b] > BAND_SEVERITY[band]) band = b;
  };
  // The cross ratio counts when there are cross positions, or when it is the exchange's own figure.
  if (a.hasCross || a.ratioSource === 'exchange') {
    worse(bandOf(a.ratio, a.levels, a.hasCross ? a.liquidated : null));
    ratio = a.ratio;
    line =
      a.marginLevelLiquidation !== undefined
        ? `${a.label}: ${a.ratioSource === 'exchange' ? 'the exchange shows ' : ''}margin level ${marginLevelText(a.ratio === null ? null : marginLevelOfRisk(a.ratio, a.marginLevelLiquidation) ?? Infinity)} (risk ${a.ratio === null ? '?' : percentNumberText(a.ratio * 100)}, liquidation at ${a.marginLevelLiquidation})`
        : `${a.label}: ${a.ratioSource === 'exchange' ? 'the exchange shows ' : ''}${name} ${pct(a.ratio, s.display, a.convention)}`;
  }
  for (const p of a.isolated) {
    const b = bandOf(p.ratio, a.levels);
    const near = p.distanceToLiquidation !== null && a.positionDistance > 0 && p.distanceToLiquidation < a.positionDistance;
    worse(near ? 'critical' : b);
    if (p.ratio !== null && (ratio === null || p.ratio > ratio)) {
      ratio = p.ratio;
      const dist = p.distanceToLiquidation === null ? '' : ` (${percentNumberText(p.distanceToLiquidation * 100)} from liquidation)`;
      line = `${a.label}: ${p.symbol} ${p.side} isolated ${name} ${pct(p.ratio, s.display, a.convention)}${dist}`;
    } else if (near && ratio === null) {
      line = `${a.label}: ${p.symbol} ${p.side} isolated, ${percentNumberText(p.distanceToLiquidation! * 100)} from liquidation`;
    }
  }
  if (a.positionsUnreadable && band !== 'critical') worse('unknown');
  return { account: a, band, ratio, line, stale: a.stale !== null || !!a.positionsUnreadable };
}

function badgeText(ratio: number | null, display: DisplayConvention, conv?: RatioConvention, marginLiquidation?: number): string {
  if (marginLiquidation !== undefined) {
    // Spot margin: the level as the exchange shows it (4 characters: "1.42", "999+").
    if (ratio === null) return '?';
    const t = marginLevelText(marginLevelOfRisk(ratio, marginLiquidation) ?? Infinity);
    return t.length > 4 ? '999+' : t;
  }
  const p = toDisplayPercent(ratio, display, conv);
  if (p === null) return '?';
  return p >= 1000 ? '999+' : `${Math.round(p)}%`;
}

function staleLine(a: BadgeAccount): string {
  // The machine's stale reason already carries the unreadable reason once it has stepped.
  const u = a.positionsUnreadable && !(a.stale ?? '').includes(a.positionsUnreadable) ? a.positionsUnreadable : null;
  const why = [u, a.stale].filter(Boolean).join('; ');
  return `${a.label}: monitoring stopped: ${why}`;
}

/**
 * The toolbar badge for every monitored account (see the module comment for the priority).
 * Accounts without open positions (no cross, no isolated, nothing unreadable) are ignored; with
 * none left the badge is blank ("no open positions seen").
 */
export function toolbarBadge(accounts: readonly BadgeAccount[], settings: BadgeSettings): ToolbarBadge {
  const held = accounts.filter((a) => a.hasCross || a.isolated.length > 0 || !!a.positionsUnreadable);
  if (held.length === 0) return { text: '', color: BAND_COLORS.unknown, title: 'Margin Sentinel: no open positions seen' };
  const judged = held.map((a) => judge(a, settings));
  const stale = judged.filter((j) => j.stale);
  const staleTitle = stale.map((j) => staleLine(j.account));
  const byRatio = (list: Judged[]) => list.reduce((w, j) => ((j.ratio ?? -1) > (w.ratio ?? -1) ? j : w));
  const critical = judged.filter((j) => j.band === 'critical');
  if (critical.length) {
    const worst = byRatio(critical);
    const others = critical.filter((j) => j !== worst).map((j) => j.line);
    const text = worst.ratio === null ? '!' : badgeText(worst.ratio, settings.display, worst.account.convention, worst.account.marginLevelLiquidation);
    return { text, color: BAND_COLORS.critical, title: [worst.line, ...others, ...staleTitle].join('\n') };
  }
  if (stale.length) return { text: 'STALE', color: BAND_COLORS.unknown, title: staleTitle.join('\n') };
  const unknown = judged.filter((j) => j.band === 'unknown');
  if (unknown.length) {
    return { text: '?', color: BAND_COLORS.unknown, title: unknown.map((j) => `${j.line} (unknown)`).join('\n') };
  }
  const worst = judged.reduce((w, j) => (BAND_SEVERITY[j.band] > BAND_SEVERITY[w.band] || (j.band === w.band && (j.ratio ?? -1) > (w.ratio ?? -1)) ? j : w));
  return { text: badgeText(worst.ratio, settings.display, worst.account.convention, worst.account.marginLevelLiquidation), color: BAND_COLORS[worst.band], title: worst.line };
}

/** The badge when the background could not start (issue 12: never blank): `ERR` in red, the reason in the title. */
export function errorBadge(reason: string): ToolbarBadge {
  return { text: 'ERR', color: BAND_COLORS.critical, title: `Margin Sentinel is not monitoring: ${reason.slice(0, 300)}` };
}
