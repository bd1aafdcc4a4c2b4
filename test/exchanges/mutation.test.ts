// @vitest-environment happy-dom
/**
 * Mutation test: damage the saved pages at random (drop cells and rows, swap or rename
 * labels, garble numbers, change class names, strip attributes) and check that every field
 * the reader returns is either the true value (the reading of the undamaged page, itself
 * pinned to the fixtures' stated values in readers.test.ts) or unknown, never a different
 * number. A position that disappears must make the health status non-ok (loud).
 *
 * Seeded (fast-check) so failures reproduce; a few hundred runs per exchange.
 *
 * At scale (not in CI): `MUTATION_RUNS=5000 npx vitest run test/exchanges/mutation.test.ts` damages that many pages per exchange (one damage, then two),
 * keeps going past the first wrong field, and fails with a census: how many damaged pages gave a
 * wrong number, which fields, and one counterexample for each (replay it as a single
 * `apply(...)`). Documents come from a fresh happy-dom window every 200 pages (one shared
 * window keeps every document it parsed and runs out of memory at this scale).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { safeParseSnapshot, type AccountSnapshot, type PositionSnapshot } from '../../lib/engine/snapshot';
import { labelKey } from '../../lib/exchanges/common/dom';
import { EXCHANGE_PAGES } from '../../lib/exchanges/pages';
import { BINANCE_USDM_READER } from '../../lib/exchanges/binance-usdm/reader';
import { BYBIT_READER } from '../../lib/exchanges/bybit/reader';
import { OKX_READER } from '../../lib/exchanges/okx/reader';
import { HYPERLIQUID_READER } from '../../lib/exchanges/hyperliquid/reader';
import type { ReaderConfig } from '../../lib/exchanges/common/reader/config';
import { Window } from 'happy-dom';
import { FIXTURES, fixtureHtml, grid, loadFixture } from './helpers';

type Ex = keyof typeof FIXTURES;
const CONFIG: Record<Ex, ReaderConfig> = { 'binance-usdm': BINANCE_USDM_READER, bybit: BYBIT_READER, okx: OKX_READER, hyperliquid: HYPERLIQUID_READER };
const NOW = 1_790_000_000_000;
/** Damaged pages per exchange and variant in a scale run (`MUTATION_RUNS`); 0 = the CI run. */
const SCALE_RUNS = Number(process.env.MUTATION_RUNS) || 0;

/**
 * The page read as the product uses it: the reader, then the background's validation
 * (lib/background/monitor.ts), which stores nothing of a rejected snapshot and shows the page
 * as not recognised.
 */
function read(ex: Ex, doc: Document) {
  const r = EXCHANGE_PAGES.find((p) => p.id === ex)!.read(doc, FIXTURES[ex].url, { now: NOW });
  const valid = r.snapshot && safeParseSnapshot(r.snapshot);
  if (!valid || valid.ok) return r;
  return { ...r, snapshot: null, health: { ...r.health, status: 'unrecognized' as const, problems: [...r.health.problems, ...valid.errors.map((e) => `snapshot rejected: ${e.message}`)] } };
}

// ---- Damage -------------------------------------------------------------------------------
type Mutation =
  | { kind: 'dropCell'; row: number; cell: number }
  | { kind: 'dropRow'; row: number }
  | { kind: 'swapLabels'; a: number; b: number }
  | { kind: 'renameLabel'; a: number; text: string }
  | { kind: 'garble'; node: number; op: number; at: number }
  | { kind: 'classes'; salt: number }
  | { kind: 'stripAttr'; attr: 'style' | 'aria-hidden' | 'aria-selected' | 'role' | 'class' };

const GARBLE_OPS = 8;

function textNodes(root: Node, pred: (t: Text) => boolean): Text[] {
  const out: Text[] = [];
  const it = (root.ownerDocument ?? (root as Document)).createTreeWalker(root, 4);
  for (let n = it.nextNode(); n; n = it.nextNode()) {
    const t = n as Text;
    if (t.parentElement?.closest('script,style')) continue;
    if (pred(t)) out.push(t);
  }
  return out;
}

/** Label elements: the positions header cells and the account-panel labels. */
function labelElements(ex: Ex, doc: Document): Element[] {
  const header = grid(doc, ex).headerCells;
  const keys = new Set(CONFIG[ex].account.flatMap((a) => a.synonyms.map(labelKey)));
  const panel = Array.from(doc.querySelectorAll('div,span')).filter(
    (e) => e.childElementCount === 0 && keys.has(labelKey(e.textContent ?? '')) && !header.some((h) => h.contains(e)),
  );
  return [...header, ...panel];
}

