/**
 * The toolbar badge: the worst account's state, written only when it changes.
 */
import { alertSettingsFor, type UserSettings } from '../settings/schema';
import { BADGE_COLORS, badgeFor, ratioLabel } from '../alerts/text';
import type { AccountRecord } from '../storage';
import { holdsPositions } from './accounts';
import { alertRatio } from '../alerts/input';

export interface Badge {
  text: string;
  color: string;
  title: string;
}

/**
 * Badge for a set of accounts: the highest ratio (coloured by its level) beats STALE, and every
 * stale or unreadable account is listed in the title; with no open positions anywhere, blank.
 */
export function toolbarBadge(accounts: readonly AccountRecord[], settings: UserSettings): Badge {
  const list = accounts.filter(holdsPositions);
  if (list.length === 0) return { text: '', color: BADGE_COLORS.stale, title: 'Margin Sentinel: no open positions seen' };
  const problemOf = (a: AccountRecord) => a.stale ?? a.unreadable ?? null;
  const troubled = list.filter((a) => problemOf(a) !== null);
  const ratioOf = (a: AccountRecord) => alertRatio(a.risk) ?? -1;
  const worst = list.reduce((w, a) => (ratioOf(a) > ratioOf(w) ? a : w));
  const r = alertRatio(worst.risk);
  const s = alertSettingsFor(settings, worst.key);
  const troubleText = troubled.map((a) => `${a.label}: monitoring stopped: ${problemOf(a)}`).join('\n');
  if (r === null || troubled.includes(worst)) {
    // No ratio to show, or the worst ratio is itself stale: say so.
    const b = badgeFor(r, worst.level, s.levels, troubled.length > 0, settings.display, worst.risk?.marginRatioConvention);
    return { ...b, title: troubleText || `${worst.label}: ${ratioLabel(r, settings.display, worst.risk?.marginRatioConvention)}` };
  }
  const b = badgeFor(r, worst.level, s.levels, false, settings.display, worst.risk?.marginRatioConvention);
  const title = `${worst.label}: ${ratioLabel(r, settings.display, worst.risk?.marginRatioConvention)}`;
  return { ...b, title: troubleText ? `${title}\n${troubleText}` : title };
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
