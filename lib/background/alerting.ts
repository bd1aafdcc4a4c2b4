/**
 * Alert delivery: steps each account's pure alert machine (lib/alerts/machine.ts), keeps the
 * persisted alert store (per-account state + an outbox of notices not yet shown), and delivers
 * the outbox as desktop notifications (plus the critical-alert sound).
 *
 * Delivery never waits on persistence: the store (state + outbox) is written before delivering,
 * so a worker killed in between redelivers rather than re-detects; but a failing write (quota,
 * storage error) is reported and the notice is shown anyway (a duplicate beats silence). A notice
 * whose `notifications.create` fails stays in the outbox and is retried on every evaluation and
 * watchdog tick ({@link Alerter.deliver}).
 */
import { noticeId } from '../alerts/input';
import { initialAlertState, step, type AlertInput, type AlertSettings, type AlertState, type Notice, type StepResult } from '../alerts/machine';
import { noticeText, type NotificationText } from '../alerts/text';
import type { AccountRisk } from '../engine/types';
import type { UserSettings } from '../settings/schema';
import type { AlertStore, PendingNotice } from '../storage';

export { accountOfNoticeId, noticeId } from '../alerts/input';

export interface AlerterDeps {
  /** Show a notification with this id (same id = same notification: redelivery replaces, never duplicates). */
  notify: (id: string, text: NotificationText) => Promise<void>;
  playSound?: () => Promise<void>;
  /** Write the alert store (state + outbox). */
  save: (store: AlertStore) => Promise<void>;
  /** Current delivery settings. */
  delivery: () => { notifications: boolean; sound: boolean; display: UserSettings['display'] };
  /** Label and latest risk of an account, for the notification text. */
  account: (key: string) => { label: string; risk: AccountRisk | null } | undefined;
  /** A write or delivery failed (reported to the user's diagnostics). */
  problem?: (what: string) => void;
}

export class Alerter {
  private store: AlertStore;
  private chain: Promise<void> = Promise.resolve();

  constructor(
    initial: AlertStore,
    private readonly deps: AlerterDeps,
  ) {
    this.store = initial;
  }

  /** The account's alert state (fresh when none is stored). */
  stateOf(key: string): AlertState {
    return this.store.accounts[key] ?? initialAlertState();
  }

  /** Number of notices not yet delivered. */
  pending(): number {
    return this.store.outbox.length;
  }

  /**
   * Step `key`'s machine with `input` at `now`; queue its notices and deliver them (on the
   * internal chain, in order). Returns the step's result synchronously.
   */
  step(key: string, input: AlertInput, settings: AlertSettings, now: number): StepResult {
    const prev = this.stateOf(key);
    const result = step(prev, input, settings, now);
    const changed = JSON.stringify(result.state) !== JSON.stringify(prev);
    this.store.accounts[key] = result.state;
    const pending: PendingNotice[] = result.notices.map((n) => ({ id: noticeId(key, n), accountKey: key, notice: n }));
    this.store.outbox.push(...pending);
    if (changed || pending.length || this.store.outbox.length) this.enqueue();
    return result;
  }

  /** Move an account's state (levels, cooldowns) and undelivered notices to a new key. */
  rename(from: string, to: string): void {
    const st = this.store.accounts[from];
    if (st) this.store.accounts[to] = st;
    delete this.store.accounts[from];
    this.store.outbox = this.store.outbox.map((p) => (p.accountKey === from ? { ...p, accountKey: to } : p));
    this.enqueue();
  }

  /** Forget an account's state and undelivered notices. */
  forget(key: string): void {
    delete this.store.accounts[key];
    this.store.outbox = this.store.outbox.filter((p) => p.accountKey !== key);
    this.enqueue();
  }

  /** Retry delivery of whatever is still in the outbox (evaluation and watchdog ticks). */
  deliver(): Promise<void> {
    if (this.store.outbox.length) this.enqueue();
    return this.chain;
  }

  /** Settles when every queued write and delivery has run. */
  idle(): Promise<void> {
    return this.chain;
  }

  private enqueue(): void {
    const snapshot = structuredClone(this.store);
    this.chain = this.chain.then(() => this.run(snapshot)).catch((e) => console.error('[monitor] alert delivery failed', e));
  }

  private async save(store: AlertStore): Promise<void> {
    try {
      await this.deps.save(store);
    } catch (e) {
      this.deps.problem?.(`alert state could not be saved: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private async run(snapshot: AlertStore): Promise<void> {
    await this.save(snapshot); // state + outbox first: a worker killed now redelivers, never re-detects
    const { notifications, sound, display } = this.deps.delivery();
    for (const p of [...this.store.outbox]) {
      if (notifications) {
        const a = this.deps.account(p.accountKey);
        try {
          await this.deps.notify(p.id, noticeText(p.notice, a?.label ?? p.accountKey, a?.risk ?? null, display));
        } catch (e) {
          this.deps.problem?.(`a notification could not be shown: ${e instanceof Error ? e.message : String(e)}`);
          continue; // stays in the outbox: retried on the next evaluation or watchdog tick
        }
        if (sound && p.notice.kind === 'level' && p.notice.top && this.deps.playSound) {
          await this.deps.playSound().catch((e) => console.warn('[monitor] alert sound failed', e));
        }
      }
      this.store.outbox = this.store.outbox.filter((q) => q !== p);
    }
    await this.save(structuredClone(this.store));
  }
}