function firstText(el: Element): Text | null {
  return textNodes(el, (t) => (t.nodeValue ?? '').trim() !== '')[0] ?? null;
}

function garble(s: string, op: number, at: number): string {
  const digitPositions = [...s].map((c, i) => (/\d/.test(c) ? i : -1)).filter((i) => i >= 0);
  const p = digitPositions[at % digitPositions.length]!;
  switch (op) {
    case 0: // a letter inside the number
      return s.slice(0, p) + 'O' + s.slice(p);
    case 1: // a doubled separator
      return s.includes('.') ? s.replace('.', '..') : s.replace(/(\d)/, '$1,,');
    case 2: // decimal and thousands separators swapped (decimal-comma rendering)
      return s.replace(/[.,]/g, (c) => (c === '.' ? ',' : '.'));
    case 3: // hidden
      return '******';
    case 4: // placeholder
      return '--';
    case 5: // an invisible mark (must still read the same)
      return s.slice(0, p) + '\u200E' + s.slice(p);
    case 6: // a space inside the digits
      return s.slice(0, p) + ' ' + s.slice(p);
    default: // a stray separator that cannot form a valid number: a second '.', or a ',' breaking the 3-digit groups
      if (s.includes('.')) return s.slice(0, p) + '.' + s.slice(p);
      return p > 0 && /\d/.test(s[p - 1]!) ? s.slice(0, p) + ',' + s.slice(p) : s.slice(0, p) + 'O' + s.slice(p);
  }
}

function hash(s: string, salt: number): string {
  let h = salt >>> 0;
  for (const c of s) h = (Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0);
  return `c${h.toString(36)}`;
}

function apply(ex: Ex, doc: Document, m: Mutation): void {
  switch (m.kind) {
    case 'dropCell': {
      const rows = grid(doc, ex).rows;
      const row = rows[m.row % rows.length]!;
      row[m.cell % row.length]!.remove();
      return;
    }
    case 'dropRow': {
      const rows = grid(doc, ex).rowEls;
      rows[m.row % rows.length]!.remove();
      return;
    }
    case 'swapLabels': {
      const labels = labelElements(ex, doc);
      const a = firstText(labels[m.a % labels.length]!);
      const b = firstText(labels[m.b % labels.length]!);
      if (!a || !b) return;
      const t = a.nodeValue;
      a.nodeValue = b.nodeValue;
      b.nodeValue = t;
      return;
    }
    case 'renameLabel': {
      const labels = labelElements(ex, doc);
      const a = firstText(labels[m.a % labels.length]!);
      if (a) a.nodeValue = m.text;
      return;
    }
    case 'garble': {
      const nodes = textNodes(doc.body, (t) => /\d/.test(t.nodeValue ?? ''));
      const n = nodes[m.node % nodes.length]!;
      n.nodeValue = garble(n.nodeValue!, m.op, m.at);
      return;
    }
    case 'classes':
      doc.querySelectorAll('[class]').forEach((e) => e.setAttribute('class', e.getAttribute('class')!.split(/\s+/).map((c) => hash(c, m.salt)).join(' ')));
      return;
    case 'stripAttr':
      doc.querySelectorAll(`[${m.attr}]`).forEach((e) => e.removeAttribute(m.attr));
      return;
  }
}

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('dropCell' as const), row: fc.nat(10), cell: fc.nat(20) }),
  fc.record({ kind: fc.constant('dropRow' as const), row: fc.nat(10) }),
  fc.record({ kind: fc.constant('swapLabels' as const), a: fc.nat(30), b: fc.nat(30) }),
  fc.record({ kind: fc.constant('renameLabel' as const), a: fc.nat(30), text: fc.constantFrom('Foo', 'Margin', 'Size', 'PnL', '--', '') }),
  fc.record({ kind: fc.constant('garble' as const), node: fc.nat(200), op: fc.nat(GARBLE_OPS - 1), at: fc.nat(20) }),
  fc.record({ kind: fc.constant('classes' as const), salt: fc.nat() }),
  fc.record({ kind: fc.constant('stripAttr' as const), attr: fc.constantFrom('style' as const, 'aria-hidden' as const, 'aria-selected' as const, 'role' as const, 'class' as const) }),
);

