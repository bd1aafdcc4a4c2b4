/**
 * Reading what the product shows, for scenarios: the background's account records
 * (storage.local `accounts`, lib/storage.ts), the popup's and overlay's margin ratio, and the
 * engine command line's answer for the same snapshot (`npm run -s risk -- FILE.json`).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Page, Worker } from 'playwright-core';
import { withMarks } from '../lib/engine/marks';
import type { AccountSnapshot } from '../lib/engine/snapshot';
import type { TierTable } from '../lib/engine/tiers';
import type { AccountRisk } from '../lib/engine/types';
import type { AccountRecord, TierCacheEntry } from '../lib/storage';
import type { ExtensionBrowser } from './browser';
import { ROOT } from './paths';

declare const chrome: any;

const run = promisify(execFile);

export async function readAccounts(sw: Worker): Promise<Record<string, AccountRecord>> {
  return sw.evaluate(async () => ((await chrome.storage.local.get('accounts')).accounts ?? {}) as Record<string, any>);
}

/**
 * Whether stored account key `key` is account `ref`: `ref` itself, or a page account of exchange
 * `ref` keyed by identity or tab (`binance-usdm/uid:12345678`, `binance-usdm/tab:3`; see
 * lib/background/accounts.ts `pageAccountKey`). Scenarios name accounts by exchange (`'binance-usdm'`).
 */
export function isAccount(key: string, ref: string): boolean {
  return key === ref || key.startsWith(`${ref}/`);
}

/**
 * Account `ref` among `accounts`: the record stored under `ref` itself, else the most recently
 * read (latest `snapshotAt`) of the page accounts {@link isAccount} matches; undefined when none.
 */
export function accountOf(accounts: Record<string, AccountRecord>, ref: string): AccountRecord | undefined {
  if (accounts[ref]) return accounts[ref];
  const matching = Object.values(accounts).filter((a) => isAccount(a.key, ref));
  return matching.sort((a, b) => (b.snapshotAt ?? 0) - (a.snapshotAt ?? 0))[0];
}

/** The stored record of account `ref` (see {@link accountOf}). */
export async function readAccount(sw: Worker, ref: string): Promise<AccountRecord | undefined> {
  return accountOf(await readAccounts(sw), ref);
}

/**
 * CSS attribute selector for the popup card / overlay row of account `ref` (`data-account` holds
 * the stored key): append to a tag or class, e.g. `section${accountAttr('binance-usdm')}`.
 */
export function accountAttr(ref: string): string {
  return `:is([data-account="${ref}"], [data-account^="${ref}/"])`;
}

/** Whether notification id `id` (`ms|<account key>|<kind>|<detail>|<time>`) is about account `ref`, of `kind` if given. */
export function isNoticeOf(id: string | undefined, ref: string, kind?: string): boolean {
  const parts = (id ?? '').split('|');
  return parts[0] === 'ms' && parts[1] !== undefined && isAccount(parts[1], ref) && (kind === undefined || parts[2] === kind);
}

export async function readTierCache(sw: Worker): Promise<Record<string, TierCacheEntry>> {
  return sw.evaluate(async () => ((await chrome.storage.local.get('tierCache')).tierCache ?? {}) as Record<string, any>);
}

/** The snapshot the background evaluated: its stored snapshot with the live marks it used applied. */
export function evaluatedSnapshot(rec: AccountRecord): AccountSnapshot {
  if (!rec.snapshot) throw new Error(`account ${rec.key} has no snapshot`);
  return withMarks(rec.snapshot, Object.fromEntries(Object.entries(rec.marks).map(([s, m]) => [s, m.price])));
}

/**
 * Tier tables the background used that the CLI does not bundle (fetched live or cached), to pass
 * with `--tiers` so both evaluate against the same tables.
 */
export async function liveTierTables(sw: Worker, rec: AccountRecord): Promise<TierTable[]> {
  const live = Object.entries(rec.tierSources).filter(([, t]) => t.kind === 'live' || t.kind === 'cached');
  if (!live.length) return [];
  const cache = (await readTierCache(sw))[rec.exchange];
  return live.map(([sym]) => {
    const t = cache?.tables[sym];
    if (!t) throw new Error(`tier table for ${sym} is marked ${rec.tierSources[sym]!.kind} but missing from tierCache`);
    return t;
  });
}

/** `npm run -s risk -- FILE.json [--tiers TIERS.json]` on `snapshot`; the parsed engine result. */
export async function riskCli(snapshot: AccountSnapshot, tiers: TierTable[] = []): Promise<AccountRisk> {
  const dir = mkdtempSync(join(tmpdir(), 'ms-e2e-risk-'));
  try {
    const file = join(dir, 'snapshot.json');
    writeFileSync(file, JSON.stringify(snapshot));
    const args = ['run', '-s', 'risk', '--', file];
    if (tiers.length) {
      writeFileSync(join(dir, 'tiers.json'), JSON.stringify(tiers));
      args.push('--tiers', join(dir, 'tiers.json'));
    }
    const { stdout } = await run('npm', args, { cwd: ROOT, maxBuffer: 16 << 20 });
    return JSON.parse(stdout) as AccountRisk;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What the popup's gauge shows for account `ref` (see {@link isAccount}): the text and the exact decimal (title) when known. */
export async function popupRatio(popup: Page, ref: string): Promise<{ text: string; exact: string | null } | null> {
  const el = popup.locator(`section${accountAttr(ref)} .gauge-value`);
  if ((await el.count()) === 0) return null;
  const text = (await el.first().innerText()).trim();
  const unknown = (await el.first().getAttribute('data-unknown')) === 'true';
  return { text, exact: unknown ? null : await el.first().getAttribute('title') };
}

/** What the on-page overlay shows for an account (text, and the exact decimal from its title). */
export async function overlayRatio(page: Page, ref: string): Promise<{ text: string; percent: string | null; status: string } | null> {
  const all = page.locator(`margin-sentinel-overlay .ms-account${accountAttr(ref)}`);
  if ((await all.count()) === 0) return null;
  const acct = all.first();
  const ratio = acct.locator('.ms-ratio');
  // The tooltip gives the ratio to RATIO_TITLE_DECIMALS decimals of a percent (`MM / margin
  // balance: 3.46 %`): compare with `formatPercent(x, RATIO_TITLE_DECIMALS)` of the engine's figure.
  const title = (await ratio.getAttribute('title')) ?? '';
  const m = /: (-?[\d,.]+ %)$/.exec(title);
  return {
    text: (await ratio.innerText()).trim(),
    percent: m ? m[1]! : null,
    status: (await acct.locator('.ms-status').innerText()).trim(),
  };
}

/** Open the popup page in a tab (same document the toolbar popup shows). */
export async function openPopup(b: ExtensionBrowser): Promise<Page> {
  const page = await b.openExtensionPage('popup.html');
  await page.waitForLoadState('domcontentloaded');
  return page;
}
