/**
 * Stored state cannot brick the worker (issue 12.4): lib/storage/load.ts `loadStoredState` reads
 * each item through WXT storage on the fake browser, keeps every good entry, sets each bad one
 * aside in the quarantine with its reason and time, reports it, and survives a storage that throws.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { DEFAULT_PLACEMENT } from '@/lib/view/overlay';
import { checkAccounts, checkHistory, loadStoredState, STORAGE_PROBLEMS_SHOWN_MS } from '@/lib/storage/load';
import {
  accountsItem,
  alertStateItem,
  countersItem,
  endpointOverrideItem,
  marksItem,
  overlayPlacementItem,
  problemsItem,
  QUARANTINE_MAX_ENTRIES,
  QUARANTINE_MAX_VALUE_CHARS,
  quarantineItem,
  ratioHistoryItem,
  tierCacheItem,
  type AccountRecord,
  type AlertStore,
  type PendingNotice,
  type TierCacheEntry,
} from '@/lib/storage';
import { initialAlertState } from '@/lib/alerts/machine';
import { okxWithTiers, record, tight } from '../components/helpers';

const T = 1_763_600_000_000;
const now = () => T;
/** Storage as the raw browser holds it (under the WXT key without its area). */
const raw = async (area: 'local' | 'session', key: string) => ((await fakeBrowser.storage[area].get(key)) as Record<string, unknown>)[key];
const put = (area: 'local' | 'session', items: Record<string, unknown>) => fakeBrowser.storage[area].set(items);

/** A good Binance record and a good OKX record, as the background writes them (real snapshots, real engine risk). */
const goodBinance = (): AccountRecord => record(tight());
const goodOkx = (): AccountRecord => record(okxWithTiers(), { url: 'https://www.okx.com/trade-swap/btc-usdt-swap' });
const HL = 'hyperliquid:0x00000000000000000000000000000000000000aa';

beforeEach(() => fakeBrowser.reset());

describe('an empty store loads clean', () => {
  it('every item takes its empty value, nothing is reported or quarantined', async () => {
    const s = await loadStoredState({ now });
    expect(s.problems).toEqual([]);
    expect(s).toMatchObject({ accounts: {}, alerts: { accounts: {}, outbox: [] }, marks: {}, history: {}, tierCache: {}, endpointOverride: null, overlayPlacement: DEFAULT_PLACEMENT });
    expect(s.counters).toEqual({ rejectedSenders: 0, lastRejectedSender: null, invalidSnapshots: 0, lastInvalidSnapshot: null });
    expect(await raw('local', 'quarantine')).toBeUndefined();
    expect((await problemsItem.getValue()).storage).toBeNull();
    // Fresh objects: mutating the result never touches WXT's shared fallback.
    s.accounts.x = goodBinance();
    expect(accountsItem.fallback).toEqual({});
  });

  it('a full, valid store loads exactly as stored', async () => {
    const accounts = { 'binance-usdm': goodBinance(), okx: goodOkx() };
    const alerts: AlertStore = { accounts: { okx: { ...initialAlertState(), currentLevel: 0.7, levels: { '0.7': { armed: false, lastNotifiedAt: T - 5 } } } }, outbox: [] };
    await accountsItem.setValue(accounts);
    await alertStateItem.setValue(alerts);
    await ratioHistoryItem.setValue({ okx: [{ t: T - 5000, r: 0.4 }, { t: T, r: null }] });
    await marksItem.setValue({ bybit: { BTCUSDT: { price: '65000.5', time: T, fundingRate: '0.0001', nextFundingTime: T + 1000 } } });
    const s = await loadStoredState({ now });
    expect(s.problems).toEqual([]);
    expect(s.accounts).toEqual(accounts);
    expect(s.alerts).toEqual(alerts);
    expect(s.history.okx).toHaveLength(2);
    expect(s.marks.bybit?.BTCUSDT?.price).toBe('65000.5');
  });
});