// ---- Oracle -------------------------------------------------------------------------------
const POSITION_FIELDS = ['size', 'entryPrice', 'markPrice', 'marginMode', 'leverage', 'isolatedMargin', 'contract', 'contractSize'] as const;

function checkAgainstTruth(truth: AccountSnapshot, got: AccountSnapshot | null, status: string, problems: string[]): void {
  if (!got) return; // nothing claimed
  const ctx = (f: string) => `${f} (problems: ${problems.join(' | ')})`;
  if (got.walletBalance !== null) expect(got.walletBalance, ctx('walletBalance')).toBe(truth.walletBalance);
  for (const [k, v] of Object.entries(got.displayed ?? {})) {
    if (v !== null && v !== undefined) expect(v, ctx(`displayed.${k}`)).toBe(truth.displayed?.[k as keyof typeof truth.displayed]);
  }
  const key = (p: PositionSnapshot) => `${p.symbol}|${p.side}|${p.marginMode}`;
  const truthBy = new Map(truth.positions.map((p) => [key(p), p]));
  for (const p of got.positions) {
    const t = truthBy.get(key(p));
    expect(t, ctx(`position ${key(p)} does not exist on the undamaged page`)).toBeDefined();
    for (const f of POSITION_FIELDS) {
      const v = p[f];
      if (v !== null && v !== undefined) expect(v, ctx(`${p.symbol}.${f}`)).toBe(t![f]);
    }
    for (const [k, v] of Object.entries(p.displayed ?? {})) {
      if (v !== null && v !== undefined) expect(v, ctx(`${p.symbol}.displayed.${k}`)).toBe(t!.displayed?.[k as keyof NonNullable<PositionSnapshot['displayed']>]);
    }
  }
  if (got.positions.length < truth.positions.length) expect(status, ctx('lost a position but status is ok')).not.toBe('ok');
}

/**
 * Counterexamples found by the scale census, replayed deterministically. Each once gave a
 * confident wrong number; each must now give the true value or unknown (and the field named
 * must be unknown: the damage put another figure under its label).
 */
const KNOWN_COUNTEREXAMPLES: { ex: Ex; what: string; damage: Mutation[]; unknown: (s: AccountSnapshot) => unknown }[] = [
  {
    ex: 'hyperliquid',
    what: 'Perps value under the "Balance" label, no Perps label: wallet + uPnL meets the margin ratio and fails it',
    damage: [{ kind: 'swapLabels', a: 25, b: 12 }, { kind: 'swapLabels', a: 11, b: 24 }],
    unknown: (s) => s.walletBalance,
  },
  {
    ex: 'binance-usdm',
    what: '"Break Even Price" and "Entry Price" headers swapped: the row PnL no longer matches size × (mark − entry)',
    damage: [{ kind: 'swapLabels', a: 3, b: 2 }],
    unknown: (s) => s.positions.find((p) => p.symbol === 'BTCUSDT')?.entryPrice ?? null,
  },
  {
    ex: 'binance-usdm',
    what: 'break-even price under "Mark Price": the row PnL no longer matches',
    damage: [{ kind: 'swapLabels', a: 22, b: 3 }, { kind: 'swapLabels', a: 13, b: 26 }],
    unknown: (s) => s.positions.find((p) => p.symbol === 'BTCUSDT')?.markPrice ?? null,
  },
  {
    ex: 'binance-usdm',
    what: 'margin balance under "Avbl": available balance not below margin balance (wallet + uPnL) with positions open',
    damage: [{ kind: 'swapLabels', a: 15, b: 30 }, { kind: 'renameLabel', a: 30, text: 'Margin' }],
    unknown: (s) => s.displayed?.availableBalance ?? null,
  },
  {
    ex: 'bybit',
    what: '"Total Equity" and "Maintenance Margin" swapped: maintenance margin not below margin balance',
    damage: [{ kind: 'swapLabels', a: 14, b: 15 }],
    unknown: (s) => s.displayed?.maintenanceMargin ?? null,
  },
  {
    ex: 'hyperliquid',
    what: '"Unrealized PNL" and "Balance" swapped: the rows do not add up to the account uPnL, which is then not shown',
    damage: [{ kind: 'swapLabels', a: 13, b: 28 }],
    unknown: (s) => s.displayed?.unrealizedPnl ?? null,
  },
  {
    ex: 'bybit',
    what: '"Value" and "IM" swapped: a cross margin far from size × mark ÷ leverage',
    damage: [{ kind: 'swapLabels', a: 2, b: 26 }],
    unknown: (s) => s.positions.find((p) => p.symbol === 'BTCUSDT')?.displayed?.margin ?? null,
  },
];

