/**
 * Spot margin account records (lib/storage/margin.ts) → what the popup card shows. Pure; no
 * engine, no valibot (the popup bundle stays small): figures are the engine's decimal strings,
 * formatted for display only.
 */
import { bandOf, type Band } from '../alerts/bands';
import { marginLevelOfRisk, marginLevelText, marginMachineSettings } from '../alerts/margin';
import { DEFAULT_ALERT_SETTINGS } from '../alerts/machine';
import type { OverlayAccount } from '../protocol/overlay-feed';
import type { MarginAccountRecord } from '../storage/margin';

export interface MarginLiqRow {
  /** Asset (cross) or pair (isolated). */
  name: string;
  price: string | null;
  liquidationPrice: string | null;
  /** `falls to` / `rises to`. */
  direction: string;
  /** "12.3 %" or null. */
  distance: string | null;
  /** Why there is none, when there is none. */
  note: string | null;
}

export interface MarginCardView {
  key: string;
  label: string;
  /** As the exchange shows it: "1.42", "999+" (no debt), "—" unknown. */
  levelText: string;
  /** Whose level: ours or the exchange's displayed one. */
  levelSource: 'engine' | 'exchange';
  /** Our level when the exchange's drives ("ours 1.47"), else null. */
  oursText: string | null;
  /** Normalized risk (liquidation = 100 %), e.g. "77 %". */
  riskText: string;
  band: Band;
  /** "margin call ≤ 1.3 · liquidation ≤ 1.1 (documented)". */
  thresholdsText: string;
  /** "all coins −27.0 % → liquidation", or null. */
  moveText: string | null;
  rows: MarginLiqRow[];
  /** Loud lines: stale, unread rows, missing prices, not recognised. */
  warnings: string[];
  /** The definition used (Classic / Pro / isolated). */
  definition: string | null;
}

const SOURCE_TEXT = { snapshot: "the account's own bars", documented: 'Binance FAQ', assumed: 'assumed: not documented', mixed: 'Binance FAQ and your settings' } as const;

const pct = (fraction: string | number, dp = 1) => `${(Number(fraction) * 100).toFixed(dp)} %`;

/** The card of one margin account. */
export function marginCardView(r: MarginAccountRecord, marginAlerts: { levels: number[]; liquidation: number }): MarginCardView {
  const risk = r.risk;
  const ratio = r.alert.ratio ?? (risk?.riskRatio != null ? Number(risk.riskRatio) : null);
  const levels = marginMachineSettings(DEFAULT_ALERT_SETTINGS, marginAlerts, r.liquidation).levels;
  const level = ratio === null ? null : ratio === 0 ? Infinity : marginLevelOfRisk(ratio, r.liquidation);
  const warnings: string[] = [];
  if (r.stale) warnings.push(`Monitoring stopped: ${r.stale}`);
  if (r.snapshot?.unread?.length) warnings.push(`Not read from the page: ${r.snapshot.unread.join(', ')} (the level is unknown until they are)`);
  if (r.pricesMissing.length) warnings.push(`No price yet for ${r.pricesMissing.join(', ')}`);
  if (r.health?.status === 'unrecognized') warnings.push(`Page not recognised${r.health.missing.length ? ` (missing: ${r.health.missing.join(', ')})` : ''}`);
  const rows: MarginLiqRow[] = [];
  if (risk?.mode === 'cross') {
    for (const a of risk.assets) {
      if (a.stable) continue;
      const none = a.reasons.find((x) => x.field === 'liquidationPrice');
      if (a.liquidationPrice === null && none?.none && /no holding and no debt/.test(none.reason)) continue;
      rows.push({
        name: a.asset,
        price: a.price,
        liquidationPrice: a.liquidationPrice,
        direction: a.liquidationSide === 'above' ? 'rises to' : 'falls to',
        distance: a.distanceToLiquidation === null ? null : pct(a.distanceToLiquidation),
        note: a.liquidationPrice === null ? (none?.reason ?? 'unknown') : null,
      });
    }
  } else if (risk) {
    for (const p of risk.pairs) {
      const base = p.assets[0]!;
      rows.push({
        name: `${p.symbol} (level ${marginLevelText(p.marginLevel ?? p.displayedMarginLevel)})`,
        price: p.price,
        liquidationPrice: p.liquidationPrice,
        direction: p.liquidationSide === 'above' ? 'rises to' : 'falls to',
        distance: base.distanceToLiquidation === null ? null : pct(base.distanceToLiquidation),
        note: p.liquidationPrice === null ? (base.reasons.find((x) => x.field === 'liquidationPrice')?.reason ?? 'unknown') : null,
      });
    }
  }
  const th = risk?.mode === 'cross' ? risk.thresholds : risk?.pairs[0]?.thresholds;
  const move = risk?.mode === 'cross' ? risk.liquidationMove : null;
  return {
    key: r.key,
    label: r.label,
    levelText: marginLevelText(level),
    levelSource: r.alert.ratioSource ?? 'engine',
    oursText: r.alert.ratioSource === 'exchange' ? marginLevelText(risk?.marginLevel ?? null) : null,
    riskText: ratio === null ? '—' : pct(ratio, 0),
    band: bandOf(ratio, levels, risk?.liquidated ?? null),
    thresholdsText: th ? `margin call ≤ ${th.marginCall} · liquidation ≤ ${r.liquidation} (${SOURCE_TEXT[th.source]})` : `liquidation ≤ ${r.liquidation}`,
    moveText: move?.down ? `all coins ${pct(move.down)} → liquidation` : move?.up ? `all coins +${pct(move.up)} → liquidation` : null,
    rows,
    warnings,
    definition: risk ? (risk.mode === 'cross' ? risk.convention.definition : risk.convention.definition) : null,
  };
}