describe('accounts: a bad account never costs the good ones', () => {
  const BAD: { name: string; bad: (r: AccountRecord) => unknown; reason: RegExp }[] = [
    { name: 'a negative position size', bad: (r) => ({ ...r, snapshot: { ...r.snapshot!, positions: [{ ...r.snapshot!.positions[0]!, size: '-1' }] } }), reason: /snapshot\.positions\[0\]\.size: must be > 0/ },
    { name: 'a wallet balance stored as a number', bad: (r) => ({ ...r, snapshot: { ...r.snapshot!, walletBalance: 100 } }), reason: /snapshot\.walletBalance: must be a decimal string/ },
    { name: 'snapshotAt as text', bad: (r) => ({ ...r, snapshotAt: '1763600000000' }), reason: /snapshotAt/ },
    { name: 'a snapshot read time as text', bad: (r) => ({ ...r, snapshot: { ...r.snapshot!, source: { readAt: 'now' } } }), reason: /snapshot\.source\.readAt/ },
    { name: 'a label that is a number', bad: (r) => ({ ...r, label: 5 }), reason: /label: must be text/ },
    { name: 'an unknown exchange', bad: (r) => ({ ...r, exchange: 'mtgox' }), reason: /exchange: must be one of/ },
    { name: 'stored under another account key', bad: (r) => ({ ...r, key: 'bybit' }), reason: /key: the record says "bybit"/ },
    { name: 'a snapshot of another exchange', bad: (r) => ({ ...r, snapshot: { ...r.snapshot!, exchange: 'bybit' } }), reason: /snapshot\.exchange: bybit does not match/ },
    { name: 'not an object', bad: () => 'garbage', reason: /must be an object|expected Object|Invalid type/ },
  ];

  it.each(BAD)('$name: quarantined and reported; the other account loads as stored', async ({ bad, reason }) => {
    const good = goodOkx();
    const damaged = bad(goodBinance());
    await put('local', { accounts: { 'binance-usdm': damaged, okx: good } });
    const s = await loadStoredState({ now });
    expect(Object.keys(s.accounts)).toEqual(['okx']);
    expect(s.accounts.okx).toEqual(good);
    expect(s.problems).toHaveLength(1);
    expect(s.problems[0]).toMatch(/^accounts › binance-usdm: /);
    expect(s.problems[0]).toMatch(reason);
    // Set aside with the reason and time, then removed from the item; the good account stays stored.
    const q = await quarantineItem.getValue();
    expect(q).toHaveLength(1);
    expect(q[0]).toMatchObject({ item: 'local:accounts', entry: 'binance-usdm', at: T, truncated: false });
    expect(q[0]!.reason).toMatch(reason);
    expect(JSON.parse(q[0]!.json!)).toEqual(JSON.parse(JSON.stringify(damaged)));
    expect(await raw('local', 'accounts')).toEqual({ okx: good });
    // The popup's problems item carries the same lines.
    expect((await problemsItem.getValue()).storage).toEqual({ at: T, lines: s.problems });
  });

  it('a bad key (not an account key) is quarantined; a watched Hyperliquid wallet loads', async () => {
    const hl = record(null, { key: HL, exchange: 'hyperliquid', label: 'Hyperliquid 0x0000…00aa', health: null, risk: null, tabId: null, windowId: null, url: null });
    await put('local', { accounts: { [HL]: hl, 'hyperliquid:bob': { ...hl, key: 'hyperliquid:bob' } } });
    const s = await loadStoredState({ now });
    expect(s.accounts).toEqual({ [HL]: hl });
    expect(s.problems).toEqual([expect.stringMatching(/^accounts › hyperliquid:bob: not an account key/)]);
  });

  it('page accounts keyed by identity or tab load beside an old exchange-only key; a key of another exchange is refused', async () => {
    const byUid = { ...goodBinance(), key: 'binance-usdm/uid:12345678', identity: 'uid:12345678', pageSeenAt: T - 1000, tabClosed: false, unreadable: null, markDisagreements: [] };
    const byTab = { ...goodOkx(), key: 'okx/tab:7', identity: null, tabId: 7, pageSeenAt: T - 2000, tabClosed: true };
    const old = goodBinance(); // written before accounts were keyed by identity: no identity, pageSeenAt, tabClosed…
    const wrong = { ...goodOkx(), key: 'bybit/tab:3' };
    await put('local', { accounts: { [byUid.key]: byUid, [byTab.key]: byTab, 'binance-usdm': old, 'bybit/tab:3': wrong } });
    const s = await loadStoredState({ now });
    expect(s.accounts).toEqual({ [byUid.key]: byUid, [byTab.key]: byTab, 'binance-usdm': old });
    expect(s.problems).toEqual([expect.stringMatching(/^accounts › bybit\/tab:3: exchange: okx does not match the account key/)]);
  });

  it('"positions could not be read" is never reset to an all-clear: a damaged `unreadable` quarantines the account', async () => {
    await put('local', { accounts: { okx: { ...goodOkx(), unreadable: 42 }, 'binance-usdm': { ...goodBinance(), tabClosed: 'yes' } } });
    const s = await loadStoredState({ now });
    expect(Object.keys(s.accounts)).toEqual(['binance-usdm']);
    // tabClosed resets to false: the page-silence rule stays on.
    expect(s.accounts['binance-usdm']!.tabClosed).toBe(false);
    expect(s.problems).toEqual([
      expect.stringMatching(/^accounts › okx: unreadable: /),
      expect.stringMatching(/^accounts › binance-usdm › tabClosed: .*reset \(recomputed\)/),
    ]);
  });

  it('derived fields that fail their shape are reset, the account itself is kept', async () => {
    const r = goodBinance();
    await put('local', { accounts: { 'binance-usdm': { ...r, health: { ...r.health!, readAt: 'yesterday' }, risk: { ...r.risk!, riskRatio: 0.4 }, level: 7, marks: { BTCUSDT: { price: 1, time: T } } } } });
    const s = await loadStoredState({ now });
    const a = s.accounts['binance-usdm']!;
    expect(a.snapshot).toEqual(r.snapshot);
    expect(a).toMatchObject({ health: null, risk: null, level: null, marks: {} });
    expect(s.problems.map((p) => p.split(':')[0])).toEqual(['accounts › binance-usdm › health', 'accounts › binance-usdm › risk', 'accounts › binance-usdm › marks', 'accounts › binance-usdm › level']);
    for (const p of s.problems) expect(p).toMatch(/reset \(recomputed\)/);
    expect((await quarantineItem.getValue()).map((q) => q.entry)).toEqual(['binance-usdm › health', 'binance-usdm › risk', 'binance-usdm › marks', 'binance-usdm › level']);
  });

  it('a whole item that is not an object runs empty and is set aside', async () => {
    await put('local', { accounts: '}{garbage' });
    const s = await loadStoredState({ now });
    expect(s.accounts).toEqual({});
    expect(s.problems).toEqual([expect.stringMatching(/^accounts: must be an object \(got string\)/)]);
    expect((await quarantineItem.getValue())[0]).toMatchObject({ item: 'local:accounts', entry: null, json: '"}{garbage"' });
    expect(await raw('local', 'accounts')).toEqual({});
  });
});

