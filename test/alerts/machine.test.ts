import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_ALERT_SETTINGS,
  initialAlertState,
  step,
  stepLevels,
  stepStaleness,
  type AlertInput,
  type AlertSettings,
  type AlertState,
  type Notice,
} from '@/lib/alerts/machine';

const S: AlertSettings = { ...DEFAULT_ALERT_SETTINGS, cooldownMs: 60_000, hysteresis: 0.03 };

function run(ratios: number[], settings = S, dtMs = 1000, start = 1_000_000) {
  let state: AlertState = initialAlertState();
  const all: Notice[][] = [];
  ratios.forEach((r, i) => {
    const res = stepLevels(state, r, settings, start + i * dtMs);
    state = res.state;
    all.push(res.notices);
  });
  return { state, notices: all };
}

describe('threshold levels (examples)', () => {
  it('notifies once per upward crossing, for the highest level crossed', () => {
    const { notices } = run([0.4, 0.55, 0.6, 0.85, 0.86, 0.5]);
    expect(notices.map((n) => n.map((x) => (x.kind === 'level' ? x.level : x.kind)))).toEqual([[], [0.5], [], [0.8], [], []]);
  });

  it('a ratio oscillating inside the hysteresis band notifies once', () => {
    const { notices } = run([0.79, 0.801, 0.79, 0.805, 0.78, 0.81, 0.775, 0.8]);
    // 0.79 first crosses 0.7 (one notice); then 0.8 is crossed once and never re-armed (0.775 > 0.8 − 0.03).
    expect(notices.flat().map((n) => (n.kind === 'level' ? n.level : n.kind))).toEqual([0.7, 0.8]);
  });

  it('re-arms after falling below level − hysteresis, and honours the cooldown', () => {
    // dt 1 s: the second crossing comes 2 s after the first, inside the 60 s cooldown.
    expect(run([0.81, 0.7, 0.82]).notices.flat().filter((n) => n.kind === 'level' && n.level === 0.8)).toHaveLength(1);
    // dt 61 s: outside the cooldown, so it notifies again.
    expect(run([0.81, 0.7, 0.82], S, 61_000).notices.flat().filter((n) => n.kind === 'level' && n.level === 0.8)).toHaveLength(2);
  });

  it('flags the top level as the escalation level', () => {
    const n = run([0.95]).notices.flat();
    expect(n).toEqual([expect.objectContaining({ kind: 'level', level: 0.9, top: true })]);
    expect(run([0.75]).notices.flat()).toEqual([expect.objectContaining({ level: 0.7, top: false })]);
  });

  it('an unknown ratio changes nothing', () => {
    const a = run([0.85]).state;
    expect(stepLevels(a, null, S, 2e6)).toEqual({ state: a, notices: [] });
  });
});

describe('position distance alerts', () => {
  const pos = (d: number | null) => ({ key: 'BTCUSDT|long|cross', symbol: 'BTCUSDT', side: 'long' as const, distanceToLiquidation: d, liquidationPrice: '60000', markPrice: '62000' });
  const input = (d: number | null): AlertInput => ({ riskRatio: 0.1, positions: [pos(d)], snapshotAt: 0, oldestPriceAt: 0, pricesExpectedSince: 0 });
  it('fires once under the distance, re-arms above distance + rearm', () => {
    let st = initialAlertState();
    const fired: number[] = [];
    [0.1, 0.04, 0.03, 0.06, 0.04, 0.08, 0.04].forEach((d, i) => {
      const r = step(st, input(d), { ...S, cooldownMs: 0 }, i * 1000);
      st = r.state;
      if (r.notices.some((n) => n.kind === 'position')) fired.push(i);
    });
    expect(fired).toEqual([1, 6]);
  });
});

describe('staleness', () => {
  const base: AlertInput = { riskRatio: 0.3, positions: [{ key: 'k', symbol: 'BTCUSDT', side: 'long', distanceToLiquidation: 0.5, liquidationPrice: '1', markPrice: '2' }], snapshotAt: 0, oldestPriceAt: 0, pricesExpectedSince: 0 };
  it('raises once when prices stop for more than 60 s, clears when fresh', () => {
    let st = initialAlertState();
    const a = stepStaleness(st, base, S, 60_000);
    expect(a.notices).toEqual([]);
    const b = stepStaleness(a.state, base, S, 60_001);
    expect(b.notices).toEqual([expect.objectContaining({ kind: 'stale', reason: expect.stringContaining('mark prices stopped') })]);
    const c = stepStaleness(b.state, base, S, 90_000);
    expect(c.notices).toEqual([]);
    expect(c.state.stale.active).toBe(true);
    st = stepStaleness(c.state, { ...base, oldestPriceAt: 89_000, snapshotAt: 89_000 }, S, 90_000).state;
    expect(st.stale.active).toBe(false);
  });
  it('raises when the page snapshot is too old, and not when no positions are open', () => {
    const r = stepStaleness(initialAlertState(), { ...base, oldestPriceAt: S.snapshotMaxAgeMs + 5000 }, S, S.snapshotMaxAgeMs + 10_000);
    expect(r.notices[0]).toMatchObject({ kind: 'stale', reason: expect.stringContaining('page was last read') });
    expect(stepStaleness(initialAlertState(), { ...base, positions: [] }, S, 10 ** 9).notices).toEqual([]);
  });
  it('raises when no price ever arrived after subscribing, and when the ratio is unknown', () => {
    expect(stepStaleness(initialAlertState(), { ...base, oldestPriceAt: null, pricesExpectedSince: 0, snapshotAt: 61_000 }, S, 61_000).notices[0]).toMatchObject({
      reason: expect.stringContaining('no mark price'),
    });
    // 'ratio unknown' is debounced (issue 12.9): it notifies on the second consecutive unknown read.
    const unknown = { ...base, riskRatio: null, unknownReason: 'wallet balance unreadable' };
    expect(stepStaleness(stepStaleness(initialAlertState(), unknown, S, 1).state, unknown, S, 2).notices[0]).toMatchObject({
      reason: expect.stringContaining('wallet balance unreadable'),
    });
  });
});

