/**
 * The worker prints liquidation prices on the exchange's tick once it has the instrument specs: a
 * Hyperliquid account read from its page, `meta` answered (szDecimals), and the account's printed
 * liquidation price on the 5-significant-figure grid, rounded toward the mark.
 */
import { describe, expect, it } from 'vitest';
import { D } from '@/lib/engine/decimal';
import { hyperliquidRead, hyperliquidSnapshot, send, tabSender, useWorker } from '../support/worker';

const w = useWorker();

describe('worker: instrument specs reach the engine', () => {
  it('after the refresh, liquidationPriceDisplayed is on the tick (toward the mark) and differs from the raw price', async () => {
    const metaRequests: string[] = [];
    const fetchWithMeta = (async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = String(input);
      if (url.endsWith('/hyperliquid/info') && init?.method === 'POST' && JSON.parse(String(init.body)).type === 'meta') {
        metaRequests.push(url);
        return new Response(JSON.stringify({ universe: [{ name: 'BTC', szDecimals: 5, maxLeverage: 40 }], marginTables: [] }), { headers: { 'content-type': 'application/json' } });
      }
      return globalThis.fetch(input, init);
    }) as typeof fetch;
    const monitor = await w.start({ fetch: fetchWithMeta });
    await send(hyperliquidRead(hyperliquidSnapshot()), tabSender(7));
    const row = () => Object.values(monitor.accounts)[0]!.risk!.positions[0]!;
    const rawBefore = row().liquidationPrice;
    expect(rawBefore).not.toBeNull();
    expect(row().liquidationPriceDisplayed).toBe(rawBefore); // no tick known yet (Hyperliquid bundles none)

    await monitor.refreshTiers();
    expect(metaRequests.length).toBeGreaterThan(0);
    const r = row();
    const raw = new D(r.liquidationPrice!);
    const shown = new D(r.liquidationPriceDisplayed!);
    const mark = new D(r.markPrice!);
    // BTC near 90,000 with szDecimals 5: 5 significant figures → step 1
    const step = new D(10).pow(raw.e - 4);
    expect(shown.mod(step).isZero()).toBe(true);
    expect(shown.minus(raw).abs().lt(step)).toBe(true);
    expect(mark.gt(raw) ? shown.gte(raw) : shown.lte(raw)).toBe(true);
    expect(shown.eq(raw)).toBe(false); // the fixture's raw price is not on the step: the rounding is visible
  });
});
