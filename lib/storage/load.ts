/**
 * The background's stored state, read back and checked before the worker trusts it (issue 12.4:
 * stored state cannot brick the worker).
 *
 * Every item is read on its own (a read that throws costs that item only) and checked entry by
 * entry against its version-1 shape (lib/storage/shapes.ts): per account, per account's alert
 * state, per outbox notice, per history series, per tier-cache exchange, per exchange mark book.
 * A bad entry is dropped from what the worker runs on and set aside in `quarantineItem` with
 * the reason and time; every good entry is kept; each drop is reported as one line. Derived or
 * navigational fields of an account record (health, tab, risk, marks used…; lib/storage/shapes.ts
 * `ACCOUNT_FIELDS` says which) that fail their
 * shape are reset to empty rather than costing the account: the next evaluation or page read
 * recomputes them.
 *
 * Nothing is lost unseen: an item is rewritten without its bad entries only after they are safely
 * in the quarantine; if the quarantine cannot be written the stored item is left as it was.
 */
import * as v from 'valibot';
import { EXCHANGES, type ExchangeId } from '../engine/exchanges';
import { safeParseSnapshot } from '../engine/snapshot';
import type { EndpointOverride } from '../exchanges/endpoints';
import type { OverlayPlacement } from '../protocol/overlay-feed';
import {
  accountsItem,
  alertStateItem,
  countersItem,
  endpointOverrideItem,
  marksItem,
  problemsItem,
  QUARANTINE_MAX_ENTRIES,
  QUARANTINE_MAX_VALUE_CHARS,
  quarantineItem,
  ratioHistoryItem,
  tierCacheItem,
} from './items';
import { overlayPlacementItem, overlayPlacementOf, placementProblem } from './overlay';
import type { AccountRecord, AlertStore, MonitorCounters, MonitorProblems, PendingNotice, QuarantineEntry, RatioSample, StoredMark, TierCacheEntry } from './records';
import {
  ACCOUNT_FIELDS,
  ACCOUNT_KEY_RE,
  AlertStateShape,
  EndpointOverrideShape,
  issuesText,
  MarkBookShape,
  MonitorCountersShape,
  PendingNoticeShape,
  RatioSeriesShape,
  TierCacheEntryShape,
} from './shapes';

type Marks = Partial<Record<ExchangeId, Record<string, StoredMark>>>;

/** Everything {@link loadStoredState} read, checked; each value is a fresh object (never WXT's shared fallback). */
export interface StoredState {
  accounts: Record<string, AccountRecord>;
  alerts: AlertStore;
  /** Session-scoped stream marks per exchange and stream symbol. */
  marks: Marks;
  history: Record<string, RatioSample[]>;
  tierCache: Partial<Record<ExchangeId, TierCacheEntry>>;
  counters: MonitorCounters;
  endpointOverride: EndpointOverride | null;
  overlayPlacement: OverlayPlacement;
  /**
   * One line per damaged entry or unreadable item, e.g.
   * `accounts › bybit: snapshot.walletBalance: must be a decimal string; set aside in quarantine`.
   * Empty when everything loaded as stored. The same lines are written to `problemsItem.storage`.
   */
  problems: string[];
}

/** How long the lines of a start that found damage stay in `problemsItem.storage` through later clean starts (ms): 24 h. */
export const STORAGE_PROBLEMS_SHOWN_MS = 24 * 3_600_000;

/** One value refused by a check: where, why, the value, and what was done with the entry. */
export interface Drop {
  /** Entry path inside the item (`bybit`, `outbox[2]`, `bybit › health`), or null for the whole item. */
  entry: string | null;
  reason: string;
  value: unknown;
  /** `quarantined`: the entry is left out; `reset`: a derived field took its empty value. */
  action: 'quarantined' | 'reset';
}

/** Result of checking one item: the value to run on (fresh) and what was refused. */
export interface Checked<T> {
  value: T;
  drops: Drop[];
}

const isPlainObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const typeName = (x: unknown) => (x === null ? 'null' : Array.isArray(x) ? 'an array' : typeof x);
const notObject = (x: unknown): Drop => ({ entry: null, reason: `must be an object (got ${typeName(x)})`, value: x, action: 'quarantined' });
const own = <T>(): Record<string, T> => Object.create(null) as Record<string, T>;
/** Copy into a plain object (the null-prototype maps above keep `__proto__`-like keys harmless while building). */
const plain = <T>(m: Record<string, T>): Record<string, T> => Object.assign({}, m);

/** Issues of one field's value, named from the record: `snapshotAt: must be a number (ms)`, `health.readAt: …`. */
function fieldIssues(field: string, issues: readonly v.BaseIssue<unknown>[]): string {
  return issues
    .slice(0, 3)
    .map((i) => `${field}${v.getDotPath(i) ? `.${v.getDotPath(i)}` : ''}: ${i.message}`)
    .join('; ');
}

/**
 * Check stored account records (`local:accounts` v1), record by record, field by field
 * ({@link ACCOUNT_FIELDS}): identity (`key` equal to its map key and a valid account key,
 * `exchange` matching it), label, page read (`snapshot` by the engine's schema, its exchange the
 * record's) and the loud warnings. A record failing any of these is quarantined whole. Derived or
 * navigational fields failing their shape are reset to empty and the record is kept.
 * Unknown extra fields are left out.
 */
export function checkAccounts(raw: unknown): Checked<Record<string, AccountRecord>> {
  if (raw == null) return { value: {}, drops: [] };
  if (!isPlainObject(raw)) return { value: {}, drops: [notObject(raw)] };
  const out = own<AccountRecord>();
  const drops: Drop[] = [];
  records: for (const [key, rec] of Object.entries(raw)) {
    const refuse = (reason: string) => drops.push({ entry: key.slice(0, 120), reason, value: rec, action: 'quarantined' });
    if (!ACCOUNT_KEY_RE.test(key)) {
      refuse('not an account key (<exchange>/<identity>, <exchange>/tab:<id>, an exchange id or hyperliquid:0x…)');
      continue;
    }
    if (!isPlainObject(rec)) {
      refuse(`must be an object (got ${typeName(rec)})`);
      continue;
    }
    const fields: Record<string, unknown> = {};
    const resets: Drop[] = [];
    for (const [field, rule] of Object.entries(ACCOUNT_FIELDS)) {
      const r = v.safeParse(rule.shape, rec[field]);
      if (r.success) {
        if (r.output !== undefined) fields[field] = r.output;
      } else if (rule.onBad === 'quarantine') {
        refuse(fieldIssues(field, r.issues));
        continue records;
      } else {
        fields[field] = structuredClone(rule.empty);
        resets.push({ entry: `${key} › ${field}`, reason: fieldIssues(field, r.issues), value: rec[field], action: 'reset' });
      }
    }
    const a = fields as unknown as AccountRecord;
    if (a.key !== key) {
      refuse(`key: the record says ${JSON.stringify(a.key.slice(0, 60))} but is stored under ${key}`);
      continue;
    }
    if (key !== a.exchange && !key.startsWith(`${a.exchange}/`) && !(a.exchange === 'hyperliquid' && key.startsWith('hyperliquid:'))) {
      refuse(`exchange: ${a.exchange} does not match the account key`);
      continue;
    }
    if (a.snapshot !== null) {
      const s = safeParseSnapshot(a.snapshot);
      if (!s.ok) {
        refuse(s.errors.slice(0, 3).map((e) => `snapshot.${e.message}`).join('; '));
        continue;
      }
      if (s.snapshot.exchange !== a.exchange) {
        refuse(`snapshot.exchange: ${s.snapshot.exchange} does not match the record's ${a.exchange}`);
        continue;
      }
      a.snapshot = s.snapshot;
    }
    if (a.health !== null && a.health.exchange !== a.exchange) {
      resets.push({ entry: `${key} › health`, reason: `exchange: ${a.health.exchange} does not match the record's ${a.exchange}`, value: a.health, action: 'reset' });
      a.health = null;
    }
    drops.push(...resets);
    out[key] = a;
  }
  return { value: plain(out), drops };
}