describe('census counterexamples (deterministic regressions)', () => {
  it.each(KNOWN_COUNTEREXAMPLES)('$ex: $what', ({ ex, damage, unknown }) => {
    const truth = read(ex, loadFixture(ex)).snapshot!;
    const doc = loadFixture(ex);
    for (const m of damage) apply(ex, doc, m);
    const r = read(ex, doc);
    checkAgainstTruth(truth, r.snapshot, r.health.status, r.health.problems);
    expect(r.snapshot, 'the damaged page still yields a snapshot').not.toBeNull();
    expect(unknown(r.snapshot!), r.health.problems.join(' | ')).toBeNull();
    expect(r.health.status).not.toBe('ok');
  });
});

describe.each(Object.keys(FIXTURES) as Ex[])('%s under random damage', (ex) => {
  const truth = read(ex, loadFixture(ex));
  it('undamaged page reads ok (the oracle)', () => {
    expect(truth.health.status).toBe('ok');
    expect(truth.snapshot!.positions).toHaveLength(2);
  });

  it('every field is the true value or unknown (one damage per run)', () => {
    fc.assert(
      fc.property(mutationArb, (m) => {
        const doc = loadFixture(ex);
        apply(ex, doc, m);
        const r = read(ex, doc);
        checkAgainstTruth(truth.snapshot!, r.snapshot, r.health.status, r.health.problems);
      }),
      { seed: 20261120, numRuns: 300 },
    );
  });

  it('every field is the true value or unknown (two damages per run)', () => {
    fc.assert(
      fc.property(mutationArb, mutationArb, (m1, m2) => {
        const doc = loadFixture(ex);
        apply(ex, doc, m1);
        apply(ex, doc, m2);
        const r = read(ex, doc);
        checkAgainstTruth(truth.snapshot!, r.snapshot, r.health.status, r.health.problems);
      }),
      { seed: 7, numRuns: 200 },
    );
  });

  it.runIf(SCALE_RUNS > 0)(
    `at scale: ${SCALE_RUNS} pages with one damage and ${SCALE_RUNS} with two, every field true or unknown (census)`,
    async () => {
      let win: Window | null = null;
      let parsed = 0;
      const freshFixture = async (): Promise<Document> => {
        if (!win || parsed++ >= 200) {
          await win?.happyDOM.close();
          win = new Window({ url: FIXTURES[ex].url, settings: { disableJavaScriptEvaluation: true, disableJavaScriptFileLoading: true, disableCSSFileLoading: true } });
          parsed = 1;
        }
        return new win.DOMParser().parseFromString(fixtureHtml(FIXTURES[ex].file), 'text/html') as unknown as Document;
      };
      const census = new Map<string, { count: number; example: Mutation[]; detail: string }>();
      let wrong = 0;
      const damages = [
        ...fc.sample(mutationArb.map((m) => [m]), { seed: SCALE_RUNS + 1, numRuns: SCALE_RUNS }),
        ...fc.sample(fc.tuple(mutationArb, mutationArb), { seed: SCALE_RUNS + 2, numRuns: SCALE_RUNS }),
      ];
      for (const ms of damages) {
        const doc = await freshFixture();
        for (const m of ms) apply(ex, doc, m);
        const r = read(ex, doc);
        try {
          checkAgainstTruth(truth.snapshot!, r.snapshot, r.health.status, r.health.problems);
        } catch (e) {
          wrong++;
          const msg = (e as Error).message.split('\n')[0]!;
          const field = /^([\w.|-]+)/.exec(msg)?.[1] ?? msg.slice(0, 60);
          const key = `${field} [status ${r.health.status}] ${ms.map((m) => m.kind).join('+')}`;
          const c = census.get(key);
          if (c) c.count++;
          else census.set(key, { count: 1, example: ms, detail: msg.slice(0, 300) });
        }
      }
      await (win as Window | null)?.happyDOM.close();
      const lines = [...census].sort((a, b) => b[1].count - a[1].count).map(([k, c]) => `${c.count}× ${k}\n    e.g. ${JSON.stringify(c.example)}: ${c.detail}`);
      console.info(`[mutation census] ${ex}: ${damages.length} damaged pages, ${wrong} with a wrong field\n${lines.join('\n')}`);
      expect(wrong, lines.join('\n')).toBe(0);
    },
    Math.max(60_000, SCALE_RUNS * 100),
  );
});
