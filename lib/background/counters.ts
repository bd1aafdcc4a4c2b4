/**
 * The monitor's diagnostic counters (shown in the popup's diagnostics): refused senders and
 * refused snapshots, each with the latest reason. Written at once (they are rare).
 */
import type { MonitorCounters } from '../storage';

export class Counters {
  constructor(
    private values: MonitorCounters,
    private readonly save: (c: MonitorCounters) => Promise<void>,
  ) {}

  get current(): Readonly<MonitorCounters> {
    return this.values;
  }

  /** A refused message (any kind): count it and keep why (≤ 200 characters). */
  async rejectedSender(problem: string): Promise<void> {
    this.values = { ...this.values, rejectedSenders: this.values.rejectedSenders + 1, lastRejectedSender: problem.slice(0, 200) };
    await this.save(this.values);
  }

  /** A page read whose snapshot failed validation: count it and keep the reason. */
  async invalidSnapshot(reason: string): Promise<void> {
    this.values = { ...this.values, invalidSnapshots: this.values.invalidSnapshots + 1, lastInvalidSnapshot: reason };
    await this.save(this.values);
  }
}