describe('alert state: per account, and per outbox notice', () => {
  const notice = (accountKey: string, at: number): PendingNotice => ({ id: `ms|${accountKey}|stale|stale|${at}`, accountKey, notice: { kind: 'stale', reason: 'no prices', at } });

  it('a damaged account state and a damaged notice are set aside; the rest (in order) is kept', async () => {
    const okxState = { ...initialAlertState(), levels: { '0.8': { armed: false, lastNotifiedAt: T - 1 } }, currentLevel: 0.8 };
    await put('local', {
      alertState: {
        accounts: { okx: okxState, bybit: { ...initialAlertState(), levels: { '0.8': { armed: 'yes', lastNotifiedAt: null } } }, 'binance-usdm': { ...initialAlertState(), currentLevel: '0.9' } },
        outbox: [notice('okx', T - 3), { ...notice('okx', T - 2), notice: { kind: 'level', level: 0.8, top: false, riskRatio: NaN, at: T - 2 } }, notice('okx', T - 1)],
      },
    });
    const s = await loadStoredState({ now });
    expect(s.alerts.accounts).toEqual({ okx: okxState });
    expect(s.alerts.outbox).toEqual([notice('okx', T - 3), notice('okx', T - 1)]);
    expect(s.problems).toEqual([
      expect.stringMatching(/^alertState › accounts › bybit: levels\.0\.8\.armed: /),
      expect.stringMatching(/^alertState › accounts › binance-usdm: currentLevel: /),
      expect.stringMatching(/^alertState › outbox\[1\]: notice\.riskRatio: /),
    ]);
    expect(await raw('local', 'alertState')).toEqual({ accounts: { okx: okxState }, outbox: [notice('okx', T - 3), notice('okx', T - 1)] });
  });

  it('an outbox that is not a list costs the outbox only', async () => {
    const st = initialAlertState();
    await put('local', { alertState: { accounts: { okx: st }, outbox: { 0: 'x' } } });
    const s = await loadStoredState({ now });
    expect(s.alerts).toEqual({ accounts: { okx: st }, outbox: [] });
    expect(s.problems).toEqual([expect.stringMatching(/^alertState › outbox: must be a list/)]);
  });
});

