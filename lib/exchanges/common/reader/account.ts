/**
 * The account panel: each label → value pair read on its own (./../table.ts readPanelValues),
 * then the account laws in ./checks/. When any law fails, a label is on the wrong value somewhere
 * and the whole panel is distrusted (every figure unknown, the failure named).
 */
import type { PositionSnapshot } from '../../../engine/snapshot';
import { addDec, ulp } from '../fixed';
import { cellFigures, readAmount, readPercent } from '../fields';
import { parseNumber, type NumberFormat } from '../number';
import { readPanelValues } from '../table';
import { accountMmBelowPositionMargins } from './checks/account-mm-below-position-margins';
import { availableBelowMarginBalance } from './checks/available-below-margin-balance';
import type { MarginBalanceFigure, ShownFigure } from './checks/figure';
import { marginRatioMatches } from './checks/margin-ratio-matches';
import { mmBelowMarginBalance } from './checks/mm-below-margin-balance';
import { walletPlusPnlIsMarginBalance } from './checks/wallet-plus-pnl-is-margin-balance';
import { MARKET_ACCOUNT, type AccountKey, type ReaderConfig } from './config';

/** The account figures read (a key is absent when unknown). Margin ratio as a fraction. */
export type AccountValues = Partial<Record<AccountKey, ShownFigure>>;

/** What the account panel gave. */
export interface AccountRead {
  values: AccountValues;
  /** Panel labels found / not found (canonical labels). */
  found: string[];
  missing: string[];
  /** Value elements to observe; `marketDriven` those that move with prices only. */
  panels: Element[];
  marketDriven: Element[];
  /** A cross-check failed and every panel value was dropped (a label on the wrong value, or a row missing). */
  distrusted: boolean;
}

/**
 * Read the account panel of `doc`, outside `exclude` (the positions table: its headers reuse
 * labels such as "Margin Ratio").
 *
 * @param problems - appended to: unreadable values, conflicting duplicates, broken laws.
 * @param positions - the positions read (for the laws that need positions open).
 * @param complete - every open position was read (the law on the positions' margins needs it).
 * @param now - ms epoch of this read (label elements from a recent page walk are reused).
 */
export function readAccount(
  cfg: ReaderConfig,
  doc: Document,
  exclude: Element[],
  format: NumberFormat,
  problems: string[],
  positions: readonly PositionSnapshot[],
  complete: boolean,
  now: number,
): AccountRead {
  const raw = readPanelValues(doc, cfg.account, exclude, { now });
  const values: AccountValues = {};
  const found: string[] = [];
  const missing: string[] = [];
  const panels: Element[] = [];
  const marketDriven: Element[] = [];
  for (const spec of cfg.account) {
    const candidates = raw.get(spec.key) ?? [];
    if (!candidates.length) {
      missing.push(spec.label);
      continue;
    }
    found.push(spec.label);
    const seen = new Map<string, { value: string; decimals: number; key: AccountKey }>();
    const seenEls = new Set<Element>();
    for (const { valueEl } of candidates) {
      if (seenEls.has(valueEl)) continue;
      seenEls.add(valueEl);
      panels.push(valueEl);
      if (MARKET_ACCOUNT.has(spec.key)) marketDriven.push(valueEl);
      const figs = cellFigures(valueEl);
      const first = figs[0] ? parseNumber(figs[0], format) : null;
      let key: AccountKey = spec.key;
      let got: { value: string; decimals: number } | null = null;
      if (spec.key === 'marginRatio' || (first?.ok && first.percent && spec.key === 'maintenanceMargin')) {
        // Bybit shows the account MM *rate* under "Maintenance Margin".
        key = 'marginRatio';
        const r = readPercent(figs, format, spec.label);
        if (r.ok) got = { value: r.value.fraction, decimals: r.value.displayDecimals };
        else if (!/placeholder|hidden/.test(r.why)) problems.push(`account ${spec.label}: ${r.why}`);
      } else {
        const r = readAmount(figs, format, spec.label, spec.key === 'unrealizedPnl');
        if (r.ok) got = { value: r.value.value, decimals: r.value.displayDecimals };
        else if (!/placeholder|hidden/.test(r.why)) problems.push(`account ${spec.label}: ${r.why}`);
      }
      if (got) seen.set(`${key}|${got.value}`, { ...got, key });
    }
    const distinct = Array.from(seen.values());
    const keys = new Set(distinct.map((d) => d.key));
    if (distinct.length === 1) values[distinct[0]!.key] = distinct[0]!;
    else if (distinct.length > 1 && keys.size === 1) problems.push(`account ${spec.label}: the page shows different values (${distinct.map((d) => d.value).join(' / ')})`);
  }

  // Cross-checks (unit of the last displayed digit included in the tolerance). When any
  // fails, a label is on the wrong value somewhere and the whole panel is distrusted.
  // Every identity is checked with whatever the page shows: a figure that is not shown is
  // derived from the others (margin balance = wallet + unrealized PnL), so a value under a
  // swapped label meets at least one relation it breaks.
  const failures: (string | null)[] = [];
  const w = values.walletBalance;
  const u = values.unrealizedPnl;
  const shownMb = values.marginBalance ?? values.totalEquity;
  if (w && u && shownMb) failures.push(walletPlusPnlIsMarginBalance(w, u, shownMb));
  const mb: MarginBalanceFigure | undefined = shownMb
    ? { value: shownMb.value, ulp: ulp(shownMb.decimals) }
    : w && u
      ? { value: addDec(w.value, u.value), ulp: addDec(ulp(w.decimals), ulp(u.decimals)) }
      : undefined;
  const r = values.marginRatio;
  const mm = values.maintenanceMargin;
  if (r && mm && mb) failures.push(marginRatioMatches(cfg.ratioDirection, r, mm, mb));
  if (mm && mb) failures.push(mmBelowMarginBalance(mm, mb));
  const a = values.availableBalance;
  if (a && mb && positions.length) failures.push(availableBelowMarginBalance(a, mb));
  // Only when every row was read: a missing row would lower the sum of the margins.
  if (mm && complete && positions.length && positions.every((p) => p.displayed?.margin != null)) {
    failures.push(accountMmBelowPositionMargins(mm, positions.map((p) => p.displayed!.margin!)));
  }
  const broken = failures.filter((f): f is string => f !== null);
  if (broken.length) {
    problems.push(`account panel not trusted: ${broken.join('; ')} (labels mislabelled?)`);
    for (const k of Object.keys(values) as AccountKey[]) delete values[k];
  }
  return { values, found, missing, panels, marketDriven, distrusted: broken.length > 0 };
}
