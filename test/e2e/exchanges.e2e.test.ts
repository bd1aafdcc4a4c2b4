/**
 * Each exchange fixture, end to end: the content script reads the page at its real URL, the
 * background evaluates it with live marks from the (loopback) exchange stream, and the popup and
 * the on-page overlay show the same margin ratio as the engine command line
 * (`npm run -s risk -- FILE.json`) for the snapshot the background evaluated.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Decimal } from 'decimal.js';
import type { ExchangeId } from '../../lib/engine/snapshot';
import { STREAM_ADAPTERS } from '../../lib/exchanges/streams';
import { formatPercent, UNKNOWN } from '../../components/format';
import { waitFor } from './support/extension';
import { screenshot, startHarness, type Harness } from './support/harness';
import { EXCHANGE_PAGES, type StreamExchange } from './support/hosts';
import { itWhen } from './support/parts';
import { evaluatedSnapshot, liveTierTables, openPopup, overlayRatio, popupRatio, readAccount, riskCli } from './support/product';
import { serveOkxPositionTiers } from './support/public-api';

/**
 * `computable`: the fixture account's margin ratio is known. OKX tiers count contracts: the reader
 * sends `contractSize` (ctVal) and the harness serves OKX's public position tiers.
 */
const CASES: { ex: StreamExchange; key: ExchangeId; computable: boolean }[] = [
  { ex: 'binance', key: 'binance-usdm', computable: true },
  { ex: 'bybit', key: 'bybit', computable: true },
  { ex: 'okx', key: 'okx', computable: true },
  { ex: 'hyperliquid', key: 'hyperliquid', computable: true },
];

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  serveOkxPositionTiers(h.server);
});
afterAll(async () => {
  await h?.close();
});

describe.each(CASES)('$ex fixture', ({ ex, key, computable }) => {
  itWhen(['reader', 'popup', 'overlay', 'riskCli'], 'popup and overlay show the engine CLI margin ratio for the evaluated snapshot', async () => {
    const page = await h.b.context.newPage();
    await page.goto(EXCHANGE_PAGES[ex].url);
    const first = await waitFor(async () => (await readAccount(h.b.sw(), key))?.snapshot && (await readAccount(h.b.sw(), key)), {
      what: `the ${key} account record`,
    });
    expect(first.health?.status).toBe('ok');

    // Live marks from the stream, 1 % below what the page shows: the figures must follow the stream.
    const adapter = STREAM_ADAPTERS[key];
    const pushed: Record<string, string> = {};
    for (const p of first.snapshot!.positions) {
      const streamSym = adapter.streamSymbol(p.symbol);
      expect(streamSym, `${p.symbol} has a stream symbol`).toBeTruthy();
      pushed[p.symbol] = new Decimal(p.markPrice ?? p.entryPrice).mul('0.99').toDecimalPlaces(2).toString();
      await waitFor(() => h.server.streams.subscribed(ex).includes(streamSym!), { what: `a ${ex} subscription to ${streamSym}` });
      h.server.streams.setMark(ex, streamSym!, pushed[p.symbol]!);
    }
    const rec = await waitFor(
      async () => {
        const r = await readAccount(h.b.sw(), key);
        return r && Object.entries(pushed).every(([s, price]) => r.marks[s]?.price === price) && r.risk ? r : null;
      },
      { what: `${key} evaluated with the streamed marks` },
    );

    const cli = await riskCli(evaluatedSnapshot(rec), await liveTierTables(h.b.sw(), rec));
    expect(rec.risk!.marginRatio).toBe(cli.marginRatio);
    expect(rec.risk!.riskRatio).toBe(cli.riskRatio);
    if (computable) expect(cli.marginRatio).not.toBeNull();

    const popup = await openPopup(h.b);
    await expect.poll(async () => (await popupRatio(popup, key))?.exact, { timeout: 10_000 }).toBe(cli.marginRatio);
    const shown = (await popupRatio(popup, key))!.text;
    if (cli.marginRatio === null) expect(shown).toMatch(new RegExp(`^${UNKNOWN}\\b`));
    else expect(shown).toBe(formatPercent(cli.marginRatio, 2));
    await screenshot(popup, `popup-${ex}`);
    await popup.close();

    await page.bringToFront();
    await expect
      .poll(async () => (await overlayRatio(page, key))?.exact, { timeout: 10_000 })
      .toBe(cli.marginRatio);
    const ov = await overlayRatio(page, key);
    expect(ov?.text).toBe(cli.marginRatio === null ? UNKNOWN : formatPercent(cli.marginRatio, 1));
    await page.locator('margin-sentinel-overlay .ms-toggle').click();
    await screenshot(page, `overlay-${ex}`);
    await page.close();
  });
});
