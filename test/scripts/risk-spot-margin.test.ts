// @vitest-environment node
/** `npm run -s risk` on spot-margin snapshots (Binance Cross and Isolated Margin), run as a user runs it. */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { evaluateSpotMargin, spotMarginWhatIf } from '../../lib/engine';

const dir = 'test/fixtures/snapshots/spot-margin';
const run = (args: string[], input?: string) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'scripts/risk.ts', ...args], { encoding: 'utf8', input });

describe('npm run -s risk, spot margin', () => {
  const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
  it('has a cross and an isolated snapshot', () => {
    expect(files.map((f) => JSON.parse(readFileSync(`${dir}/${f}`, 'utf8')).mode).sort()).toEqual(['cross', 'isolated']);
  });
  it.each(files)('%s: prints the spot-margin result, reconciled with the displayed level', (f) => {
    const r = run([`${dir}/${f}`]);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toEqual(JSON.parse(JSON.stringify(evaluateSpotMargin(JSON.parse(readFileSync(`${dir}/${f}`, 'utf8'))))));
    expect(out.kind).toBe('spot-margin');
    expect(out.marginLevel).toMatch(/^\d+\.\d+$/);
    const recs = out.mode === 'cross' ? out.reconciliation : out.pairs.flatMap((p: { reconciliation: unknown[] }) => p.reconciliation);
    expect(recs.length).toBeGreaterThan(0);
    for (const x of recs) expect(x.mismatch, JSON.stringify(x)).toBe(false);
    expect(r.stdout).not.toMatch(/NaN|Infinity/);
  });
  it('--scenario: repay then a 5 % fall, before/after/deltas', () => {
    const r = run([`${dir}/binance-cross.json`, '--scenario', 'test/fixtures/scenarios/margin-repay.json']);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    const snap = JSON.parse(readFileSync(`${dir}/binance-cross.json`, 'utf8'));
    const want = spotMarginWhatIf(snap, JSON.parse(readFileSync('test/fixtures/scenarios/margin-repay.json', 'utf8')));
    expect(out.deltas).toEqual(want.deltas);
    expect(Number(out.after.marginLevel)).toBeLessThan(Number(out.before.marginLevel));
  });
  it('an invalid spot-margin snapshot exits 2 naming the field', () => {
    const bad = JSON.parse(readFileSync(`${dir}/binance-cross.json`, 'utf8'));
    bad.assets[2].borrowed = '-3';
    const r = run(['-'], JSON.stringify(bad));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/assets\[2\]\.borrowed/);
  });
  it('a move that cannot apply exits 2', () => {
    const r = run([`${dir}/binance-cross.json`, '--scenario', '-'], JSON.stringify({ moves: [{ kind: 'repay', asset: 'USDT', amount: '100000' }] }));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/invalid scenario: repay 100000 USDT exceeds the free balance/);
  });
});
