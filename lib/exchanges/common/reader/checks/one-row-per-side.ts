/**
 * Law (page): a symbol in one margin mode has one row, or two of opposite sides (hedge mode).
 * Anything else duplicated is a reading error: those rows are left out.
 */
import type { PositionSnapshot } from '../../../../engine/snapshot';

/**
 * @returns `hedge`: some symbol shows both sides; `dropped`: rows breaking the law; `problems`.
 */
export function oneRowPerSide(positions: readonly PositionSnapshot[]): { hedge: boolean; dropped: Set<PositionSnapshot>; problems: string[] } {
  const groups = new Map<string, PositionSnapshot[]>();
  for (const p of positions) {
    const k = `${p.symbol}|${p.marginMode}`;
    groups.set(k, [...(groups.get(k) ?? []), p]);
  }
  let hedge = false;
  const dropped = new Set<PositionSnapshot>();
  const problems: string[] = [];
  for (const [k, list] of groups) {
    if (list.length === 1) continue;
    if (list.length === 2 && list[0]!.side !== list[1]!.side) hedge = true;
    else {
      list.forEach((p) => dropped.add(p));
      problems.push(`${k.split('|')[0]}: ${list.length} rows for the same symbol and side (positions left out)`);
    }
  }
  return { hedge, dropped, problems };
}
