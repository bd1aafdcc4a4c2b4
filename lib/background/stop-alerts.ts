/**
 * Delivery of the stop and volatility alerts (lib/alerts/stops.ts): steps each account after its
 * evaluation and shows the notices as desktop notifications, ids `ms|<account>|stop|<pos>` and
 * `ms|<account>|odds|24h` (a click focuses the account's tab like any alert). Both alerts are off by
 * default (settings `stopAlerts`, `liquidationOddsAlert`). State is kept in memory: after a worker
 * restart a condition still true is notified once more.
 */
import { stopAlertStep, type StopAlertState } from '../alerts/stops';
import type { NotificationText } from '../alerts/text';
import type { UserSettings } from '../settings/schema';
import type { AccountRecord } from '../storage';

export class StopAlerter {
  private state = new Map<string, StopAlertState>();
  constructor(private readonly notify: (id: string, t: NotificationText) => Promise<void>) {}

  /** Step one account; notifications go out only when `settings.notifications` is on. Never throws. */
  step(r: Readonly<AccountRecord>, settings: UserSettings): void {
    const on = { stopAlerts: settings.stopAlerts ?? false, liquidationOddsAlert: settings.liquidationOddsAlert ?? null };
    const prev = this.state.get(r.key) ?? { fired: [] };
    const { state, notices } = stopAlertStep(prev, r.label, r.stops ?? null, r.odds ?? null, on);
    this.state.set(r.key, state);
    if (!settings.notifications) return;
    for (const n of notices) {
      const id = `ms|${r.key.replace(/%/g, '%25').replace(/\|/g, '%7C')}|${n.detail}`;
      void this.notify(id, { title: n.title, message: n.message, requireInteraction: false, priority: 1 }).catch((e) => console.error('[stop-alerts] notify failed', e));
    }
  }

  forget(key: string): void {
    this.state.delete(key);
  }
}
