/**
 * Stop-loss awareness end to end: a Binance page whose ETH short has its position stop-loss
 * (TP/SL cell "2,800.00 / 3,300.00") beyond the liquidation price (test/fixtures/pages/orders/
 * binance-usdm-stops.html) is read by the content script; the background evaluates the stop; the
 * popup and the on-page overlay say it will never fire. Mark-price candles for σ come from the
 * harness on www.binance.com in Binance's markPriceKlines format (closes illustrative), so the
 * popup also shows the σ distance and the 24 h probability with the model in its tooltip.
 */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { describe } from 'vitest';
import { waitFor } from '../../harness/extension';
import { EXCHANGE_PAGES, PAGE_HOSTS } from '../../harness/hosts';
import { screenshot } from '../../harness/start';
import { itWhen, useHarness } from '../../harness/vitest';
import { openPopup, readAccount } from '../../harness/product';
import { ODDS_MODEL } from '../../lib/view/stops';

const PAGE = readFileSync(new URL('../fixtures/pages/orders/binance-usdm-stops.html', import.meta.url), 'utf8');
const H = 3_600_000;

/** 200 hourly closes around `base`, ±0.5 % zig-zag, in markPriceKlines rows (open time ms, prices as strings). */
function klines(base: number, now: number): unknown[] {
  const last = now - (now % H);
  return Array.from({ length: 200 }, (_, i) => {
    const t = last - (199 - i) * H;
    const c = (base * (1 + (i % 2 ? 0.005 : -0.005))).toFixed(2);
    return [t, c, c, c, c, '0', t + H - 1, '0', 60, '0', '0', '0'];
  });
}

describe('a stop-loss beyond the liquidation price (Binance page)', () => {
  const h = useHarness();
  itWhen(['reader', 'popup', 'overlay'], 'the popup and the overlay say it will never fire; σ figures shown with the model', async () => {
    const candleAsks: string[] = [];
    h().server.setApi(PAGE_HOSTS.binance, '/fapi/v1/markPriceKlines', (url) => {
      const symbol = url.searchParams.get('symbol')!;
      candleAsks.push(symbol);
      return klines(symbol === 'ETHUSDT' ? 2918.4 : 77829.3, Date.now());
    });
    h().server.setPage(PAGE_HOSTS.binance, PAGE);
    const page = await h().b.context.newPage();
    await page.goto(EXCHANGE_PAGES.binance.url);
    const rec = await waitFor(
      async () => {
        const r = await readAccount(h().b.sw(), 'binance-usdm');
        return r?.stops?.length === 2 && r.odds?.positions.some((o) => o.touch24h !== null) ? r : null;
      },
      { what: 'the binance-usdm account with its stops and σ figures' },
    );
    expect(rec.snapshot!.orders).toHaveLength(3);
    const eth = rec.stops!.find((s) => s.symbol === 'ETHUSDT')!;
    expect(eth.status).toBe('never-fires');
    expect(eth.triggerPrice).toBe('3300');
    expect(Number(eth.liquidationPrice)).toBeLessThan(3300);
    expect(candleAsks.sort()).toEqual(['BTCUSDT', 'ETHUSDT']);

    const popup = await openPopup(h().b);
    const notice = popup.locator('.notice-stop');
    await expect.poll(async () => (await notice.allInnerTexts()).join('\n'), { timeout: 10_000 }).toMatch(/ETHUSDT short: stop-loss 3,300(\.\d+)? is beyond the liquidation price .*: it will never fire/);
    const ethStop = popup.locator('tr[data-symbol="ETHUSDT"] [data-stop]');
    expect(await ethStop.getAttribute('data-stop')).toBe('never-fires');
    expect(await ethStop.innerText()).toContain('beyond liq.: never fires');
    const odds = popup.locator('tr[data-symbol="ETHUSDT"] .odds');
    expect(await odds.innerText()).toMatch(/σ · [\d.]+ % in 24 h/);
    expect(await odds.getAttribute('title')).toContain(ODDS_MODEL);
    await screenshot(popup, 'popup-stop-beyond-liquidation');
    await popup.close();

    await page.bringToFront();
    const warn = page.locator('margin-sentinel-overlay [data-stop-warning]');
    await expect.poll(async () => ((await warn.count()) ? await warn.first().innerText() : ''), { timeout: 10_000 }).toContain('beyond the liquidation price');
    await page.close();
  });
});
