/**
 * Throttled persistence of the worker's high-rate state (account records, marks, ratio history,
 * stream status): marked dirty on change, written at most once per {@link PERSIST_THROTTLE_MS}.
 * Alert state is not written here: the alert outbox writes it at once (./alerting.ts).
 */

/** Throttle for writing account records, marks, history and stream status (ms). */
export const PERSIST_THROTTLE_MS = 1_000;

export type PersistedPart = 'accounts' | 'marks' | 'history' | 'streams';

export interface PersisterDeps {
  /** Write one part now (reads the owner's current value). */
  write: Record<PersistedPart, () => Promise<unknown>>;
  /** Called after the account records were written (the overlay feed publishes then). */
  accountsSaved?: () => void;
  setTimeout?: (fn: () => void, ms: number) => unknown;
  clearTimeout?: (id: unknown) => void;
}

/** Dirty set + one throttle timer; {@link flush} writes everything dirty now. */
export class Persister {
  private readonly dirty = new Set<PersistedPart>();
  private timer: unknown = null;
  private stopped = false;

  constructor(private readonly deps: PersisterDeps) {}

  /** Mark parts changed; schedules a write within {@link PERSIST_THROTTLE_MS}. */
  markDirty(...parts: PersistedPart[]): void {
    for (const p of parts) this.dirty.add(p);
    if (this.timer === null && !this.stopped) {
      this.timer = (this.deps.setTimeout ?? setTimeout)(() => void this.flush(), PERSIST_THROTTLE_MS);
    }
  }

  /** Write every dirty part now. A failing write is reported on the console and marked dirty again. */
  async flush(): Promise<void> {
    if (this.timer !== null) (this.deps.clearTimeout ?? ((id) => clearTimeout(id as ReturnType<typeof setTimeout>)))(this.timer);
    this.timer = null;
    const parts = [...this.dirty];
    this.dirty.clear();
    const results = await Promise.allSettled(parts.map((p) => this.deps.write[p]()));
    results.forEach((r, i) => {
      if (r.status === 'rejected') {
        console.error(`[monitor] writing ${parts[i]} failed`, r.reason);
        if (!this.stopped) this.markDirty(parts[i]!);
      }
    });
    if (parts.includes('accounts')) this.deps.accountsSaved?.();
  }

  /** Stop scheduling writes (worker shutdown, tests); {@link flush} still writes. */
  stop(): void {
    this.stopped = true;
  }
}
