// Issue 12 ("Never silent") items 6, 9 and 12.1 in the alert machine.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_ALERT_SETTINGS,
  initialAlertState,
  MAX_REMEMBERED_POSITIONS,
  step,
  stepPositions,
  STALE_DEBOUNCE_MS,
  type AlertInput,
  type AlertSettings,
  type AlertState,
  type Notice,
  type PositionInput,
} from '@/lib/alerts/machine';

const S: AlertSettings = { ...DEFAULT_ALERT_SETTINGS, cooldownMs: 60_000 };
const T0 = 1_700_000_000_000;
const pos = (key: string, d: number | null): PositionInput => ({ key, symbol: key.split('|')[0]!, side: 'long', distanceToLiquidation: d, liquidationPrice: '1', markPrice: '2' });
/** A fresh, healthy read at time t. */
const good = (t: number, over: Partial<AlertInput> = {}): AlertInput => ({
  riskRatio: 0.85,
  positions: [pos('BTCUSDT|long|cross', 0.03)],
  snapshotAt: t,
  oldestPriceAt: t,
  pricesExpectedSince: null,
  ...over,
});

function runSteps(inputs: [number, AlertInput][], settings = S, state: AlertState = initialAlertState()) {
  const notices: Notice[] = [];
  for (const [t, input] of inputs) {
    const r = step(state, input, settings, t);
    state = r.state;
    notices.push(...r.notices);
  }
  return { state, notices };
}

const kinds = (ns: Notice[]) => ns.map((n) => n.kind);

describe('6. a backwards clock never disables a cooldown', () => {
  it('levels: after a notice, the clock going back an hour and the level re-armed does not notify again', () => {
    const { notices } = runSteps([
      [T0, good(T0, { riskRatio: 0.85, positions: [] })], // 0.8 notified at T0
      [T0 - 3_600_000, good(T0 - 3_600_000, { riskRatio: 0.5, positions: [] })], // re-armed (below 0.8 − h)
      [T0 - 3_599_000, good(T0 - 3_599_000, { riskRatio: 0.85, positions: [] })], // crossing again, clock behind the notice
    ]);
    expect(notices.filter((n) => n.kind === 'level' && n.level === 0.8)).toHaveLength(1);
  });

  // Positions stay in every read here: a position forgotten after its cooldown ran out is not
  // brought back by a later backwards jump (nothing is remembered for it any more).
  it('property: after a notice at t, no notice of the same kind and detail at any later step with now < t + cooldown (clock jumps either way)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            dt: fc.integer({ min: -7_200_000, max: 120_000 }),
            ratio: fc.oneof(fc.constant(null), fc.double({ min: 0, max: 1.2, noNaN: true })),
            d: fc.oneof(fc.constant(null), fc.double({ min: 0, max: 0.2, noNaN: true })),
          }),
          { maxLength: 40 },
        ),
        (steps) => {
          let t = T0;
          let state = initialAlertState();
          const last = new Map<string, number>();
          for (const s of steps) {
            t += s.dt;
            const input = good(t, { riskRatio: s.ratio, positions: [pos('BTCUSDT|long|cross', s.d)] });
            const r = step(state, input, S, t);
            state = r.state;
            for (const n of r.notices) {
              if (n.kind === 'stale') continue; // stale has its own test below
              const id = n.kind === 'level' ? `level|${n.level}` : `position|${n.position.key}`;
              const prev = last.get(id);
              if (prev !== undefined && t < prev + S.cooldownMs) return false;
              last.set(id, t);
            }
          }
          return true;
        },
      ),
    );
  });
});

