/**
 * Spot margin (issue 16) in real Chromium with the built extension: a Binance Cross Margin page
 * (the reconstructed fixture, one BTC holding against a USDT loan) served on loopback under its
 * real URL, prices from the loopback Binance spot stream (stream.binance.com, miniTicker). The
 * margin level falls 2.5 → 1.9 → 1.5 → 1.2 through the stream: exactly one notification per
 * alert level crossed (2.0, 1.5, 1.3), the toolbar badge and the on-page overlay show the level as
 * Binance does, the popup shows the level and the BTC liquidation price.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { notificationCalls, readBadge, sleep } from '../../harness/extension';
import { openPopup, overlayRatio } from '../../harness/product';
import { screenshot } from '../../harness/start';
import { itWhen, useHarness } from '../../harness/vitest';

const URL = 'https://www.binance.com/en/trade/BTC_USDT?type=cross';

/** The cross fixture reduced to 0.05 BTC held against 1 000 USDT borrowed: level = BTC price / 20 000. */
function marginPage(): string {
  let html = readFileSync(join(import.meta.dirname, '..', 'fixtures', 'pages', 'binance-margin-cross.html'), 'utf8');
  const rows = [
    '<tr><td>USDT</td><td>0.00000000</td><td>0.00000000</td><td>0.00000000</td><td>1,000.00000000</td><td>0.00000000</td><td>-1,000.00000000</td><td></td></tr>',
    '<tr><td>BTC</td><td>0.05000000</td><td>0.05000000</td><td>0.00000000</td><td>0.00000000</td><td>0.00000000</td><td>0.05000000</td><td></td></tr>',
  ].join('\n');
  html = html.replace(/<tbody>[\s\S]*<\/tbody>/, `<tbody>${rows}</tbody>`);
  return html.replace('<div class="v">1.47</div>', '<div class="v">2.50</div>');
}

const marginNotices = (calls: ReturnType<typeof notificationCalls>) => calls.filter((c) => c.id?.startsWith('ms|binance-margin:cross|level|'));

describe('Binance Cross Margin page, level falling through the spot stream', () => {
  const h = useHarness();
  itWhen(['popup'], '2.5 → 1.9 → 1.5 → 1.2: one notification per level, badge shows the level, popup shows liquidation prices', async () => {
    const { server, b } = h();
    server.setPage('www.binance.com', marginPage());
    server.spot.setPrice('BTCUSDT', '50000');
    const page = await b.context.newPage();
    await page.goto(URL);
    await expect.poll(() => readBadge(b.sw()).then((x) => x.text), { timeout: 20_000 }).toBe('2.50');
    expect(server.spot.symbols()).toEqual(['BTCUSDT']);

    const steps: [string, string, number][] = [
      ['38000', '1.90', 1],
      ['30000', '1.50', 2],
      ['24000', '1.20', 3],
    ];
    for (const [price, badge, count] of steps) {
      server.spot.setPrice('BTCUSDT', price);
      await expect.poll(() => readBadge(b.sw()).then((x) => x.text), { timeout: 10_000 }).toBe(badge);
      await expect.poll(() => marginNotices(notificationCalls(server)).length, { timeout: 5000 }).toBe(count);
    }
    // Let any late or duplicate delivery show up before counting; the stream keeps re-pushing 24 000.
    await sleep(2500);
    const notes = marginNotices(notificationCalls(server));
    expect(notes.map((n) => n.title)).toEqual([
      'Binance Cross Margin: margin level 1.90',
      'Binance Cross Margin: margin level 1.50',
      'Binance Cross Margin: margin level 1.20 — near liquidation',
    ]);
    expect(notes[2]!.message).toMatch(/BTC liquidates the account at 22000/);
    const badge = await readBadge(b.sw());
    expect(badge.text).toBe('1.20');
    // The on-page overlay on the margin page shows the same level (changed figures reach it within 2 s while elevated).
    await expect.poll(async () => (await overlayRatio(page, 'binance-margin:cross'))?.text, { timeout: 12_000 }).toBe('ML 1.20');
    await screenshot(page, 'margin-page-overlay');

    const popup = await openPopup(b);
    const card = popup.locator('[data-kind="spot-margin"]');
    await expect.poll(() => card.locator('[data-field="marginLevel"]').textContent(), { timeout: 5000 }).toBe('1.20');
    expect(await card.locator('[data-field="risk"]').textContent()).toBe('risk 92 %');
    expect(await card.locator('tr[data-asset="BTC"] td').nth(2).textContent()).toBe('falls to 22000');
    await screenshot(popup, 'margin-popup');
  }, 90_000);
});
