// @vitest-environment happy-dom
/**
 * Page readers against the saved pages and their variants. Expected values are written out
 * from each fixture's header comment (reference exchange-pages.md §10), not read back
 * from the reader.
 */
import { describe, expect, it } from 'vitest';
import { safeParseSnapshot, type AccountSnapshot } from '../../lib/engine/snapshot';
import { readBinanceUsdm } from '../../lib/exchanges/binance-usdm/reader';
import { readBybit } from '../../lib/exchanges/bybit/reader';
import { readHyperliquid } from '../../lib/exchanges/hyperliquid/reader';
import { readOkx } from '../../lib/exchanges/okx/reader';
import type { PageRead, ReadOptions } from '../../lib/exchanges/common/reader/config';
import { addDec, mulDec } from '../../lib/exchanges/common/fixed';
import { PANEL_RESCAN_MS } from '../../lib/exchanges/common/table';
import {
  FIXTURES,
  addColumn,
  columnIndex,
  fixtureHtml,
  grid,
  loadFixture,
  moveColumn,
  parseHtml,
  removeColumn,
  replaceAllText,
  replaceText,
  replicateRows,
  setTabCount,
  IDENTITY_VARIANTS,
  identityFixtureHtml,
} from './helpers';

type Ex = keyof typeof FIXTURES;
const READ: Record<Ex, (doc: Document, url: string, opts?: ReadOptions) => PageRead> = {
  'binance-usdm': readBinanceUsdm,
  bybit: readBybit,
  okx: readOkx,
  hyperliquid: readHyperliquid,
};
const NOW = 1_790_000_000_000;
const read = (ex: Ex, doc: Document, url = FIXTURES[ex].url, opts: ReadOptions = {}) => READ[ex](doc, url, { now: NOW, ...opts });

function valid(s: AccountSnapshot | null): AccountSnapshot {
  expect(s).not.toBeNull();
  const r = safeParseSnapshot(s);
  expect(r.ok, r.ok ? '' : r.errors.map((e) => e.message).join('; ')).toBe(true);
  return s!;
}

// ---- Expected values, from the fixtures' header comments -------------------------------
// Shared scenario: wallet 1,000.00 (incl. the ETH isolated wallet 147.50, so the CROSS wallet
// the snapshot carries is 1,000.00 − 147.50 = 852.50), BTC long cross 20x, ETH short isolated 10x.
const BTC = { side: 'long', size: '0.01', entryPrice: '76500', markPrice: '77829.3', marginMode: 'cross', leverage: '20' };
const ETH = { side: 'short', size: '0.5', entryPrice: '2950', markPrice: '2918.4', marginMode: 'isolated', leverage: '10', isolatedMargin: '147.5' };

describe('Binance USDⓈ-M fixture', () => {
  it('reads both positions, the account widget and health ok', () => {
    const { snapshot, health } = read('binance-usdm', loadFixture('binance-usdm'));
    const s = valid(snapshot);
    expect(health.status).toBe('ok');
    expect(health.problems).toEqual([]);
    expect(health.missing).toEqual([]);
    expect(health.lastGoodReadAt).toBe(NOW);
    expect(s.exchange).toBe('binance-usdm');
    expect(s.positionMode).toBe('one-way');
    expect(s.walletBalance).toBe('852.5');
    expect(s.displayed).toEqual({ marginRatio: '0.0101', maintenanceMargin: '10.41', marginBalance: '1029.09', availableBalance: '842.68', unrealizedPnl: '29.09' });
    expect(s.positions).toEqual([
      { symbol: 'BTCUSDT', contract: 'linear', ...BTC, displayed: { liquidationPrice: '61234.5', marginRatio: '0.0101', unrealizedPnl: '13.29', margin: '38.91' } },
      { symbol: 'ETHUSDT', contract: 'linear', ...ETH, displayed: { liquidationPrice: '3231.77', marginRatio: '0.0447', unrealizedPnl: '15.8', margin: '147.5' } },
    ]);
    expect(s.source).toEqual({ url: FIXTURES['binance-usdm'].url, readAt: NOW, reader: 'binance-usdm/dom@1' });
  });
});

describe('Bybit fixture', () => {
  it('reads both positions; cross Liq "--" is unknown; IM/MM take the first figure; U+200E ignored', () => {
    const { snapshot, health } = read('bybit', loadFixture('bybit'));
    const s = valid(snapshot);
    expect(health.status).toBe('ok');
    expect(health.problems).toEqual([]);
    expect(s.walletBalance).toBe('852.5');
    // The UTA panel shows the account MM *rate* (0.38 %) under "Maintenance Margin".
    expect(s.displayed).toEqual({ marginRatio: '0.0038', maintenanceMargin: null, marginBalance: '1029.09', availableBalance: '842.68', unrealizedPnl: '29.09' });
    expect(s.positions).toEqual([
      { symbol: 'BTCUSDT', contract: 'linear', ...BTC, displayed: { liquidationPrice: null, marginRatio: null, unrealizedPnl: '13.293', margin: '38.9147' } },
      { symbol: 'ETHUSDT', contract: 'linear', ...ETH, displayed: { liquidationPrice: '3231.77', marginRatio: null, unrealizedPnl: '15.8', margin: '147.5' } },
    ]);
  });
});

