/**
 * The mark book: the latest admitted stream mark per exchange and stream symbol, and the rules
 * that decide which mark an account is evaluated at and how fresh its prices are.
 *
 * Rules (issue "Never silent"):
 * - **Receive time.** Freshness is measured on the local time a tick was received
 *   (`StoredMark.receivedAt`), per symbol, never on the exchange's own timestamp: a skewed
 *   exchange clock cannot make a dead stream look alive or a live one stale.
 * - **Future stamps.** A tick stamped after its receive time is stored with `time` clamped to the
 *   receive time, so it can never make later (correctly stamped) ticks look older and freeze the price.
 * - **Jumps wait for confirmation.** A tick more than {@link JUMP_CONFIRM_FRACTION} (20 %) away
 *   from the current mark is held, not applied; the next tick within 20 % of the held one confirms
 *   it (both apply), a tick back near the old mark discards it. The old mark keeps aging meanwhile,
 *   so a stream that only sends wild prices ends STALE, never silently frozen at the old price.
 * - **Stream vs page.** On each fresh page read the stream mark is compared with the page's own mark:
 *   more than {@link MARK_DISAGREE_FRACTION} (5 %) apart, the position is evaluated at the worse of the
 *   two for it (lower for a long, higher for a short) and the disagreement is reported.
 */
import type { ExchangeId } from '../engine/exchanges';
import type { MarkTick } from '../exchanges/common/stream';
import { STREAM_ADAPTERS } from '../exchanges/streams';
import type { AccountRecord, StoredMark } from '../storage';

/** A tick this far (fraction) from the current mark waits for a confirming tick. */
export const JUMP_CONFIRM_FRACTION = 0.2;
/** Stream and page marks this far apart (fraction) are flagged and the worse one is used. */
export const MARK_DISAGREE_FRACTION = 0.05;

export type MarkTable = Partial<Record<ExchangeId, Record<string, StoredMark>>>;

/** The marks an account is evaluated at, and how fresh its prices are. */
export interface MarksForAccount {
  /** Snapshot symbol → the mark applied (stream, or the page's when it is the worse of a disagreeing pair). */
  used: Record<string, StoredMark>;
  /** Receive time of the oldest stream mark among streamed symbols, page read time for the others (ms), or null. */
  oldestPriceAt: number | null;
  /** Some held symbol has had no stream price yet: count staleness from this time (ms), else null. */
  pricesExpectedSince: number | null;
  /** Symbols whose stream and page marks disagree by more than 5 %, with both prices. */
  disagreements: { symbol: string; stream: string; page: string }[];
}

const rel = (a: string, b: string): number => {
  const x = Number(a);
  const y = Number(b);
  return y > 0 && Number.isFinite(x) ? Math.abs(x / y - 1) : Infinity;
};

export class MarkBook {
  private book: MarkTable;
  /** Ticks held for confirmation (exchange → stream symbol → tick). */
  private held: Partial<Record<ExchangeId, Record<string, StoredMark>>> = {};

  constructor(initial: MarkTable = {}) {
    this.book = initial;
  }

  /** The whole book (persisted as `session:marks`). */
  table(): MarkTable {
    return this.book;
  }

  /** The stored mark of a stream symbol, or undefined. */
  get(exchange: ExchangeId, streamSymbol: string): StoredMark | undefined {
    return this.book[exchange]?.[streamSymbol];
  }

  /**
   * Admit ticks, each stamped with its local receive time (`receivedAt`, ms epoch, set by the
   * stream client). Returns the stream symbols whose stored mark changed.
   * Older ticks than the stored one are ignored (a stored mark may be newer than a frame replayed
   * on a new connection after a worker restart).
   */
  admit(exchange: ExchangeId, ticks: readonly MarkTick[]): Set<string> {
    const book = (this.book[exchange] ??= {});
    const held = (this.held[exchange] ??= {});
    const changed = new Set<string>();
    for (const t of ticks) {
      const time = Math.min(t.time, t.receivedAt);
      const prev = book[t.symbol];
      if (prev && prev.time > time) continue;
      // Each tick replaces the last: a tick without (valid) funding leaves the rate unknown, not stale.
      const m: StoredMark = { price: t.price, time, receivedAt: t.receivedAt };
      if (t.fundingRate !== undefined) m.fundingRate = t.fundingRate;
      if (t.nextFundingTime !== undefined) m.nextFundingTime = t.nextFundingTime;
      const pending = held[t.symbol];
      if (prev && rel(t.price, prev.price) > JUMP_CONFIRM_FRACTION && !(pending && rel(t.price, pending.price) <= JUMP_CONFIRM_FRACTION)) {
        held[t.symbol] = m; // wait for a second tick near this one
        continue;
      }
      delete held[t.symbol];
      book[t.symbol] = m;
      changed.add(t.symbol);
    }
    return changed;
  }

  /** A tick is being held for confirmation for this stream symbol. */
  isHeld(exchange: ExchangeId, streamSymbol: string): boolean {
    return this.held[exchange]?.[streamSymbol] !== undefined;
  }

  /**
   * The marks `a` is evaluated at now, and its price freshness. The stream is the live source:
   * its mark is used while fresh (received ≤ `priceMaxAgeMs` ago) or newer than the page read.
   * A page read in a background tab can carry an old DOM mark with a new read time, so the page's
   * mark only fills gaps, except when a fresh page read disagrees with the stream by over 5 %: the
   * worse of the two for the position is used.
   * @param subscribedSince when the exchange's stream subscription last changed (ms), for symbols with no price yet
   * @param pageFreshMs a page read younger than this (ms) counts as fresh for the comparison
   */
  forAccount(a: AccountRecord, now: number, priceMaxAgeMs: number, subscribedSince: number | undefined, pageFreshMs: number): MarksForAccount {
    const adapter = STREAM_ADAPTERS[a.exchange];
    const book = this.book[a.exchange] ?? {};
    const used: Record<string, StoredMark> = {};
    const times: number[] = [];
    const disagreements: MarksForAccount['disagreements'] = [];
    let waiting = false;
    const pageFresh = a.snapshotAt !== null && now - a.snapshotAt <= pageFreshMs && now >= a.snapshotAt;
    for (const p of a.snapshot?.positions ?? []) {
      const sym = adapter.streamSymbol(p.symbol);
      const m = sym ? book[sym] : undefined;
      const pageAt = p.markPrice !== null ? (a.snapshotAt ?? 0) : 0;
      // Price freshness: stream receive time for symbols the stream serves; page time only for symbols it cannot.
      if (sym) {
        if (m) times.push(m.receivedAt ?? m.time);
        else waiting = true;
      } else times.push(pageAt);
      if (!m || !(now - (m.receivedAt ?? m.time) <= priceMaxAgeMs || m.time >= pageAt)) continue;
      if (pageFresh && p.markPrice !== null && rel(m.price, p.markPrice) > MARK_DISAGREE_FRACTION) {
        disagreements.push({ symbol: p.symbol, stream: m.price, page: p.markPrice });
        const pageWorse = p.side === 'long' ? Number(p.markPrice) < Number(m.price) : Number(p.markPrice) > Number(m.price);
        used[p.symbol] = pageWorse ? { ...m, price: p.markPrice } : m;
      } else used[p.symbol] = m;
    }
    const oldest = times.length ? Math.min(...times) : null;
    return {
      used,
      oldestPriceAt: waiting ? null : oldest,
      pricesExpectedSince: waiting ? Math.min(subscribedSince ?? a.snapshotAt ?? now, ...times) : null,
      disagreements,
    };
  }
}