/**
 * The on-page overlay's view of a margin account (same wire shape as the futures badges,
 * lib/protocol/overlay-feed.ts): the level as Binance shows it with the normalized risk, the
 * nearest liquidation, one row per coin (cross) or pair (isolated) unless collapsed.
 */
export function marginOverlayAccount(r: MarginAccountRecord, marginAlerts: { levels: number[]; liquidation: number }, collapsed = false): OverlayAccount {
  const v = marginCardView(r, marginAlerts);
  const nearest = v.rows.filter((x) => x.distance !== null).sort((a, b) => parseFloat(a.distance!) - parseFloat(b.distance!))[0];
  return {
    badge: {
      key: r.key,
      name: r.label,
      band: v.band,
      ratio: {
        text: `ML ${v.levelText}`,
        title: `Margin level ${v.levelText}${v.levelSource === 'exchange' ? " (the exchange's figure)" : ''}, risk ${v.riskText} (liquidation = 100 %); ${v.thresholdsText}`,
      },
      dist: {
        text: nearest ? `liq ${nearest.distance} away` : v.rows.length ? 'no liq. price' : 'no debt',
        title: nearest ? `${nearest.name} ${nearest.direction} ${nearest.liquidationPrice}` : 'no coin near liquidation',
      },
      rows: (collapsed ? [] : v.rows).map((x) => ({
        key: `${x.name}|margin`,
        symbol: x.name,
        side: x.direction === 'rises to' ? 'short' : 'long',
        liq: { text: x.liquidationPrice ?? (x.note ? 'none' : '—'), title: x.liquidationPrice ? `${x.name} ${x.direction} ${x.liquidationPrice}` : (x.note ?? undefined) },
        theirs: { text: '—', mismatch: false, old: false, title: undefined },
        dist: { text: x.distance ?? '—', title: x.note ?? undefined },
      })),
    },
    status: {
      unrecognized: r.health?.status === 'unrecognized' ? `page not recognised${r.health.missing.length ? ` (missing: ${r.health.missing.join(', ')})` : ''}` : null,
      stale: r.stale ?? (v.warnings.length ? v.warnings[0]! : null),
      at: r.evaluatedAt || r.snapshotAt,
      evaluated: r.risk !== null,
    },
  };
}
