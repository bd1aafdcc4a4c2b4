/**
 * The toolbar badge writer: the badge (lib/alerts/badge.ts `toolbarBadge`) is written only when it
 * changes; and the accounts as the badge sees them.
 */
import { badgeAccountOf, type BadgeAccount } from '../alerts/badge';
import { alertRatio } from '../alerts/input';
import type { AlertSettings, AlertState } from '../alerts/machine';
import type { AccountRecord } from '../storage';

export interface Badge {
  text: string;
  color: string;
  title: string;
}

/** Writes the badge through `set`, skipping writes that would not change it. */
export class BadgeWriter {
  private last = '';
  constructor(private readonly set: (b: Badge) => Promise<void>) {}

  async write(b: Badge): Promise<void> {
    const sig = JSON.stringify(b);
    if (sig === this.last) return;
    this.last = sig;
    try {
      await this.set(b);
    } catch (e) {
      this.last = '';
      throw e;
    }
  }
}

/**
 * The toolbar badge's view of every account (lib/alerts/badge.ts `badgeAccountOf`): the ratio the
 * alert machine last alerted on (ours or the exchange's) or else ours, its source, staleness,
 * unreadable positions, and the account's own levels.
 */
export function badgeAccounts(records: readonly AccountRecord[], stateOf: (key: string) => AlertState, settingsOf: (key: string) => AlertSettings): BadgeAccount[] {
  return records.map((a) => {
    const st = stateOf(a.key);
    const s = settingsOf(a.key);
    return badgeAccountOf({
      label: a.label,
      risk: a.risk,
      ratio: st.ratio ?? alertRatio(a.risk),
      ratioSource: st.ratioSource ?? 'engine',
      stale: a.stale,
      positionsUnreadable: a.unreadable ?? null,
      levels: s.levels,
      positionDistance: s.positionDistance,
      snapshotPositions: a.snapshot?.positions,
    });
  });
}