/**
 * Check the stored alert state (`local:alertState` v1): each account's state (under a valid
 * account key) and each outbox notice on its own; bad ones are quarantined (an account without
 * state starts fresh: every level armed, so a crossing is notified again rather than missed).
 */
export function checkAlertStore(raw: unknown): Checked<AlertStore> {
  const value: AlertStore = { accounts: {}, outbox: [] };
  if (raw == null) return { value, drops: [] };
  if (!isPlainObject(raw)) return { value, drops: [notObject(raw)] };
  const drops: Drop[] = [];
  const accounts = own<AlertStore['accounts'][string]>();
  if (raw.accounts != null && !isPlainObject(raw.accounts)) {
    drops.push({ entry: 'accounts', reason: `must be an object (got ${typeName(raw.accounts)})`, value: raw.accounts, action: 'quarantined' });
  } else {
    for (const [key, st] of Object.entries(raw.accounts ?? {})) {
      if (!ACCOUNT_KEY_RE.test(key)) {
        drops.push({ entry: `accounts › ${key.slice(0, 80)}`, reason: 'not an account key', value: st, action: 'quarantined' });
        continue;
      }
      const r = v.safeParse(AlertStateShape, st);
      if (r.success) accounts[key] = r.output;
      else drops.push({ entry: `accounts › ${key}`, reason: issuesText(r.issues), value: st, action: 'quarantined' });
    }
  }
  value.accounts = plain(accounts);
  if (raw.outbox != null && !Array.isArray(raw.outbox)) {
    drops.push({ entry: 'outbox', reason: `must be a list (got ${typeName(raw.outbox)})`, value: raw.outbox, action: 'quarantined' });
  } else {
    (raw.outbox ?? []).forEach((n: unknown, i: number) => {
      const r = v.safeParse(PendingNoticeShape, n);
      if (r.success && ACCOUNT_KEY_RE.test(r.output.accountKey)) value.outbox.push(r.output as PendingNotice);
      else drops.push({ entry: `outbox[${i}]`, reason: r.success ? 'accountKey: not an account key' : issuesText(r.issues), value: n, action: 'quarantined' });
    });
  }
  return { value, drops };
}

/** Check `{ [key]: entry }` items entry by entry: `keyOk` names a bad key, `check` a bad entry (else returns the entry). */
function checkMap<T>(raw: unknown, keyProblem: (k: string) => string | null, check: (k: string, x: unknown) => { ok: true; value: T } | { ok: false; reason: string }): Checked<Record<string, T>> {
  if (raw == null) return { value: {}, drops: [] };
  if (!isPlainObject(raw)) return { value: {}, drops: [notObject(raw)] };
  const out = own<T>();
  const drops: Drop[] = [];
  for (const [k, x] of Object.entries(raw)) {
    const kp = keyProblem(k);
    const r = kp === null ? check(k, x) : ({ ok: false, reason: kp } as const);
    if (r.ok) out[k] = r.value;
    else drops.push({ entry: k.slice(0, 80), reason: r.reason, value: x, action: 'quarantined' });
  }
  return { value: plain(out), drops };
}

const shaped =
  <S extends v.GenericSchema>(shape: S) =>
  (_k: string, x: unknown): { ok: true; value: v.InferOutput<S> } | { ok: false; reason: string } => {
    const r = v.safeParse(shape, x);
    return r.success ? { ok: true, value: r.output } : { ok: false, reason: issuesText(r.issues) };
  };
const accountKeyProblem = (k: string) => (ACCOUNT_KEY_RE.test(k) ? null : 'not an account key');
const exchangeProblem = (k: string) => ((EXCHANGES as readonly string[]).includes(k) ? null : `not an exchange (${EXCHANGES.join(', ')})`);

/** Check the ratio history (`local:ratioHistory` v1) series by series. */
export function checkHistory(raw: unknown): Checked<Record<string, RatioSample[]>> {
  return checkMap(raw, accountKeyProblem, shaped(RatioSeriesShape));
}

