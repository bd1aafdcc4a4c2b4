/**
 * `npm run -s read-page -- URL FILE.html`: the real script, run by tsx as a child process.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { safeParseSnapshot } from '../../lib/engine/snapshot';

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');
const SCRIPT = join(ROOT, 'scripts', 'read-page.ts');
const FIX = (f: string) => join(ROOT, 'test', 'fixtures', 'pages', f);

async function readPage(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(TSX, [SCRIPT, ...args], { cwd: ROOT });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('read-page CLI', () => {
  it('prints { snapshot, health } for a saved Hyperliquid page', async () => {
    const r = await readPage('https://app.hyperliquid.xyz/trade', FIX('hyperliquid.html'));
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out)).toEqual(['snapshot', 'health']);
    expect(out.health.status).toBe('ok');
    expect(safeParseSnapshot(out.snapshot).ok).toBe(true);
    expect(out.snapshot.positions.map((p: { symbol: string; side: string }) => `${p.symbol} ${p.side}`)).toEqual(['ETH short', 'BTC short']);
  });

  it('reports an unrecognised page (exit 0, snapshot null)', async () => {
    const r = await readPage('https://www.binance.com/de/futures/BTCUSDT', FIX('binance-usdm-de.html'));
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.snapshot).toBeNull();
    expect(out.health.status).toBe('unrecognized');
  });

  it('exits 2 with a clear message for an unknown URL or an unreadable file', async () => {
    const a = await readPage('https://example.com/futures/BTCUSDT', FIX('binance-usdm.html'));
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/no reader for URL https:\/\/example.com/);
    const b = await readPage('https://www.okx.com/trade-swap/btc-usdt-swap', FIX('does-not-exist.html'));
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/cannot read .*does-not-exist.html/);
    const c = await readPage('https://www.okx.com/trade-swap/btc-usdt-swap');
    expect(c.code).toBe(2);
    expect(c.stderr).toMatch(/usage/);
  });
});
