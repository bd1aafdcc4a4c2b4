/**
 * The "never silent" census (issue 12): the real page readers on randomly damaged and flickering
 * copies of the saved exchange pages, feeding the real worker (fake browser, loopback streams),
 * one fresh worker per case. Every account on these pages holds open positions and, with the
 * alert levels set below its ratio, is in danger: the only honest outcomes are a red (critical),
 * grey (unknown) or STALE badge, or at least a notification. The census counts the silent ones:
 * an account with open positions that ends with a blank or green badge and no notice.
 *
 * A case is a sequence of 1–6 page reads of one tab, each of the undamaged page or a damaged one
 * (random label/number/attribute damage, PnL `******`, PnL jumping before the mark, rows or the
 * grid hidden, the grid gone while the tab keeps its count, or two of these), a few seconds apart.
 * Seeded (fast-check), so a failure reproduces. `CENSUS_RUNS=<n>` runs n cases per exchange
 * (default 300: 1 200 cases in all).
 */
import fc from 'fast-check';
import { Window } from 'happy-dom';
import { afterAll, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { BAND_COLORS } from '@/lib/alerts/bands';
import { EXCHANGE_PAGES } from '@/lib/exchanges/pages';
import type { PageReadMessage } from '@/lib/protocol/page-read';
import { DEFAULT_SETTINGS, SETTINGS_VERSION } from '@/lib/settings/schema';
import { endpointOverrideItem } from '@/lib/storage';
import { apply, mutationArb, neverSilentArb, type Ex, type Mutation } from '../exchanges/damage';
import { FIXTURES, fixtureHtml } from '../exchanges/helpers';
import { send, tabSender, useWorker } from '../support/worker';

const RUNS = Number(process.env.CENSUS_RUNS) || 300;
/** Alert levels (risk-ratio fractions) below every fixture account's ratio: each is at the top level. */
const LEVELS = [0.001, 0.002, 0.003];
const GREEN = hexRgba(BAND_COLORS.ok);

function hexRgba(hex: string): number[] {
  return [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)).concat(255);
}

// A happy-dom window keeps every document it parsed: parse in a fresh one every 100 pages.
let win: Window | null = null;
let parsed = 0;
async function freshFixture(ex: Ex): Promise<Document> {
  if (!win || parsed++ >= 100) {
    await win?.happyDOM.close();
    win = new Window({ url: FIXTURES[ex].url, settings: { disableJavaScriptEvaluation: true, disableJavaScriptFileLoading: true, disableCSSFileLoading: true } });
    parsed = 1;
  }
  return new win.DOMParser().parseFromString(fixtureHtml(FIXTURES[ex].file), 'text/html') as unknown as Document;
}
afterAll(async () => {
  await win?.happyDOM.close();
});

/** One page read of `ex`'s saved page after `damage`, as the content script sends it. */
async function pageRead(ex: Ex, damage: readonly Mutation[], now: number): Promise<PageReadMessage> {
  const doc = await freshFixture(ex);
  for (const m of damage) apply(ex, doc, m);
  const r = EXCHANGE_PAGES.find((p) => p.id === ex)!.read(doc, FIXTURES[ex].url, { now });
  return { type: 'page-read', exchange: FIXTURES[ex].id, snapshot: r.snapshot, health: r.health, identity: r.identity } as PageReadMessage;
}

/** A read's damage: none (the page as it should be), one, or two. */
const damageArb: fc.Arbitrary<readonly Mutation[]> = fc.oneof(
  fc.constant([]),
  neverSilentArb.map((m) => [m]),
  mutationArb.map((m) => [m]),
  fc.tuple(mutationArb, neverSilentArb),
);
const caseArb = fc.array(fc.record({ damage: damageArb, gapMs: fc.integer({ min: 0, max: 3_000 }) }), { minLength: 1, maxLength: 6 });

const w = useWorker();

describe('never-silent census: reader + worker on damaged, flickering pages', () => {
  const exchanges = Object.keys(FIXTURES) as Ex[];
  const totals = { cases: 0, silent: 0, blankOrGreen: 0 };

  it.each(exchanges)(`%s: ${RUNS} cases, none ends with a blank or green badge and no notice`, async (ex) => {
    const cases = fc.sample(caseArb, { seed: 1200 + exchanges.indexOf(ex), numRuns: RUNS });
    const silent: string[] = [];
    let blankOrGreen = 0;
    for (const reads of cases) {
      fakeBrowser.reset();
      w.server.reset();
      await fakeBrowser.storage.local.set({
        settings: { ...DEFAULT_SETTINGS, alerts: { ...DEFAULT_SETTINGS.alerts, levels: LEVELS } },
        settings$: { v: SETTINGS_VERSION },
      });
      await endpointOverrideItem.setValue({ stream: w.server.origin, rest: w.server.httpOrigin });
      const monitor = await w.start();
      for (const r of reads) {
        w.clock += r.gapMs;
        await send(await pageRead(ex, r.damage, w.clock), tabSender(7, FIXTURES[ex].url));
      }
      await monitor.idle();
      const text = await fakeBrowser.action.getBadgeText({});
      const color = await fakeBrowser.action.getBadgeBackgroundColor({});
      const notices = Object.keys(fakeBrowser.notifications.getAllCreateOptions()).length;
      const quiet = text === '' || JSON.stringify(color) === JSON.stringify(GREEN);
      if (quiet) blankOrGreen++;
      if (quiet && notices === 0) silent.push(`${JSON.stringify(reads.map((r) => r.damage))} → badge "${text}" ${JSON.stringify(color)}`);
      await monitor.dispose();
    }
    totals.cases += cases.length;
    totals.silent += silent.length;
    totals.blankOrGreen += blankOrGreen;
    console.info(`[never-silent census] ${ex}: ${cases.length} cases, ${silent.length} silent (blank/green badge and no notice), ${blankOrGreen} ending blank/green`);
    expect(silent.slice(0, 3), `silent outcomes on ${ex}`).toEqual([]);
    // The cases exercised the danger: the undamaged page alone makes a loud state.
    expect(blankOrGreen).toBe(0);
  }, Math.max(120_000, RUNS * 400));

  it('prints the census over every exchange', () => {
    console.info(`[never-silent census] total: ${totals.cases} cases, ${totals.silent} silent outcomes`);
    expect(totals.cases).toBe(RUNS * exchanges.length);
    expect(totals.silent).toBe(0);
  });
});