describe('history, tier cache, marks: per series, per exchange, per mark book', () => {
  it('ratio history: a series with NaN or text is set aside, the other series kept', async () => {
    // NaN does not survive browser storage (it is stored as JSON: NaN → null); a null time is refused.
    await put('local', { ratioHistory: { okx: [{ t: T, r: 0.5 }], bybit: [{ t: T, r: 'high' }], 'binance-usdm': [{ t: NaN, r: 0.1 }] } });
    const s = await loadStoredState({ now });
    expect(s.history).toEqual({ okx: [{ t: T, r: 0.5 }] });
    expect(s.problems).toEqual([expect.stringMatching(/^ratioHistory › bybit: 0\.r: must be a number or null/), expect.stringMatching(/^ratioHistory › binance-usdm: 0\.t: must be a number/)]);
  });

  it('NaN and Infinity held in memory are refused too (checks used before anything is stored)', () => {
    expect(checkHistory({ okx: [{ t: NaN, r: 0.1 }], bybit: [{ t: T, r: Infinity }] }).drops.map((d) => [d.entry, d.reason])).toEqual([
      ['okx', '0.t: must be a number (ms)'],
      ['bybit', '0.r: must be finite or null'],
    ]);
    const r = goodBinance();
    expect(checkAccounts({ 'binance-usdm': { ...r, snapshotAt: NaN } }).drops[0]).toMatchObject({ entry: 'binance-usdm', reason: 'snapshotAt: must be a number (ms)', action: 'quarantined' });
  });

  it('tier cache: an exchange with numeric rates, or an unknown exchange, is set aside; the other kept', async () => {
    const table = { exchange: 'bybit' as const, symbol: 'BTCUSDT', basis: 'notional' as const, tiers: [{ floor: '0', cap: '2000000', mmr: '0.005', maintAmount: '0', maxLeverage: '100' }], source: 'https://api.bybit.com/v5/market/risk-limit', asOf: '2026-11-20T00:00:00Z' };
    const bybit: TierCacheEntry = { fetchedAt: T, tables: { BTCUSDT: table }, error: null, lastAttemptAt: T };
    const okx = { fetchedAt: T, tables: { 'BTC-USDT-SWAP': { ...table, exchange: 'okx', tiers: [{ ...table.tiers[0]!, mmr: 0.004 }] } }, error: null, lastAttemptAt: T };
    const mislabelled = { ...bybit, tables: { BTCUSDT: { ...table, exchange: 'okx' } } };
    await put('local', { tierCache: { bybit, okx, kraken: bybit, 'binance-usdm': mislabelled } });
    const s = await loadStoredState({ now });
    expect(s.tierCache).toEqual({ bybit });
    expect(s.problems).toEqual([
      expect.stringMatching(/^tierCache › okx: tables\.BTC-USDT-SWAP\.tiers\.0\.mmr: must be a decimal string/),
      expect.stringMatching(/^tierCache › kraken: not an exchange/),
      expect.stringMatching(/^tierCache › binance-usdm: tables\.BTCUSDT\.exchange: okx is not binance-usdm/),
    ]);
  });

  it('marks (session): a mark book with a numeric price is set aside, the other exchange kept', async () => {
    await put('session', { marks: { bybit: { BTCUSDT: { price: '65000', time: T, receivedAt: T + 5 } }, okx: { 'BTC-USDT-SWAP': { price: 65000, time: T } }, hyperliquid: { BTC: { price: '1', time: T, receivedAt: 'now' } } } });
    const s = await loadStoredState({ now });
    expect(s.marks).toEqual({ bybit: { BTCUSDT: { price: '65000', time: T, receivedAt: T + 5 } } });
    expect(s.problems).toEqual([expect.stringMatching(/^marks › okx: BTC-USDT-SWAP\.price: must be a decimal string/), expect.stringMatching(/^marks › hyperliquid: BTC\.receivedAt: /)]);
    expect(await raw('session', 'marks')).toEqual({ bybit: { BTCUSDT: { price: '65000', time: T, receivedAt: T + 5 } } });
  });
});