describe('properties (fast-check)', () => {
  const ratio = fc.double({ min: 0, max: 1.5, noNaN: true });
  const settingsArb = fc.record({
    levels: fc.uniqueArray(fc.double({ min: 0.1, max: 1, noNaN: true }), { minLength: 1, maxLength: 5 }),
    hysteresis: fc.double({ min: 0.001, max: 0.1, noNaN: true }),
    cooldownMs: fc.integer({ min: 0, max: 20_000 }),
  }).map((s) => ({ ...DEFAULT_ALERT_SETTINGS, ...s }));

  it('no notice while the ratio stays inside one level’s hysteresis band after the first crossing', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.2, max: 0.95, noNaN: true }), fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 60 }), (level, us) => {
        const settings = { ...S, levels: [level], hysteresis: 0.05, cooldownMs: 0 };
        const ratios = [level, ...us.map((u) => level - 0.05 + u * 0.0999)]; // all within [level − h, level + h)
        const n = run(ratios, settings).notices.flat();
        return n.length === 1;
      }),
    );
  });

  it('every upward crossing of a level notifies exactly once per cooldown (checked against an independent model)', () => {
    fc.assert(
      fc.property(settingsArb, fc.array(ratio, { maxLength: 80 }), fc.integer({ min: 1, max: 5000 }), (settings, ratios, dt) => {
        const levels = [...new Set(settings.levels)].sort((a, b) => a - b);
        const { notices } = run(ratios, settings, dt, 0);
        // Model: per level, armed flag + last notice time; crossings in one step notify the highest cooled level.
        const armed = new Map(levels.map((l) => [l, true]));
        const last = new Map<number, number>();
        for (let i = 0; i < ratios.length; i++) {
          const r = ratios[i]!;
          const t = i * dt;
          const crossedCooled: number[] = [];
          for (const l of levels) {
            if (r >= l && armed.get(l)) {
              armed.set(l, false);
              const lt = last.get(l);
              if (lt === undefined || t - lt >= settings.cooldownMs) crossedCooled.push(l);
            } else if (r < l - settings.hysteresis) armed.set(l, true);
          }
          crossedCooled.forEach((l) => last.set(l, t));
          const expected = crossedCooled.length ? [Math.max(...crossedCooled)] : [];
          const got = notices[i]!.map((n) => (n.kind === 'level' ? n.level : NaN));
          if (JSON.stringify(got) !== JSON.stringify(expected)) return false;
        }
        return true;
      }),
    );
  });

  it('a level never notifies twice within its cooldown', () => {
    fc.assert(
      fc.property(settingsArb, fc.array(ratio, { maxLength: 80 }), fc.integer({ min: 1, max: 3000 }), (settings, ratios, dt) => {
        const { notices } = run(ratios, settings, dt, 0);
        const times = new Map<number, number>();
        for (const n of notices.flat()) {
          if (n.kind !== 'level') continue;
          const prev = times.get(n.level);
          if (prev !== undefined && n.at - prev < settings.cooldownMs) return false;
          times.set(n.level, n.at);
        }
        return true;
      }),
    );
  });

  it('staleness is always raised, exactly once, when inputs stop while positions are open', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10 ** 9 }),
        fc.integer({ min: 1, max: 10 * 60_000 }),
        fc.array(fc.integer({ min: 1, max: 120_000 }), { minLength: 1, maxLength: 30 }),
        (lastInput, gapAfter, checks) => {
          const input: AlertInput = {
            riskRatio: 0.2,
            positions: [{ key: 'k', symbol: 'X', side: 'short', distanceToLiquidation: 0.5, liquidationPrice: '1', markPrice: '1' }],
            snapshotAt: lastInput,
            oldestPriceAt: lastInput,
            pricesExpectedSince: lastInput,
          };
          let st = initialAlertState();
          let count = 0;
          let t = lastInput + S.priceMaxAgeMs + gapAfter;
          for (const c of checks) {
            const r = step(st, input, S, t);
            st = r.state;
            count += r.notices.filter((n) => n.kind === 'stale').length;
            if (!st.stale.active) return false;
            t += c;
          }
          return count === 1;
        },
      ),
    );
  });
});