describe('Bybit account type (classic vs UTA) from the account panel title', () => {
  it.each([
    ['Unified Trading Account', 'uta'],
    ['Derivatives Account', 'classic'],
    ['Classic Account', 'classic'],
  ] as const)('title "%s" → accountType %s, and the snapshot stays valid', (title, expected) => {
    const doc = loadFixture('bybit');
    replaceText(doc.body, 'Unified Trading Account', title);
    expect(valid(read('bybit', doc).snapshot).accountType).toBe(expected);
  });
  it('no title: accountType is left out (the engine then assumes UTA)', () => {
    const doc = loadFixture('bybit');
    replaceText(doc.body, 'Unified Trading Account', 'Assets');
    expect(valid(read('bybit', doc).snapshot)).not.toHaveProperty('accountType');
  });
});

describe('OKX fixture', () => {
  it('reads both positions (short from the signed size, measure row skipped), margin ratio in OKX direction', () => {
    const { snapshot, health } = read('okx', loadFixture('okx'));
    const s = valid(snapshot);
    expect(health.status).toBe('ok');
    expect(health.problems).toEqual([]);
    expect(health.missing).toEqual(['Wallet balance']);
    // No wallet label: wallet = total equity 1,029.09 − uPnL 29.09 = 1,000.00; cross = 1,000 − 147.50.
    expect(s.walletBalance).toBe('852.5');
    expect(s.displayed).toEqual({ marginRatio: '98.8559', maintenanceMargin: '10.41', marginBalance: '1029.09', availableBalance: '842.68', unrealizedPnl: '29.09' });
    expect(s.positions).toEqual([
      // contractSize = ctVal even though the page shows coin: OKX tiers count contracts
      { symbol: 'BTC-USDT-SWAP', contract: 'linear', contractSize: '0.01', ...BTC, displayed: { liquidationPrice: '61234.5', marginRatio: '98.8559', unrealizedPnl: '13.29', margin: '38.91' } },
      { symbol: 'ETH-USDT-SWAP', contract: 'linear', contractSize: '0.1', ...ETH, displayed: { liquidationPrice: '3231.77', marginRatio: '22.3821', unrealizedPnl: '15.8', margin: '147.5' } },
    ]);
  });

  it('without a readable PnL, Entry and Mark cannot be told apart: rows are left out, even with the two labels swapped', () => {
    for (const swap of [false, true]) {
      const doc = loadFixture('binance-usdm');
      const th = (text: string) => [...doc.querySelectorAll('#POSITIONS .css-th')].find((e) => e.textContent!.trim() === text)!;
      th('PNL(ROI %)').textContent = 'Result'; // no PnL column any more
      if (swap) {
        const [entry, mark] = [th('Entry Price'), th('Mark Price')];
        entry.textContent = 'Mark Price';
        mark.textContent = 'Entry Price';
      }
      const { snapshot, health } = read('binance-usdm', doc);
      expect(snapshot?.positions ?? []).toEqual([]); // never an entry price that may be the mark
      expect(health.status).not.toBe('ok');
      expect(health.problems.join(' | ')).toMatch(/entry price cannot be told from the mark price without a readable PnL/);
    }
  });

  it('converts a size in contracts with the contract value (BTC-USDT-SWAP ctVal 0.01)', () => {
    const doc = loadFixture('okx');
    replaceText(doc, '0.0100 BTC', '1 Cont');
    const s = valid(read('okx', doc).snapshot);
    expect(s.positions[0]).toMatchObject({ symbol: 'BTC-USDT-SWAP', size: '0.01', contractSize: '0.01', side: 'long' });
  });

  it('a size in contracts with no known contract value is unknown, not a guess', () => {
    const doc = loadFixture('okx');
    replaceText(doc, 'BTCUSDT Perp', 'SOLUSDT Perp');
    replaceText(doc, '0.0100 BTC', '1 Cont');
    const { snapshot, health } = read('okx', doc);
    expect(snapshot!.positions.map((p) => p.symbol)).toEqual(['ETH-USDT-SWAP']);
    expect(health.status).toBe('partial');
    expect(health.problems.join()).toMatch(/SOL-USDT-SWAP: size in contracts and contract value unknown/);
    // ...and with the contract value supplied it is read.
    // (0.01 keeps the row's own PnL consistent; a real SOL-USDT-SWAP contract is 1 SOL.)
    const again = read('okx', doc, undefined, { contractValues: { 'SOL-USDT-SWAP': '0.01' } });
    expect(again.health.problems).toEqual([]);
    expect(again.snapshot!.positions[0]).toMatchObject({ symbol: 'SOL-USDT-SWAP', size: '0.01', contractSize: '0.01' });
  });
});