/** Check the live tier-table cache (`local:tierCache` v1) exchange by exchange (each table's `exchange` must be its entry's). */
export function checkTierCache(raw: unknown): Checked<Partial<Record<ExchangeId, TierCacheEntry>>> {
  return checkMap(raw, exchangeProblem, (k, x) => {
    const r = shaped(TierCacheEntryShape)(k, x);
    if (!r.ok) return r;
    const wrong = Object.entries(r.value.tables).find(([, t]) => t.exchange !== k);
    return wrong ? { ok: false, reason: `tables.${wrong[0]}.exchange: ${wrong[1].exchange} is not ${k}` } : r;
  });
}

/** Check the stream marks (`session:marks` v1) mark book by mark book (per exchange). */
export function checkMarks(raw: unknown): Checked<Marks> {
  return checkMap(raw, exchangeProblem, shaped(MarkBookShape));
}

/** Check the counters (`local:monitorCounters` v1) as a whole; damaged counters restart from zero. */
export function checkCounters(raw: unknown): Checked<MonitorCounters> {
  const zero = (): MonitorCounters => ({ rejectedSenders: 0, lastRejectedSender: null, invalidSnapshots: 0, lastInvalidSnapshot: null });
  if (raw == null) return { value: zero(), drops: [] };
  const r = v.safeParse(MonitorCountersShape, raw);
  return r.success ? { value: r.output, drops: [] } : { value: zero(), drops: [{ entry: null, reason: issuesText(r.issues), value: raw, action: 'quarantined' }] };
}

/** Check the endpoint override (`local:endpointOverride` v1); a damaged one means no override. */
export function checkEndpointOverride(raw: unknown): Checked<EndpointOverride | null> {
  if (raw == null) return { value: null, drops: [] };
  const r = v.safeParse(EndpointOverrideShape, raw);
  return r.success ? { value: r.output, drops: [] } : { value: null, drops: [{ entry: null, reason: issuesText(r.issues), value: raw, action: 'quarantined' }] };
}

/** Check the overlay placement (`local:overlayPlacement` v1) by hand (lib/storage/overlay.ts); a damaged one means the default place. */
export function checkOverlayPlacement(raw: unknown): Checked<OverlayPlacement> {
  const problem = raw == null ? null : placementProblem(raw);
  return { value: overlayPlacementOf(raw), drops: problem === null ? [] : [{ entry: null, reason: problem, value: raw, action: 'quarantined' }] };
}

/** The parts of a WXT storage item {@link loadStoredState} uses. */
interface ItemLike<T> {
  key: string;
  getValue(): Promise<T>;
  setValue(value: T): Promise<void>;
}

function serialize(value: unknown): { json: string | null; truncated: boolean } {
  let json: string | null;
  try {
    json = JSON.stringify(value) ?? null;
  } catch {
    json = null;
  }
  if (json !== null && json.length > QUARANTINE_MAX_VALUE_CHARS) return { json: json.slice(0, QUARANTINE_MAX_VALUE_CHARS), truncated: true };
  return { json, truncated: false };
}

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e)).slice(0, 200);
const label = (key: string) => key.replace(/^(local|session|sync|managed):/, '');

/**
 * Read and check the background's stored state: accounts, alert state (with the outbox), stream
 * marks, ratio history, tier cache, counters, endpoint override and overlay placement. Settings
 * are loaded separately (lib/settings/load.ts `loadSettings`).
 *
 * Per item: a read that throws is reported and the item runs empty (its stored value is left
 * alone: the worker's next write of that item replaces it); entries failing their shape are left
 * out (derived account fields reset), appended to `quarantineItem` (newest last, at most
 * `QUARANTINE_MAX_ENTRIES`, each value's JSON cut at `QUARANTINE_MAX_VALUE_CHARS`), and the item is
 * then rewritten without them. When the quarantine cannot be written, items are not rewritten.
 * Finally `problemsItem.storage` is set to `{ at, lines }` when this start found damage, kept for
 * {@link STORAGE_PROBLEMS_SHOWN_MS} through clean starts, then cleared (`settings` is left as it is).
 *
 * Never throws: every storage failure is caught and becomes a line in `problems`.
 * @param opts.now clock (ms epoch) for quarantine and report times
 * @returns every item's checked value and the problem lines (empty when all was well)
 */
