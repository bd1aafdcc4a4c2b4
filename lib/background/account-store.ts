/**
 * The account registry of the worker: every account record and its ratio history, by key, with
 * the operations that add, take over, close and forget accounts (the rules are in ./accounts.ts).
 * Other modules read records through {@link AccountStore.get} / {@link AccountStore.all} and
 * change them only through these methods.
 */
import type { ExchangeId } from '../engine/exchanges';
import type { AccountSnapshot } from '../engine/snapshot';
import type { AccountRecord, RatioSample } from '../storage';
import { applyPageRead, emptyRecord, orphanOf, pageAccountKey, pageAccountLabel } from './accounts';
import { recordRatio } from './history';
import type { AcceptedRead } from './intake';

export interface AccountStoreDeps {
  /** An account was forgotten: drop what other modules keep for it (alert state, evaluation cache). */
  forgotten(key: string): void;
  /** An account changed key (a reopened tab took it over): move what other modules keep for it. */
  renamed(from: string, to: string): void;
}

export class AccountStore {
  constructor(
    private records: Record<string, AccountRecord>,
    private history: Record<string, RatioSample[]>,
    private readonly deps: AccountStoreDeps,
  ) {}

  /** Every record, by key (read-only view). */
  get table(): Readonly<Record<string, Readonly<AccountRecord>>> {
    return this.records;
  }
  /** Every ratio series, by account key (read-only view). */
  get histories(): Readonly<Record<string, readonly RatioSample[]>> {
    return this.history;
  }
  /** The record of `key` (own keys only: `__proto__` and friends are no accounts), or undefined. */
  get(key: string): AccountRecord | undefined {
    return Object.prototype.hasOwnProperty.call(this.records, key) ? this.records[key] : undefined;
  }
  all(): AccountRecord[] {
    return Object.values(this.records);
  }
  keys(): string[] {
    return Object.keys(this.records);
  }
  /** Replace the record of an existing account (no-op for an unknown key). */
  update(key: string, record: AccountRecord): void {
    if (this.get(key)) this.records[key] = record;
  }

  /**
   * Apply a page read at `now` (ms epoch): to the account keyed by the page's identity, else by
   * its tab; an identity-less read from a new tab takes over an orphaned account of the same
   * exchange (its tab closed or silent, or stored under the exchange-only key of older versions)
   * with its alert state and history. Returns the key the read landed on.
   */
  applyRead(read: AcceptedRead, now: number): string {
    const key = this.adoptKey(read.exchange, pageAccountKey(read.exchange, read.identity, read.tabId), read.identity, now);
    const several = this.all().some((a) => a.exchange === read.exchange && a.key !== key && a.health !== null);
    const label = pageAccountLabel(read.exchange, read.identity, read.tabId, several);
    this.records[key] = applyPageRead(this.records[key], key, label, read, now);
    return key;
  }

  private adoptKey(exchange: ExchangeId, key: string, identity: string | null, now: number): string {
    if (this.records[key] || identity) return key;
    const orphan = orphanOf(this.records, exchange, now);
    if (orphan) {
      this.records[key] = { ...orphan, key };
      this.deps.renamed(orphan.key, key);
      if (this.history[orphan.key]) this.history[key] = this.history[orphan.key]!;
      this.drop(orphan.key);
    }
    return key;
  }

  /** Add or replace an account fed by another source (Hyperliquid address watch) with `snapshot` read at `at`. */
  put(key: string, exchange: ExchangeId, label: string, snapshot: AccountSnapshot, at: number): void {
    this.records[key] = { ...(this.records[key] ?? emptyRecord(key, exchange, label)), label, snapshot, snapshotAt: at };
  }

  /** Forget an account, its history, and (through the deps) its alert state and evaluation cache. */
  drop(key: string): void {
    delete this.records[key];
    delete this.history[key];
    this.deps.forgotten(key);
  }

  /** Forget every page account of `exchange` (monitoring of it turned off). Returns whether any was. */
  dropPageAccounts(exchange: ExchangeId): boolean {
    const gone = this.all().filter((a) => a.exchange === exchange && a.health !== null);
    for (const a of gone) this.drop(a.key);
    return gone.length > 0;
  }

  /** Tab `tabId` was closed: its accounts no longer expect page reads (streams keep pricing them). */
  closeTab(tabId: number): void {
    for (const a of this.all()) if (a.tabId === tabId) this.records[a.key] = { ...a, tabClosed: true };
  }

  /** Add a ratio sample (normalized risk ratio, fraction; null = unknown) to the account's series. */
  sample(key: string, ratio: number | null, now: number): void {
    recordRatio((this.history[key] ??= []), ratio, now);
  }

  /** Snapshot symbols held per exchange, over every account. */
  symbolsByExchange(): Partial<Record<ExchangeId, Set<string>>> {
    const out: Partial<Record<ExchangeId, Set<string>>> = {};
    for (const a of this.all()) for (const p of a.snapshot?.positions ?? []) (out[a.exchange] ??= new Set()).add(p.symbol);
    return out;
  }
}