describe('whole-value items: counters, endpoint override, overlay placement', () => {
  it('damaged values fall back (zero counters, no override, default placement), each reported', async () => {
    await put('local', { monitorCounters: { rejectedSenders: '3', lastRejectedSender: null, invalidSnapshots: 0, lastInvalidSnapshot: null }, endpointOverride: 42, overlayPlacement: { left: 'x', bottom: 16, collapsed: true } });
    const s = await loadStoredState({ now });
    expect(s.counters.rejectedSenders).toBe(0);
    expect(s.endpointOverride).toBeNull();
    expect(s.overlayPlacement).toEqual(DEFAULT_PLACEMENT);
    expect(s.problems).toEqual([
      expect.stringMatching(/^monitorCounters: rejectedSenders: must be a number/),
      expect.stringMatching(/^endpointOverride: /),
      expect.stringMatching(/^overlayPlacement: left: must be a number of px/),
    ]);
  });

  it('valid values load as stored', async () => {
    const counters = { rejectedSenders: 3, lastRejectedSender: 'wrong host', invalidSnapshots: 1, lastInvalidSnapshot: 'size' };
    await countersItem.setValue(counters);
    await endpointOverrideItem.setValue({ stream: 'ws://127.0.0.1:1234' });
    await overlayPlacementItem.setValue({ left: 40, bottom: 80, collapsed: false });
    const s = await loadStoredState({ now });
    expect(s.problems).toEqual([]);
    expect(s).toMatchObject({ counters, endpointOverride: { stream: 'ws://127.0.0.1:1234' }, overlayPlacement: { left: 40, bottom: 80, collapsed: false } });
  });
});