export async function loadStoredState(opts: { now: () => number }): Promise<StoredState> {
  const now = opts.now();
  const problems: string[] = [];
  const quarantine: QuarantineEntry[] = [];
  const rewrites: (() => Promise<void>)[] = [];

  async function load<T>(item: ItemLike<T>, check: (raw: unknown) => Checked<T>, fallback: () => T): Promise<T> {
    let raw: unknown;
    try {
      raw = await item.getValue();
    } catch (e) {
      problems.push(`${label(item.key)}: could not be read (${errorText(e)}); running without it`);
      return fallback();
    }
    let checked: Checked<T>;
    try {
      checked = check(raw);
    } catch (e) {
      checked = { value: fallback(), drops: [{ entry: null, reason: `check failed: ${errorText(e)}`, value: raw, action: 'quarantined' }] };
    }
    for (const d of checked.drops) {
      const where = d.entry === null ? label(item.key) : `${label(item.key)} › ${d.entry}`;
      problems.push(`${where}: ${d.reason}; ${d.action === 'reset' ? 'reset (recomputed), old value set aside' : 'set aside'} in quarantine`);
      quarantine.push({ item: item.key, entry: d.entry, reason: d.reason.slice(0, 500), at: now, ...serialize(d.value) });
    }
    if (checked.drops.length) rewrites.push(() => item.setValue(structuredClone(checked.value)));
    return checked.value;
  }

  // One item after another (not in parallel): problem lines come out in a fixed order.
  const accounts = await load(accountsItem, checkAccounts, () => ({}));
  const alerts = await load(alertStateItem, checkAlertStore, () => ({ accounts: {}, outbox: [] }));
  const marks = await load(marksItem, checkMarks, () => ({}));
  const history = await load(ratioHistoryItem, checkHistory, () => ({}));
  const tierCache = await load(tierCacheItem, checkTierCache, () => ({}));
  const counters = await load(countersItem, checkCounters, () => ({ rejectedSenders: 0, lastRejectedSender: null, invalidSnapshots: 0, lastInvalidSnapshot: null }));
  const endpointOverride = await load(endpointOverrideItem, checkEndpointOverride, () => null);
  const overlayPlacement = await load(overlayPlacementItem, checkOverlayPlacement, () => overlayPlacementOf(null));

  if (quarantine.length) {
    let saved = false;
    try {
      const before = await quarantineItem.getValue().catch(() => [] as QuarantineEntry[]);
      await quarantineItem.setValue([...(Array.isArray(before) ? before : []), ...quarantine].slice(-QUARANTINE_MAX_ENTRIES));
      saved = true;
    } catch (e) {
      problems.push(`quarantine could not be written (${errorText(e)}); the damaged values stay where they are stored`);
    }
    if (saved) {
      for (const rewrite of rewrites) {
        await rewrite().catch((e: unknown) => problems.push(`a cleaned item could not be written back (${errorText(e)})`));
      }
    }
  }

  try {
    const prev: MonitorProblems = await problemsItem.getValue().catch(() => ({ settings: null }));
    const kept = isPlainObject(prev.storage) && typeof prev.storage.at === 'number' && now - prev.storage.at < STORAGE_PROBLEMS_SHOWN_MS ? prev.storage : null;
    await problemsItem.setValue({ settings: isPlainObject(prev) && typeof prev.settings === 'string' ? prev.settings : null, storage: problems.length ? { at: now, lines: problems } : kept });
  } catch (e) {
    problems.push(`problems could not be recorded (${errorText(e)})`);
  }

  return { accounts, alerts, marks, history, tierCache, counters, endpointOverride, overlayPlacement, problems };
}