describe('9. no spam', () => {
  it('a position that vanishes from a read and returns keeps its cooldown', () => {
    const k = 'BTCUSDT|long|cross';
    const { notices } = runSteps([
      [T0, good(T0, { riskRatio: 0.1, positions: [pos(k, 0.03)] })], // notified
      [T0 + 1000, good(T0 + 1000, { riskRatio: 0.1, positions: [] })], // table flickers away
      [T0 + 2000, good(T0 + 2000, { riskRatio: 0.1, positions: [pos(k, 0.03)] })], // back
    ]);
    expect(kinds(notices)).toEqual(['position']);
  });

  it('a vanished position is forgotten once its cooldown has run out (bounded memory)', () => {
    const k = 'BTCUSDT|long|cross';
    const a = runSteps([[T0, good(T0, { riskRatio: 0.1, positions: [pos(k, 0.03)] })]]);
    const b = runSteps([[T0 + S.cooldownMs, good(T0 + S.cooldownMs, { riskRatio: 0.1, positions: [] })]], S, a.state);
    expect(b.state.positions).toEqual({});
    // And a returning position then notifies afresh.
    const c = runSteps([[T0 + S.cooldownMs + 1, good(T0 + S.cooldownMs + 1, { riskRatio: 0.1, positions: [pos(k, 0.03)] })]], S, b.state);
    expect(kinds(c.notices)).toEqual(['position']);
    // At most MAX_REMEMBERED_POSITIONS vanished positions are kept.
    const many = Array.from({ length: MAX_REMEMBERED_POSITIONS + 50 }, (_, i) => pos(`S${i}|long|cross`, 0.01));
    const full = stepPositions(initialAlertState(), many, S, T0).state;
    expect(Object.keys(stepPositions(full, [], S, T0 + 1).state.positions)).toHaveLength(MAX_REMEMBERED_POSITIONS);
  });

  it("'ratio unknown' is debounced: one unknown read between good ones notifies nothing, two in a row notify", () => {
    const unknown = (t: number) => good(t, { riskRatio: null, unknownReason: 'wallet balance unreadable' });
    const once = runSteps([
      [T0, good(T0)],
      [T0 + 1000, unknown(T0 + 1000)],
      [T0 + 2000, good(T0 + 2000)],
    ]);
    expect(kinds(once.notices).filter((k) => k === 'stale')).toEqual([]);
    const twice = runSteps([
      [T0, good(T0)],
      [T0 + 1000, unknown(T0 + 1000)],
      [T0 + 2000, unknown(T0 + 2000)],
    ]);
    expect(twice.notices.filter((n) => n.kind === 'stale')).toEqual([expect.objectContaining({ reason: expect.stringContaining('wallet balance unreadable') })]);
  });

  it('the account is stale at once (badge), even while its notice is debounced', () => {
    const r = step(initialAlertState(), good(T0, { riskRatio: null }), S, T0);
    expect(r.notices.filter((n) => n.kind === 'stale')).toEqual([]);
    expect(r.state.stale.active).toBe(true);
  });

  it(`the dead-man switch is not delayed: prices silent past their limit (more than ${STALE_DEBOUNCE_MS / 1000} s) notify on the first check`, () => {
    const r = step(initialAlertState(), good(T0, { riskRatio: 0.1, oldestPriceAt: T0 - S.priceMaxAgeMs - 1 }), S, T0);
    expect(r.notices.filter((n) => n.kind === 'stale')).toEqual([expect.objectContaining({ reason: expect.stringContaining('mark prices stopped') })]);
  });

  it("'monitoring stopped' has its own cooldown across episodes", () => {
    const unknown = (t: number) => good(t, { riskRatio: null });
    const seq: [number, AlertInput][] = [];
    // Three episodes of two unknown reads each, separated by a good read, within 30 s.
    for (let e = 0; e < 3; e++) {
      const t = T0 + e * 10_000;
      seq.push([t, unknown(t)], [t + 1000, unknown(t + 1000)], [t + 2000, good(t + 2000)]);
    }
    expect(kinds(runSteps(seq).notices).filter((k) => k === 'stale')).toHaveLength(1);
    // After the cooldown a new episode notifies again.
    const later = T0 + S.cooldownMs + 30_000;
    seq.push([later, unknown(later)], [later + 1000, unknown(later + 1000)]);
    expect(kinds(runSteps(seq).notices).filter((k) => k === 'stale')).toHaveLength(2);
  });

  it('a long outage starting inside the stale cooldown is still notified once the cooldown ends', () => {
    const unknown = (t: number) => good(t, { riskRatio: null });
    const seq: [number, AlertInput][] = [
      [T0, unknown(T0)],
      [T0 + 1000, unknown(T0 + 1000)], // notified
      [T0 + 2000, good(T0 + 2000)], // short episode over
    ];
    // A new episode from T0 + 11 s that does not end: checked every 5 s (one check lands on T0 + 61 s) for two cooldowns.
    for (let t = T0 + 11_000; t < T0 + 2 * S.cooldownMs; t += 5000) seq.push([t, unknown(t)]);
    const stale = runSteps(seq).notices.filter((n) => n.kind === 'stale');
    expect(stale.map((n) => n.at)).toEqual([T0 + 1000, T0 + 1000 + S.cooldownMs]);
  });

  it('property: a page that flickers its table for 60 s yields at most one notice per kind', () => {
    const settingsArb = fc.integer({ min: 60_000, max: 3_600_000 }).map((cooldownMs) => ({ ...DEFAULT_ALERT_SETTINGS, cooldownMs }));
    // What a flickering read can look like: the full table, no rows, rows without a ratio, or rows that could not be read.
    const variant = fc.constantFrom('good', 'empty', 'unknown', 'unreadable', 'no-distance');
    fc.assert(
      fc.property(
        settingsArb,
        fc.array(fc.record({ dt: fc.integer({ min: 0, max: 3000 }), v: variant }), { minLength: 1, maxLength: 120 }),
        fc.double({ min: 0.5, max: 1.1, noNaN: true }),
        (settings, reads, ratio) => {
          let t = T0;
          let state = initialAlertState();
          const count: Record<string, number> = {};
          for (const r of reads) {
            t += r.dt;
            if (t - T0 > 60_000) break;
            const base = good(t, { riskRatio: ratio });
            const input: AlertInput =
              r.v === 'good'
                ? base
                : r.v === 'empty'
                  ? { ...base, positions: [] }
                  : r.v === 'unknown'
                    ? { ...base, riskRatio: null, unknownReason: 'table half rendered' }
                    : r.v === 'unreadable'
                      ? { ...base, riskRatio: null, positions: [], positionsUnreadable: 'row 1: size unreadable' }
                      : { ...base, positions: [pos('BTCUSDT|long|cross', null)] };
            const res = step(state, input, settings, t);
            state = res.state;
            for (const n of res.notices) count[n.kind] = (count[n.kind] ?? 0) + 1;
          }
          return Object.values(count).every((c) => c <= 1);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('12.1 positions on the page that could not be read', () => {
  it('make the account stale with that reason even with no positions read, and notify once (after the debounce)', () => {
    const unreadable = (t: number) => good(t, { riskRatio: 0, positions: [], positionsUnreadable: 'row 2: size unreadable' });
    const { state, notices } = runSteps([
      [T0, unreadable(T0)],
      [T0 + 1000, unreadable(T0 + 1000)],
      [T0 + 2000, unreadable(T0 + 2000)],
      [T0 + 3000, unreadable(T0 + 3000)],
    ]);
    expect(state.stale).toMatchObject({ active: true, reason: expect.stringContaining('row 2: size unreadable') });
    expect(notices).toEqual([expect.objectContaining({ kind: 'stale', reason: expect.stringContaining('row 2: size unreadable') })]);
  });
});