describe('Hyperliquid fixture', () => {
  it('reads both shorts (unsigned size: direction from colour and PnL vs entry/mark)', () => {
    const { snapshot, health } = read('hyperliquid', loadFixture('hyperliquid'));
    const s = valid(snapshot);
    expect(health.status).toBe('ok');
    expect(health.problems).toEqual([]);
    expect(s.walletBalance).toBe('6974.03');
    expect(s.displayed).toEqual({ marginRatio: '0.1143', maintenanceMargin: '1419.22', marginBalance: '12418.63', availableBalance: null, unrealizedPnl: '5444.6' });
    expect(s.positions).toEqual([
      { symbol: 'ETH', side: 'short', size: '9.3792', contract: 'linear', entryPrice: '3438.8', markPrice: '3143.3', marginMode: 'cross', leverage: '20', displayed: { liquidationPrice: '5535.1', marginRatio: null, unrealizedPnl: '2771.75', margin: '1474.08' } },
      { symbol: 'BTC', side: 'short', size: '0.28732', contract: 'linear', entryPrice: '104273.8', markPrice: '94971.1', marginMode: 'cross', leverage: '20', displayed: { liquidationPrice: '121480', marginRatio: null, unrealizedPnl: '2672.85', margin: '1364.35' } },
    ]);
  });

  it('direction from the PnL relation alone when the colour is gone; unknown when neither is usable', () => {
    const doc = loadFixture('hyperliquid');
    doc.querySelectorAll('.sc-coin').forEach((e) => e.removeAttribute('style'));
    expect(read('hyperliquid', doc).snapshot!.positions.map((p) => p.side)).toEqual(['short', 'short']);
    // Mark == entry: no PnL relation, no colour → unknown, left out, loudly.
    const row = grid(doc, 'hyperliquid').rows[0]!;
    row[columnIndex(doc, 'hyperliquid', 'Mark Price')]!.textContent = '3,438.8';
    row[columnIndex(doc, 'hyperliquid', 'PNL (ROE %)')]!.textContent = '$0.00 (0.0%)';
    const { snapshot, health } = read('hyperliquid', doc);
    expect(snapshot!.positions.map((p) => p.symbol)).toEqual(['BTC']);
    expect(health.status).toBe('partial');
    expect(health.problems[0]).toMatch(/^ETH: direction unknown .*NOT counted/);
    expect(snapshot!.walletBalance).toBeNull(); // an unknown position could be isolated: cross wallet unknown
  });

  it('colour and PnL relation that disagree give unknown', () => {
    const doc = loadFixture('hyperliquid');
    (doc.querySelector('.sc-coin') as HTMLElement).setAttribute('style', 'color: rgb(31, 166, 125);'); // green = long
    const { snapshot, health } = read('hyperliquid', doc);
    expect(snapshot!.positions.map((p) => p.symbol)).toEqual(['BTC']);
    expect(health.problems[0]).toMatch(/ETH: direction unknown \(contradictory evidence/);
  });
});

// ---- Variants, every exchange --------------------------------------------------------------
const ALL: Ex[] = ['binance-usdm', 'bybit', 'okx', 'hyperliquid'];
const group = (v: string) => {
  const [i = '', f = ''] = v.split('.');
  return `${i.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${f.padEnd(2, '0').slice(0, 2)}`;
};
/** Account-panel texts of each fixture (to keep variants internally consistent). */
const ACCOUNT_TEXT: Record<Ex, { upnl: string; mb: string; ratio: string; wallet: string; fmt: (v: string, sign: string) => string }> = {
  'binance-usdm': { upnl: '+29.09 USDT', mb: '1,029.09 USDT', ratio: '1.01%', wallet: '1000', fmt: (v, s) => `${s}${group(v)} USDT` },
  bybit: { upnl: '+29.09 USD', mb: '1,029.09 USD', ratio: '0.38%', wallet: '1000', fmt: (v, s) => `${s}${group(v)} USD` },
  okx: { upnl: '+29.09 USD', mb: '1,029.09 USD', ratio: '9,885.59%', wallet: '1000', fmt: (v, s) => `${s}${group(v)} USD` },
  hyperliquid: { upnl: '$5,444.60', mb: '$12,418.63', ratio: '11.43%', wallet: '6974.03', fmt: (v) => `$${group(v)}` },
};
const baseline = (ex: Ex) => read(ex, loadFixture(ex)).snapshot!;

describe.each(ALL)('%s variants', (ex) => {
  it('columns reordered: same snapshot', () => {
    const doc = loadFixture(ex);
    const n = grid(doc, ex).headerCells.length;
    moveColumn(doc, ex, 0, n - 1);
    moveColumn(doc, ex, 2, 1);
    moveColumn(doc, ex, 3, 0);
    const r = read(ex, doc);
    expect(r.health.status).toBe('ok');
    expect(r.snapshot).toEqual(baseline(ex));
  });

  it('an extra unknown column changes nothing', () => {
    const doc = loadFixture(ex);
    addColumn(doc, ex, 2, 'ADL Rank', '3');
    const r = read(ex, doc);
    expect(r.health.status).toBe('ok');
    expect(r.snapshot).toEqual(baseline(ex));
  });

  it('hidden liquidation-price column: that figure unknown, listed as missing, rest unchanged', () => {
    const doc = loadFixture(ex);
    const liqLabel = { 'binance-usdm': 'Liq.Price', bybit: 'Liq. Price', okx: 'Est. liq. price', hyperliquid: 'Liq. Price' }[ex];
    removeColumn(doc, ex, liqLabel);
    const r = read(ex, doc);
    expect(r.health.missing).toContain(liqLabel);
    expect(r.health.status).toBe('ok'); // display-only column
    const s = valid(r.snapshot);
    expect(s.positions.map((p) => p.displayed?.liquidationPrice)).toEqual([null, null]);
    expect(s.positions.map((p) => p.entryPrice)).toEqual(baseline(ex).positions.map((p) => p.entryPrice));
  });

  it('hidden identity column (entry price): unrecognized, names the missing label, no snapshot', () => {
    const doc = loadFixture(ex);
    const label = { 'binance-usdm': 'Entry Price', bybit: 'Entry Price', okx: 'Entry price', hyperliquid: 'Entry Price' }[ex];
    removeColumn(doc, ex, label);
    const r = read(ex, doc);
    expect(r.snapshot).toBeNull();
    expect(r.health.status).toBe('unrecognized');
    expect(r.health.missing).toContain(label);
  });

  it('hidden mark-price column: partial (engine figure missing), positions still read with mark null', () => {
    const doc = loadFixture(ex);
    removeColumn(doc, ex, ex === 'okx' ? 'Mark price' : 'Mark Price');
    const r = read(ex, doc);
    expect(r.health.status).toBe('partial');
    const s = valid(r.snapshot);
    expect(s.positions.every((p) => p.markPrice === null)).toBe(true);
    expect(s.positions.every((p) => p.displayed?.liquidationPrice === null)).toBe(true); // cannot be validated without mark
  });

  it('100 positions', () => {
    const doc = loadFixture(ex);
    const symbols = replicateRows(doc, ex, 100);
    // Keep the account panel consistent with 100 positions (50 of each fixture row).
    const acc = ACCOUNT_TEXT[ex];
    const rowPnl = baseline(ex).positions.map((p) => p.displayed!.unrealizedPnl!);
    const upnl = mulDec(addDec(rowPnl[0]!, rowPnl[1]!), '50');
    replaceAllText(doc, acc.upnl, acc.fmt(upnl, '+'));
    replaceAllText(doc, acc.mb, acc.fmt(addDec(acc.wallet, upnl), ''));
    replaceAllText(doc, acc.ratio, '--');
    const r = read(ex, doc);
    expect(r.health.problems).toEqual([]);
    const s = valid(r.snapshot);
    expect(s.positions).toHaveLength(100);
    expect(s.positions[99]!.entryPrice).toBe(baseline(ex).positions[1]!.entryPrice);
    expect(s.positions[98]!.side).toBe(baseline(ex).positions[0]!.side);
    expect(s.positions.map((p) => p.symbol).join()).toContain(symbols[42]!);
  });

  it('tab count disagreeing with the rows shown is partial', () => {
    const doc = loadFixture(ex);
    setTabCount(doc, ex, 3);
    const r = read(ex, doc);
    expect(r.health.status).toBe('partial');
    expect(r.health.problems.join()).toMatch(/says 3 but the table shows 2/);
  });

  it('hidden balances (******): unknown, never 0', () => {
    const doc = loadFixture(ex);
    const walletText = { 'binance-usdm': '1,000.00 USDT', bybit: '1,000.00 USD', okx: '1,029.09 USD', hyperliquid: '$6,974.03' }[ex];
    replaceText(doc, walletText, '******');
    const r = read(ex, doc);
    expect(r.snapshot!.walletBalance).toBeNull();
    expect(r.health.status).toBe('partial');
  });

  it('a row with a dropped cell is unknown (never read shifted), and loud', () => {
    const doc = loadFixture(ex);
    grid(doc, ex).rows[1]![2]!.remove();
    const r = read(ex, doc);
    expect(r.snapshot!.positions).toHaveLength(1);
    expect(r.snapshot!.positions[0]).toEqual(baseline(ex).positions[0]);
    expect(r.health.status).toBe('partial');
    expect(r.health.problems.join()).toMatch(/cells under \d+ headers/);
  });

  it('numbers written with a decimal comma on an English page are unknown, not misread', () => {
    const doc = loadFixture(ex);
    const entry = { 'binance-usdm': '2,950.00', bybit: '2,950.00', okx: '2,950.00', hyperliquid: '104,273.8' }[ex];
    replaceText(grid(doc, ex).rows[1]!.map((c) => c).find((c) => c.textContent === entry)!, entry, entry.replace(',', 'X').replace('.', ',').replace('X', '.'));
    const r = read(ex, doc);
    expect(r.snapshot!.positions).toHaveLength(1);
    expect(r.health.problems.join()).toMatch(/entry price: garbled/);
  });

  it('a non-English page is unrecognized (no label map for its locale), whatever its numbers', () => {
    const html = fixtureHtml(FIXTURES[ex].file);
    const doc = parseHtml(`<html lang="de"><body>${html}</body></html>`);
    const r = read(ex, doc);
    expect(r.snapshot).toBeNull();
    expect(r.health.status).toBe('unrecognized');
    expect(r.health.problems[0]).toMatch(/"de" is not supported/);
  });
});

describe('more variants', () => {
  it('Binance: locale from the URL (/de/) when <html lang> is absent', () => {
    const r = read('binance-usdm', loadFixture('binance-usdm'), 'https://www.binance.com/de/futures/BTCUSDT');
    expect(r.health.status).toBe('unrecognized');
    expect(r.snapshot).toBeNull();
  });

  it('Binance decimal-comma page (German labels and numbers, /de/): unrecognized with the missing labels', () => {
    const doc = parseHtml(fixtureHtml('binance-usdm-de.html'));
    const r = read('binance-usdm', doc, 'https://www.binance.com/de/futures/BTCUSDT');
    expect(r.health.status).toBe('unrecognized');
    expect(r.snapshot).toBeNull();
    expect(r.health.missing).toEqual(expect.arrayContaining(['Symbol', 'Size', 'Entry Price']));
  });

  it('Binance: short without a minus sign takes its direction from colour', () => {
    const doc = loadFixture('binance-usdm');
    replaceText(doc, '-0.500 ETH', '0.500 ETH');
    const r = read('binance-usdm', doc);
    expect(r.health.status).toBe('ok');
    expect(r.snapshot).toEqual(baseline('binance-usdm'));
  });

  it('Binance: with sign and colour both gone, PnL vs entry/mark alone does not decide direction (it cannot rule out swapped Entry/Mark headers)', () => {
    const doc = loadFixture('binance-usdm');
    replaceText(doc, '-0.500 ETH', '0.500 ETH');
    doc.querySelectorAll('[class]').forEach((e) => e.setAttribute('class', e.getAttribute('class')!.replace(/\b(text|bg)-(Buy|Sell)\b/g, '')));
    const r = read('binance-usdm', doc);
    expect(r.snapshot!.positions).toEqual([]);
    expect(r.health.status).toBe('partial');
    expect(r.health.problems.join(' ')).toMatch(/direction unknown \(no sign or colour/);
  });

  it('Hyperliquid (unsigned sizes by design): PnL vs entry/mark alone decides direction', () => {
    const r = read('hyperliquid', loadFixture('hyperliquid'));
    expect(r.snapshot!.positions.map((p) => p.side)).toEqual(['short', 'short']);
  });

  it('Binance: minus sign with a long colour is contradictory: unknown', () => {
    const doc = loadFixture('binance-usdm');
    replaceText(doc, '0.010 BTC', '-0.010 BTC');
    const r = read('binance-usdm', doc);
    expect(r.snapshot!.positions.map((p) => p.symbol)).toEqual(['ETHUSDT']);
    expect(r.health.problems[0]).toMatch(/^BTCUSDT: direction unknown \(contradictory/);
  });

  it('Binance: size shown in USDT cannot be converted exactly: unknown with advice', () => {
    const doc = loadFixture('binance-usdm');
    replaceText(doc, '0.010 BTC', '778.29 USDT');
    const r = read('binance-usdm', doc);
    expect(r.health.problems[0]).toMatch(/size shown in USDT: switch the page to show size in BTC/);
  });

  it('Bybit: both legs of a hedge (BTCUSDT long and short, cross) → hedge mode', () => {
    const doc = loadFixture('bybit');
    const rows = grid(doc, 'bybit').rowEls;
    const leg = rows[0]!.cloneNode(true) as Element;
    // A short leg: 0.004 BTC @ 78,000.0, mark 77,829.30 → uPnL +0.6828.
    replaceText(leg, 'Cross 20.00x', 'Cross 20.00x');
    leg.querySelector('.is-buy')!.setAttribute('class', 'is-sell');
    replaceText(leg, '0.010 BTC', '0.004 BTC');
    replaceText(leg, '76,500.0', '78,000.0');
    replaceText(leg, '38.9147 USDT', '15.5659 USDT');
    replaceText(leg, '3.8915 USDT', '1.5566 USDT');
    replaceText(leg, '+13.2930 USDT', '+0.6828 USDT');
    leg.querySelectorAll('.is-buy').forEach((e) => e.setAttribute('class', 'is-sell'));
    rows[0]!.parentElement!.appendChild(leg);
    setTabCount(doc, 'bybit', 3);
    // Account: uPnL 29.09 + 0.68 = 29.77, equity/margin balance 1,029.77.
    replaceText(doc, '+29.09 USD', '+29.77 USD');
    replaceText(doc, '1,029.09 USD', '1,029.77 USD');
    replaceText(doc, '1,029.09 USD', '1,029.77 USD');
    const r = read('bybit', doc);
    expect(r.health.problems).toEqual([]);
    const s = valid(r.snapshot);
    expect(s.positionMode).toBe('hedge');
    expect(s.positions.filter((p) => p.symbol === 'BTCUSDT').map((p) => [p.side, p.size, p.entryPrice])).toEqual([
      ['long', '0.01', '76500'],
      ['short', '0.004', '78000'],
    ]);
  });

  it('Hyperliquid: isolated and cross mixed; isolated margin comes out of the cross wallet', () => {
    const doc = loadFixture('hyperliquid');
    replaceText(doc, '$1,364.35 (Cross)', '$1,364.35 (Isolated)');
    const s = valid(read('hyperliquid', doc).snapshot);
    expect(s.positions.map((p) => [p.symbol, p.marginMode, p.isolatedMargin])).toEqual([
      ['ETH', 'cross', undefined],
      ['BTC', 'isolated', '1364.35'],
    ]);
    expect(s.walletBalance).toBe('5609.68'); // 6,974.03 − 1,364.35
  });

  it('rows that do not add up to the account uPnL (e.g. "Hide Other Symbols"): partial, cross wallet unknown', () => {
    const doc = loadFixture('binance-usdm');
    grid(doc, 'binance-usdm').rowEls[1]!.remove();
    setTabCount(doc, 'binance-usdm', 1);
    const r = read('binance-usdm', doc);
    expect(r.health.status).toBe('partial');
    expect(r.health.problems.join()).toMatch(/add up to unrealized PnL 13.29 but the account shows 29.09/);
    expect(r.snapshot!.walletBalance).toBeNull();
  });

  it('placeholders in display columns are unknown, not zero', () => {
    const doc = loadFixture('okx');
    replaceText(doc, '61,234.5', '--');
    replaceText(doc, '9,885.59%', '-- / --');
    const s = valid(read('okx', doc).snapshot);
    expect(s.positions[0]!.displayed).toMatchObject({ liquidationPrice: null, marginRatio: null });
  });

  it('no positions: empty state with the header and Positions(0) is ok with zero positions', () => {
    const doc = loadFixture('binance-usdm');
    grid(doc, 'binance-usdm').rowEls.forEach((r) => r.remove());
    doc.querySelector('.list-grid')!.textContent = 'You have no position.';
    setTabCount(doc, 'binance-usdm', 0);
    // Flat account: no uPnL, no MM.
    replaceText(doc, '+29.09 USDT', '0.00 USDT');
    replaceText(doc, '1,029.09 USDT', '1,000.00 USDT');
    replaceText(doc, '10.41 USDT', '0.00 USDT');
    replaceText(doc, '1.01%', '0.00%');
    const r = read('binance-usdm', doc);
    expect(r.health.problems).toEqual([]);
    expect(r.health.status).toBe('ok');
    expect(r.snapshot!.positions).toEqual([]);
    expect(r.snapshot!.walletBalance).toBe('1000');
  });

  it('no positions and no header at all: ok only when the page says so', () => {
    const doc = loadFixture('binance-usdm');
    doc.querySelector('#POSITIONS')!.innerHTML = '<div>You have no position.</div>';
    setTabCount(doc, 'binance-usdm', 0);
    const r = read('binance-usdm', doc);
    expect(r.snapshot!.positions).toEqual([]);
    doc.querySelector('#POSITIONS')!.innerHTML = '<div>Loading…</div>';
    setTabCount(doc, 'binance-usdm', 2);
    const r2 = read('binance-usdm', doc);
    expect(r2.snapshot).toBeNull();
    expect(r2.health.status).toBe('unrecognized');
  });

  it('positions tab not selected: unrecognized with advice', () => {
    const doc = loadFixture('okx');
    doc.querySelector('[data-pane-id="positions"]')!.setAttribute('aria-selected', 'false');
    const r = read('okx', doc);
    expect(r.health.status).toBe('unrecognized');
    expect(r.health.problems.join()).toMatch(/Positions tab is not open/);
  });

  it('carries the last good read time through a bad read', () => {
    const doc = loadFixture('okx');
    removeColumn(doc, 'okx', 'Size');
    const r = read('okx', doc, undefined, { lastGoodReadAt: 123 });
    expect(r.health.lastGoodReadAt).toBe(123);
  });
});

describe('account labels found by one page walk are reused, never trusted blindly', () => {
  // The account-panel search walks the whole page; readers reuse the label elements it found
  // for PANEL_RESCAN_MS while each still says its label. Values are always read afresh.
  const labelEl = (doc: Document, text: string) => Array.from(doc.querySelectorAll('.css-label')).find((e) => e.textContent === text)!;
  const valueOf = (doc: Document, label: string) => labelEl(doc, label).nextElementSibling!;
  const at = (ms: number) => ({ now: NOW + ms });

  it('a value changed between reads is read afresh', () => {
    const doc = loadFixture('binance-usdm');
    expect(read('binance-usdm', doc).snapshot!.displayed!.maintenanceMargin).toBe('10.41');
    valueOf(doc, 'Maintenance Margin').textContent = '10.52 USDT';
    expect(read('binance-usdm', doc, undefined, at(1000)).snapshot!.displayed!.maintenanceMargin).toBe('10.52');
  });

  it('a label that changes its text or leaves the page is noticed at the next read', () => {
    const doc = loadFixture('binance-usdm');
    expect(read('binance-usdm', doc).health.missing).toEqual([]);
    labelEl(doc, 'Maintenance Margin').textContent = 'Maint. Margin (est.)';
    const r1 = read('binance-usdm', doc, undefined, at(1000));
    expect(r1.health.missing).toEqual(['Maintenance Margin']);
    expect(r1.snapshot!.displayed!.maintenanceMargin).toBeNull();
    labelEl(doc, 'Margin Balance').parentElement!.remove();
    const r2 = read('binance-usdm', doc, undefined, at(2000));
    expect([...r2.health.missing].sort()).toEqual(['Maintenance Margin', 'Margin Balance']);
  });

  it('a label that appears later is found by the next full walk, within PANEL_RESCAN_MS', () => {
    const doc = loadFixture('binance-usdm');
    read('binance-usdm', doc);
    // A second "Maintenance Margin" with a different value: a conflict, so the figure is dropped.
    const copy = labelEl(doc, 'Maintenance Margin').parentElement!.cloneNode(true) as Element;
    copy.lastElementChild!.textContent = '99.99 USDT';
    doc.body.appendChild(copy);
    const later = read('binance-usdm', doc, undefined, at(PANEL_RESCAN_MS));
    expect(later.health.problems.join()).toMatch(/Maintenance Margin: the page shows different values \(10\.41 \/ 99\.99\)/);
    expect(later.snapshot!.displayed!.maintenanceMargin).toBeNull();
  });

  it('while a label the engine needs is missing (panel still rendering), every read looks for it', () => {
    const doc = loadFixture('binance-usdm');
    const wallet = labelEl(doc, 'Wallet Balance').parentElement!;
    const parent = wallet.parentElement!;
    wallet.remove();
    expect(read('binance-usdm', doc).snapshot!.walletBalance).toBeNull();
    parent.appendChild(wallet);
    expect(read('binance-usdm', doc, undefined, at(1000)).snapshot!.walletBalance).toBe('852.5');
  });

  it('a read with a clock that went backwards walks the page again', () => {
    const doc = loadFixture('binance-usdm');
    read('binance-usdm', doc, undefined, at(10_000));
    const copy = labelEl(doc, 'Maintenance Margin').parentElement!.cloneNode(true) as Element;
    copy.lastElementChild!.textContent = '99.99 USDT';
    doc.body.appendChild(copy);
    expect(read('binance-usdm', doc, undefined, at(0)).snapshot!.displayed!.maintenanceMargin).toBeNull();
  });
});

describe.each(ALL)('%s: which cells only move with prices (the content script reads those less often)', (ex) => {
  const LABELS: Record<Ex, { size: string; entry: string; mark: string; symbol: string }> = {
    'binance-usdm': { size: 'Size', entry: 'Entry Price', mark: 'Mark Price', symbol: 'Symbol' },
    bybit: { size: 'Qty', entry: 'Entry Price', mark: 'Mark Price', symbol: 'Contracts' },
    okx: { size: 'Size', entry: 'Entry price', mark: 'Mark price', symbol: 'Instrument' },
    hyperliquid: { size: 'Size', entry: 'Entry Price', mark: 'Mark Price', symbol: 'Coin' },
  };
  it('mark price cells are market-driven; symbol, size and entry cells are not; a row left out has none', () => {
    const doc = loadFixture(ex);
    const l = LABELS[ex];
    const r = read(ex, doc);
    const market = new Set(r.marketDriven);
    const rows = grid(doc, ex).rows;
    expect(rows.length).toBe(2);
    for (const row of rows) {
      expect(market.has(row[columnIndex(doc, ex, l.mark)]!)).toBe(true);
      for (const k of ['symbol', 'size', 'entry'] as const) expect(market.has(row[columnIndex(doc, ex, l[k])]!), k).toBe(false);
    }
    // Every market-driven element is inside an observed panel.
    for (const el of market) expect(r.panels.some((p) => p.contains(el))).toBe(true);
    // A row that cannot be read is watched as a whole: any change may make it readable.
    rows[0]![columnIndex(doc, ex, l.entry)]!.textContent = '--';
    const r2 = read(ex, doc);
    expect(r2.marketDriven!.some((el) => rows[0]!.includes(el))).toBe(false);
    expect(r2.marketDriven!.some((el) => rows[1]!.includes(el))).toBe(true);
  });
});

// ---- Issue 12 "never silent": completeness, identity, visibility ---------------------------
describe.each(ALL)('%s: unreadable is not empty (positionsComplete)', (ex) => {
  const pnlCol = (doc: Document) => grid(doc, ex).headerCells.findIndex((c) => /^(PNL|Unrealized P|Unrealized PnL)/i.test((c.textContent ?? '').trim()));
  const hidePnl = (doc: Document, row: number) => {
    const cell = grid(doc, ex).rows[row]![pnlCol(doc)]!;
    const it = doc.createTreeWalker(cell, 4);
    for (let t = it.nextNode(); t; t = it.nextNode()) if (/\d/.test(t.nodeValue ?? '')) t.nodeValue = '******';
  };

  it('the fixture: every position read, complete, the tab count carried', () => {
    const { health, snapshot } = read(ex, loadFixture(ex));
    expect(snapshot!.positions).toHaveLength(2);
    expect(health.positionsComplete).toBe(true);
    expect(health.positionsExpected).toBe(2);
  });

  it('every row left out (PnL hidden as ******): no positions read, and the list is NOT complete', () => {
    const doc = loadFixture(ex);
    hidePnl(doc, 0);
    hidePnl(doc, 1);
    const { health, snapshot } = read(ex, doc);
    expect(snapshot!.positions).toEqual([]);
    expect(health.positionsComplete).toBe(false);
    expect(health.positionsExpected).toBe(2);
    expect(health.problems.filter((p) => /left out/.test(p))).toHaveLength(2);
  });

  it('one row left out: the other is read, the list is not complete', () => {
    const doc = loadFixture(ex);
    hidePnl(doc, 1);
    const { health, snapshot } = read(ex, doc);
    expect(snapshot!.positions).toHaveLength(1);
    expect(health.positionsComplete).toBe(false);
  });

  it('grid not rendered while the tab says 2: unrecognized, not complete, expected 2', () => {
    const doc = loadFixture(ex);
    const g = grid(doc, ex);
    (ex === 'binance-usdm' ? g.header.parentElement! : g.header.closest('table')!).remove();
    const { health, snapshot } = read(ex, doc);
    expect(snapshot).toBeNull();
    expect(health.positionsComplete).toBe(false);
    expect(health.positionsExpected).toBe(2);
  });

  it('tab count above the rows shown: not complete', () => {
    const doc = loadFixture(ex);
    setTabCount(doc, ex, 3);
    const { health, snapshot } = read(ex, doc);
    expect(snapshot!.positions).toHaveLength(2);
    expect(health.positionsComplete).toBe(false);
    expect(health.positionsExpected).toBe(3);
  });
});

describe('positionsComplete on empty and unknown pages', () => {
  it('an empty state with Positions(0) is a complete, empty list', () => {
    const doc = parseHtml(`<html lang="en"><body><div role="tab" aria-selected="true">Positions(0)</div><div>No open positions yet</div>
      <div class="kv"><span>Balance</span><span>$1,000.00</span></div></body></html>`);
    const { health, snapshot } = read('hyperliquid', doc);
    expect(snapshot!.positions).toEqual([]);
    expect(health.positionsComplete).toBe(true);
    expect(health.positionsExpected).toBe(0);
  });

  it('a page in another language is never complete', () => {
    const doc = parseHtml(fixtureHtml('binance-usdm-de.html'));
    const { health } = read('binance-usdm', doc, 'https://www.binance.com/de/futures/BTCUSDT');
    expect(health.status).toBe('unrecognized');
    expect(health.positionsComplete).toBe(false);
  });
});

describe.each(ALL)('%s: hidden grids and rows are not read (visibility)', (ex) => {
  /** Insert a copy of the positions grid (header and rows) just before the original; returns it. */
  const copyGrid = (doc: Document): Element => {
    const g = grid(doc, ex);
    if (ex === 'binance-usdm') {
      // Binance's grid is the header and its rows container inside the tab panel.
      const copy = doc.createElement('div');
      copy.append(g.header.cloneNode(true), g.header.nextElementSibling!.cloneNode(true));
      g.header.parentElement!.insertBefore(copy, g.header);
      return copy;
    }
    const table = g.header.closest('table')!;
    const copy = table.cloneNode(true) as Element;
    table.parentElement!.insertBefore(copy, table);
    return copy;
  };
  const hideWays: [string, (doc: Document, el: Element) => void][] = [
    ['hidden attribute', (_d, el) => el.setAttribute('hidden', '')],
    ['display: none', (_d, el) => el.setAttribute('style', 'display:none')],
    ['visibility: hidden', (_d, el) => el.setAttribute('style', 'visibility:hidden')],
    [
      'a style-sheet class',
      (d, el) => {
        const s = d.createElement('style');
        s.textContent = '.gone-x { display: none }';
        d.body.appendChild(s);
        el.classList.add('gone-x');
      },
    ],
  ];

  it.each(hideWays)('a hidden row (%s) is left out, named, and the list is not complete', (_how, hideIt) => {
    const doc = loadFixture(ex);
    hideIt(doc, grid(doc, ex).rowEls[1]!);
    const { health, snapshot } = read(ex, doc);
    expect(snapshot!.positions).toHaveLength(1);
    expect(health.positionsComplete).toBe(false);
    expect(health.problems.some((p) => /row hidden on the page/.test(p))).toBe(true);
  });

  it.each(hideWays)('a hidden copy of the grid (%s) with other figures is ignored: the shown grid is read', (_how, hideIt) => {
    const doc = loadFixture(ex);
    const truth = read(ex, loadFixture(ex));
    const copy = copyGrid(doc);
    // The copy's sizes are different figures: reading it would change the snapshot.
    const it = doc.createTreeWalker(copy, 4);
    for (let t = it.nextNode(); t; t = it.nextNode()) t.nodeValue = t.nodeValue!.replace(/^(-?)0\.(\d)/, '$17.$2');
    hideIt(doc, copy);
    const r = read(ex, doc);
    expect(r.snapshot).toEqual(truth.snapshot);
    expect(r.health.status).toBe('ok');
  });

  it('two positions grids shown: ambiguous, unrecognized, not the first', () => {
    const doc = loadFixture(ex);
    copyGrid(doc);
    const { health, snapshot } = read(ex, doc);
    expect(snapshot).toBeNull();
    expect(health.status).toBe('unrecognized');
    expect(health.positionsComplete).toBe(false);
    expect(health.problems.some((p) => /2 positions tables shown/.test(p))).toBe(true);
  });
});

describe('Binance: the grid of the tab panel the selected Positions tab controls is preferred', () => {
  it('another shown grid in another tab panel (before it in the page) is not read', () => {
    const doc = loadFixture('binance-usdm');
    const truth = read('binance-usdm', loadFixture('binance-usdm'));
    const panel = doc.getElementById('POSITIONS')!;
    const other = panel.cloneNode(true) as Element;
    other.id = 'POSITION_HISTORY_COPY';
    const it = doc.createTreeWalker(other, 4);
    for (let t = it.nextNode(); t; t = it.nextNode()) t.nodeValue = t.nodeValue!.replace(/^(-?)0\.(\d)/, '$17.$2');
    panel.parentElement!.insertBefore(other, panel);
    const r = read('binance-usdm', doc);
    expect(r.snapshot).toEqual(truth.snapshot);
    expect(r.health.positionsComplete).toBe(true);
  });
});

describe('account identity from visible page text', () => {
  const VARIANTS = ALL.map((ex) => [ex, IDENTITY_VARIANTS[ex].identity] as const);
  it.each(VARIANTS)('%s: %s, and the read is otherwise unchanged', (ex, identity) => {
    const r = read(ex, parseHtml(identityFixtureHtml(ex)));
    expect(r.identity).toBe(identity);
    expect(r.snapshot).toEqual(read(ex, loadFixture(ex)).snapshot);
  });

  it.each(ALL)('%s fixture without an identity shown: null', (ex) => {
    expect(read(ex, loadFixture(ex)).identity).toBeNull();
  });

  it('a full wallet address is read in lower case', () => {
    const doc = parseHtml(identityFixtureHtml('hyperliquid'));
    const full = `0x7F3A${'0'.repeat(32)}C9c2`;
    replaceText(doc.body, '0x7f3A...9C2d', full);
    expect(read('hyperliquid', doc).identity).toBe(`addr:${full.toLowerCase()}`);
  });

  it('two different UIDs shown: null (the tab is then the key), not the first', () => {
    const doc = parseHtml(identityFixtureHtml('bybit'));
    const extra = doc.createElement('span');
    extra.textContent = 'UID: 555555555';
    doc.body.appendChild(extra);
    expect(read('bybit', doc).identity).toBeNull();
  });

  it('an account switch between reads is seen at the next read (the found element is re-read each time)', () => {
    const doc = parseHtml(identityFixtureHtml('bybit'));
    expect(read('bybit', doc, undefined, { now: NOW }).identity).toBe('uid:123456789');
    replaceText(doc.body, 'UID: 123456789', 'UID: 987654321');
    expect(read('bybit', doc, undefined, { now: NOW + 1000 }).identity).toBe('uid:987654321');
    // The identity element is observed (its change triggers a read).
    const r = read('bybit', doc, undefined, { now: NOW + 2000 });
    expect(r.panels.some((p) => p.textContent === 'UID: 987654321')).toBe(true);
  });

  it('an identity the page hides (closed dropdown) is not read', () => {
    const doc = parseHtml(identityFixtureHtml('binance-usdm'));
    doc.querySelector('.header-account')!.setAttribute('style', 'display:none');
    expect(read('binance-usdm', doc).identity).toBeNull();
  });
});

describe('identities pass the worker\'s check (lib/protocol/schemas.ts sanitizeIdentity)', () => {
  it.each(ALL)('%s', async (ex) => {
    const { sanitizeIdentity } = await import('../../lib/protocol/schemas');
    const id = read(ex, parseHtml(identityFixtureHtml(ex))).identity;
    expect(id).not.toBeNull();
    expect(sanitizeIdentity(id)).toBe(id);
  });
});
