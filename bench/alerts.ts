/**
 * Alert latency benchmark: time from a mark-price frame leaving the loopback exchange server to
 * the notification request (`chrome.notifications.create` port), through the real stream client
 * (partysocket + Hyperliquid `activeAssetCtx` parser), the real monitor (engine evaluation, alert
 * state machine, storage outbox in WXT's fake browser) and the real notification text.
 * Goal: under 10 ms on top of the stream's own cadence.
 *
 * Run: `npm run bench` (scripts/bench.ts) or `npx tsx -e "import('./bench/alerts.ts').then(m=>m.benchAlerts()).then(console.table)"`.
 */
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { BenchRow } from './types';

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
}

/** Run the benchmark; returns two rows (alert path, and plain re-evaluation per tick). */
export async function benchAlerts(opts: { iterations?: number } = {}): Promise<BenchRow[]> {
  const iterations = opts.iterations ?? 200;
  const { fakeBrowser } = await import('@webext-core/fake-browser');
  const g = globalThis as Record<string, unknown>;
  const hadChrome = 'chrome' in g;
  const prev = { chrome: g.chrome, browser: g.browser };
  g.chrome = fakeBrowser;
  g.browser = fakeBrowser;
  fakeBrowser.reset();
  const { default: WebSocket } = await import('ws');
  const { startStreamServer } = await import('../harness/stream-server');
  const { Monitor } = await import('../lib/background/monitor');
  const { endpointOverrideItem, settingsItem } = await import('../lib/storage');
  const { DEFAULT_SETTINGS } = await import('../lib/settings/schema');
  const { evaluate, withMarks } = await import('../lib/engine');
  const { defaultTierTables } = await import('../lib/exchanges/tiers');

  const server = await startStreamServer();
  const snapshot = JSON.parse(fs.readFileSync(new URL('../test/fixtures/snapshots/hyperliquid.json', import.meta.url), 'utf8'));
  const ratioAt = (p: number) => Number(evaluate(withMarks(snapshot, { BTC: String(p) }), defaultTierTables('hyperliquid')).riskRatio);
  // Prices alternating across the 0.7 level: above (alert) and well below (re-arm).
  let high = 94000;
  while (ratioAt(high) < 0.75) high -= 50;
  const low = 94000;

  await endpointOverrideItem.setValue({ stream: server.origin, rest: server.httpOrigin });
  await settingsItem.setValue({ ...DEFAULT_SETTINGS, alerts: { ...DEFAULT_SETTINGS.alerts, levels: [0.7], cooldownMs: 0, hysteresis: 0.05, positionDistance: 0 } });

  const notifiedAt: number[] = [];
  const evaluatedAt: number[] = [];
  const monitor = new Monitor({
    now: Date.now,
    extensionId: fakeBrowser.runtime.id,
    WebSocket,
    notify: async () => void notifiedAt.push(performance.now()),
    setBadge: async () => {},
  });
  await monitor.init();
  const origEval = monitor.evaluateAccount.bind(monitor);
  monitor.evaluateAccount = (key: string) => {
    const r = origEval(key);
    evaluatedAt.push(performance.now());
    return r;
  };
  await monitor.handlePageRead(
    { type: 'page-read', exchange: 'hyperliquid', snapshot, health: { exchange: 'hyperliquid', status: 'ok', url: '', readAt: 0, found: [], missing: [], problems: [], lastGoodReadAt: 0 } },
    { id: fakeBrowser.runtime.id, url: 'https://app.hyperliquid.xyz/trade', tab: { id: 1, windowId: 1 } },
  );
  const waitFor = async (cond: () => boolean) => {
    const t0 = Date.now();
    while (!cond()) {
      if (Date.now() - t0 > 5000) throw new Error('bench: timed out');
      await new Promise((r) => setImmediate(r));
    }
  };
  await waitFor(() => server.subscriptions('hyperliquid').includes('BTC'));

  const alertLat: number[] = [];
  const evalLat: number[] = [];
  const warmup = 20;
  for (let i = -warmup; i < iterations; i++) {
    // Re-arm (no alert): measures tick → evaluation.
    let n = evaluatedAt.length;
    let t0 = performance.now();
    server.setMark('hyperliquid', 'BTC', String(low - (i % 7)));
    await waitFor(() => evaluatedAt.length > n);
    if (i >= 0) evalLat.push(evaluatedAt[n]! - t0);
    // Crossing: measures tick → notification request.
    n = notifiedAt.length;
    t0 = performance.now();
    server.setMark('hyperliquid', 'BTC', String(high - (i % 7)));
    await waitFor(() => notifiedAt.length > n);
    if (i >= 0) alertLat.push(notifiedAt[n]! - t0);
  }

  await monitor.dispose();
  await server.close();
  fakeBrowser.reset();
  if (hadChrome) {
    g.chrome = prev.chrome;
    g.browser = prev.browser;
  } else {
    delete g.chrome;
    delete g.browser;
  }

  const row = (name: string, xs: number[], goalMs: number, note: string): BenchRow => {
    const median = quantile(xs, 0.5);
    const p99 = quantile(xs, 0.99);
    return { name, unit: 'ms', median: +median.toFixed(3), p99: +p99.toFixed(3), goal: `p99 < ${goalMs} ms`, met: p99 < goalMs, note };
  };
  return [
    row('alert: mark frame → notification request', alertLat, 10, `${iterations} crossings after ${warmup} warm-up, loopback WS, Hyperliquid 2-position account, fake-browser storage`),
    row('alert: mark frame → risk re-evaluated (no alert)', evalLat, 10, `${iterations} ticks`),
  ];
}