describe('a storage that throws', () => {
  afterEach(() => vi.restoreAllMocks());

  /** Make the browser's storage read throw for one key (fault injection on the fake browser). */
  function failReadsOf(key: string) {
    const area = fakeBrowser.storage.local;
    const get = area.get.bind(area);
    vi.spyOn(area, 'get').mockImplementation((async (keys: unknown) => {
      const list = Array.isArray(keys) ? keys : [keys];
      if (list.includes(key)) throw new Error(`IO error reading ${key}`);
      return get(keys as string[]);
    }) as typeof area.get);
  }

  /** Make the browser's storage write throw for one key. */
  function failWritesOf(key: string) {
    const area = fakeBrowser.storage.local;
    const set = area.set.bind(area);
    vi.spyOn(area, 'set').mockImplementation((async (items: Record<string, unknown>) => {
      if (key in items) throw new Error(`quota exceeded writing ${key}`);
      return set(items);
    }) as typeof area.set);
  }

  it('a read that throws costs that item only: reported, run empty, stored value left alone', async () => {
    const good = goodOkx();
    await accountsItem.setValue({ okx: good });
    await ratioHistoryItem.setValue({ okx: [{ t: T, r: 0.5 }] });
    failReadsOf('ratioHistory');
    const s = await loadStoredState({ now });
    expect(s.accounts).toEqual({ okx: good });
    expect(s.history).toEqual({});
    expect(s.problems).toEqual(['ratioHistory: could not be read (IO error reading ratioHistory); running without it']);
    vi.restoreAllMocks();
    expect(await ratioHistoryItem.getValue()).toEqual({ okx: [{ t: T, r: 0.5 }] });
  });

  it('when the quarantine cannot be written, the damaged item stays as stored (nothing lost unseen)', async () => {
    const stored = { okx: goodOkx(), bybit: 'garbage' };
    await put('local', { accounts: stored });
    failWritesOf('quarantine');
    const s = await loadStoredState({ now });
    expect(Object.keys(s.accounts)).toEqual(['okx']);
    expect(s.problems).toEqual([expect.stringMatching(/^accounts › bybit: /), expect.stringMatching(/^quarantine could not be written/)]);
    vi.restoreAllMocks();
    expect(await raw('local', 'accounts')).toEqual(stored);
  });
});

describe('quarantine and report bounds', () => {
  it(`keeps the newest ${QUARANTINE_MAX_ENTRIES} entries and cuts long values`, async () => {
    const history: Record<string, unknown> = {};
    for (let i = 0; i < 25; i++) history[`hyperliquid:0x${String(i).padStart(40, '0')}`] = [{ t: T, r: 'x' }];
    await put('local', { ratioHistory: history, endpointOverride: { stream: 'x'.repeat(50_000) } });
    const s = await loadStoredState({ now });
    expect(s.problems).toHaveLength(26);
    const q = await quarantineItem.getValue();
    expect(q).toHaveLength(QUARANTINE_MAX_ENTRIES);
    expect(q.at(-1)).toMatchObject({ item: 'local:endpointOverride', truncated: true });
    expect(q.at(-1)!.json).toHaveLength(QUARANTINE_MAX_VALUE_CHARS);
    expect(q[0]!.entry).toBe(`hyperliquid:0x${String(6).padStart(40, '0')}`);
  });

  it('the report of a start that found damage stays 24 h through clean starts, then clears; settings problems are kept', async () => {
    await problemsItem.setValue({ settings: 'settings migration failed: x' });
    await put('local', { ratioHistory: { okx: 'x' } });
    const first = await loadStoredState({ now });
    expect(await problemsItem.getValue()).toEqual({ settings: 'settings migration failed: x', storage: { at: T, lines: first.problems } });
    const clean = await loadStoredState({ now: () => T + STORAGE_PROBLEMS_SHOWN_MS - 1 });
    expect(clean.problems).toEqual([]);
    expect((await problemsItem.getValue()).storage).toEqual({ at: T, lines: first.problems });
    await loadStoredState({ now: () => T + STORAGE_PROBLEMS_SHOWN_MS });
    expect(await problemsItem.getValue()).toEqual({ settings: 'settings migration failed: x', storage: null });
  });
});
