/**
 * The toolbar badge writer: the badge (lib/alerts/badge.ts `toolbarBadge`) is written only when it changes.
 */

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
