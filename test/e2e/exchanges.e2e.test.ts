/**
 * Each exchange fixture, end to end: the content script reads the page at its real URL, the
 * background evaluates it with live marks from the (loopback) exchange stream, and the popup and
 * the on-page overlay show the same margin ratio as the engine command line
 * (`npm run -s risk -- FILE.json`) for the snapshot the background evaluated.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Decimal } from 'decimal.js';
import type { AccountSnapshot, ExchangeId } from '../../lib/engine/snapshot';
import type { TierTable, WhatIfResult } from '../../lib/engine';
import { STREAM_ADAPTERS } from '../../lib/exchanges/streams';
import { formatPercent, formatPrice, UNKNOWN } from '../../lib/view/format';
import { RATIO_TITLE_DECIMALS } from '../../lib/view/overlay';
import { waitFor } from '../../harness/extension';
import { screenshot, startHarness, type Harness } from '../../harness/start';
import { EXCHANGE_PAGES, type StreamExchange } from '../../harness/hosts';
import { itWhen } from '../../harness/vitest';
import { accountAttr, evaluatedSnapshot, liveTierTables, openPopup, overlayRatio, popupRatio, readAccount, riskCli } from '../../harness/product';
import { serveOkxPositionTiers } from '../../harness/public-api';

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
      .poll(async () => (await overlayRatio(page, key))?.percent ?? null, { timeout: 10_000 })
      .toBe(cli.marginRatio === null ? null : formatPercent(cli.marginRatio, RATIO_TITLE_DECIMALS));
    const ov = await overlayRatio(page, key);
    expect(ov?.text).toBe(cli.marginRatio === null ? UNKNOWN : formatPercent(cli.marginRatio, 1));
    await page.locator('margin-sentinel-overlay .ms-toggle').click();
    await screenshot(page, `overlay-${ex}`);
    await page.close();
  });
});

describe('what-if in the popup (real Chromium)', () => {
  itWhen(['reader', 'popup', 'riskCli'], 'BTC −5 %: the popup shows the engine command line’s after-figures', async () => {
    const page = await h.b.context.newPage();
    await page.goto(EXCHANGE_PAGES.binance.url);
    const first = await waitFor(async () => (await readAccount(h.b.sw(), 'binance-usdm'))?.snapshot && (await readAccount(h.b.sw(), 'binance-usdm')), {
      what: 'the binance-usdm account record',
    });
    // Fix the marks on the stream so the background's what-if and the CLI see the same account.
    const pushed: Record<string, string> = {};
    for (const p of first.snapshot!.positions) {
      const streamSym = STREAM_ADAPTERS['binance-usdm'].streamSymbol(p.symbol)!;
      pushed[p.symbol] = new Decimal(p.markPrice ?? p.entryPrice).mul('0.995').toDecimalPlaces(2).toString();
      await waitFor(() => h.server.streams.subscribed('binance').includes(streamSym), { what: `a subscription to ${streamSym}` });
      h.server.streams.setMark('binance', streamSym, pushed[p.symbol]!);
    }
    const rec = await waitFor(
      async () => {
        const r = await readAccount(h.b.sw(), 'binance-usdm');
        return r && Object.entries(pushed).every(([s, price]) => r.marks[s]?.price === price) && r.risk ? r : null;
      },
      { what: 'binance-usdm evaluated with the streamed marks' },
    );

    const scenario = { moves: [{ kind: 'shift-mark', symbol: 'BTCUSDT', percent: '-5' }] };
    const cli = await riskCliWhatIf(evaluatedSnapshot(rec), scenario, await liveTierTables(h.b.sw(), rec));
    const btcAfter = cli.after.positions.find((p) => p.symbol === 'BTCUSDT')!;

    const popup = await openPopup(h.b);
    const card = popup.locator(`section.card${accountAttr('binance-usdm')}`);
    await card.locator('details[data-panel="whatif"] > summary').click();
    await card.locator('#wi-shift-symbol').selectOption('BTCUSDT');
    await card.locator('#wi-shift-value').fill('-5');
    await card.getByRole('button', { name: 'Apply' }).click();
    const ratioLine = card.locator('li[data-delta="marginRatio"]');
    await expect.poll(() => ratioLine.textContent(), { timeout: 10_000 }).toContain(`→ ${formatPercent(cli.after.marginRatio, 2)}`);
    const btcLine = await card.locator('li[data-delta="BTCUSDT long cross.liquidationPrice"]').textContent();
    expect(btcLine).toContain(btcAfter.liquidationPrice === null ? 'none' : formatPrice(btcAfter.liquidationPrice));
    await screenshot(popup, 'popup-whatif-binance');
    await popup.close();
    await page.close();
  });
});

/** `npm run -s risk -- FILE --scenario SCENARIO [--tiers TIERS]`, as a user runs it. */
async function riskCliWhatIf(snapshot: AccountSnapshot, scenario: unknown, tiers: TierTable[]): Promise<WhatIfResult> {
  const dir = mkdtempSync(join(tmpdir(), 'ms-e2e-whatif-'));
  try {
    writeFileSync(join(dir, 's.json'), JSON.stringify(snapshot));
    writeFileSync(join(dir, 'w.json'), JSON.stringify(scenario));
    const args = ['run', '-s', 'risk', '--', join(dir, 's.json'), '--scenario', join(dir, 'w.json')];
    if (tiers.length) {
      writeFileSync(join(dir, 't.json'), JSON.stringify(tiers));
      args.push('--tiers', join(dir, 't.json'));
    }
    return JSON.parse(execFileSync('npm', args, { encoding: 'utf8' })) as WhatIfResult;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
