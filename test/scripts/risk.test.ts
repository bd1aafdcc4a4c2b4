// @vitest-environment node
/** The `risk` command line, run as a user runs it (tsx), on the snapshot fixtures of all five exchanges. */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../lib/engine';
import { bundledInstruments } from '../../lib/exchanges/instruments';
import { defaultTierTables } from '../../lib/exchanges/tiers';

const dir = 'test/fixtures/snapshots';
const run = (args: string[], input?: string) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'scripts/risk.ts', ...args], { encoding: 'utf8', input });

describe('npm run -s risk', () => {
  const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
  it('has a snapshot for each of the five exchanges', () => {
    expect(files.map((f) => JSON.parse(readFileSync(`${dir}/${f}`, 'utf8')).exchange).sort()).toEqual(
      ['binance-coinm', 'binance-usdm', 'bybit', 'hyperliquid', 'okx'],
    );
  });
  it.each(files)('%s: prints the engine result as JSON', (f) => {
    const r = run([`${dir}/${f}`]);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    const snap = JSON.parse(readFileSync(`${dir}/${f}`, 'utf8'));
    expect(out).toEqual(JSON.parse(JSON.stringify(evaluate(snap, defaultTierTables(snap.exchange), { instruments: bundledInstruments(snap.exchange) }))));
    for (const k of ['marginBalance', 'maintenanceMargin', 'initialMargin', 'availableBalance', 'marginRatio', 'riskRatio', 'liquidationMove', 'positions']) {
      expect(out).toHaveProperty(k);
    }
    expect(r.stdout).not.toMatch(/NaN|Infinity/);
    // every null figure has a reason
    for (const p of out.positions) {
      for (const k of ['notional', 'unrealizedPnl', 'maintenanceMargin', 'liquidationPrice']) {
        if (p[k] === null) expect(p.reasons.length, `${p.symbol}.${k}`).toBeGreaterThan(0);
      }
    }
  });
  it('reads stdin with -', () => {
    const text = readFileSync(`${dir}/bybit.json`, 'utf8');
    const r = run(['-'], text);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).exchange).toBe('bybit');
  });
  it('--scenario prints before, after and deltas', () => {
    const r = run([`${dir}/binance-usdm.json`, '--scenario', 'test/fixtures/scenarios/btc-minus-5.json']);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.before.marginBalance).not.toBe(out.after.marginBalance);
    expect(out.deltas.length).toBeGreaterThan(0);
  });
  it('invalid input exits 2 and names the field', () => {
    const bad = JSON.parse(readFileSync(`${dir}/binance-usdm.json`, 'utf8'));
    bad.positions[1].size = '--';
    const r = run(['-'], JSON.stringify(bad));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/positions\[1\]\.size/);
    expect(r.stdout).toBe('');
  });
  it('--instruments overlays tick sizes: the printed liquidation price follows the given tick', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'risk-')), 'instruments.json');
    const base = JSON.parse(run([`${dir}/hyperliquid.json`]).stdout);
    const raw = base.positions.find((p: { liquidationPrice: string | null }) => p.liquidationPrice !== null);
    expect(raw.liquidationPriceDisplayed).toBe(raw.liquidationPrice); // Hyperliquid bundles no tick
    writeFileSync(file, JSON.stringify({ [raw.symbol]: { tickSize: '5', source: 'test', asOf: 'test' } }));
    const r = run([`${dir}/hyperliquid.json`, '--instruments', file]);
    expect(r.status, r.stderr).toBe(0);
    const row = JSON.parse(r.stdout).positions.find((p: { symbol: string }) => p.symbol === raw.symbol);
    expect(Number(row.liquidationPriceDisplayed) % 5).toBe(0);
    expect(Math.abs(Number(row.liquidationPriceDisplayed) - Number(raw.liquidationPrice))).toBeLessThan(5);
  });
  it('non-JSON input exits 2', () => {
    const r = run(['-'], 'not json');
    expect(r.status).toBe(2);
  });
  it('works through npm exactly as documented', () => {
    const out = execFileSync('npm', ['run', '-s', 'risk', '--', `${dir}/hyperliquid.json`], { encoding: 'utf8' });
    expect(JSON.parse(out).exchange).toBe('hyperliquid');
  });
});
