/**
 * OKX v5 through the account API, with a pasted Read-only key (OKX offers HMAC keys only: the
 * secret is imported as a non-extractable HMAC key; issue 18; reference account-apis.md §4).
 *
 * Gate: `GET /api/v5/account/config` `perm` (https://www.okx.com/docs-v5/en/#trading-account-rest-api-get-account-configuration):
 * accept iff the comma-separated set is exactly `{read_only}`; `trade` / `withdraw` are named to switch off.
 *
 * Snapshot: `/api/v5/account/config` (`posMode`, `acctLv`), `/api/v5/account/balance`
 * (https://www.okx.com/docs-v5/en/#trading-account-rest-api-get-balance), `/api/v5/account/positions?instType=SWAP`
 * (https://www.okx.com/docs-v5/en/#trading-account-rest-api-get-positions); sizes come in contracts and are
 * converted with the instrument's `ctVal` (public `/api/v5/public/instruments`,
 * https://www.okx.com/docs-v5/en/#public-data-rest-api-get-instruments). USDT-margined linear swaps only.
 * `mgnRatio` is OKX's own direction (higher is safer, 1 = 100 %): Futures mode (`acctLv` 2) → the
 * USDT row's ratio; multi-currency / portfolio (3, 4) → the account's. `""` = not applicable → unknown.
 */
import * as v from 'valibot';
import { D, str } from '../../engine/decimal';
import type { AccountSnapshot, PositionSnapshot } from '../../engine/snapshot';
import { callApi, exchangeError } from '../../api/client';
import { Dec, DecOrEmpty, knownPrice, knownValue } from '../../api/schemas';
import { okxRequest } from '../../api/sign';
import type { ApiConnector, ApiContext, ApiSnapshot, GateResult } from '../../api/types';
import { apiOrigin } from '../endpoints';
import { OKX_STREAM } from './api-stream';
import { fetchJson, parseResponse } from '../common/rest';
import { OKX_CONTRACT_VALUES } from './reader';

const Envelope = v.looseObject({ code: v.string(), msg: v.optional(v.string()), data: v.optional(v.array(v.unknown())) });

const ConfigSchema = v.looseObject({ perm: v.string(), posMode: v.optional(v.string()), acctLv: v.optional(v.string()) });

/** OKX's UI names of `perm` entries. */
const OKX_PERMISSION_NAMES: Readonly<Record<string, string>> = { trade: 'Trade', withdraw: 'Withdraw' };

/**
 * The gate's rule on one `account/config` row (pure).
 * @throws Error naming the field when the row does not validate.
 */
export function okxGateVerdict(row: unknown): GateResult {
  const c = parseResponse(ConfigSchema, row, 'okx account config');
  const perms = c.perm.split(',').map((p) => p.trim()).filter(Boolean);
  const extra = perms.filter((p) => p !== 'read_only');
  if (!perms.includes('read_only')) return { ok: false, reason: `the key cannot read (perm "${c.perm}")`, switchOff: [] };
  if (extra.length) {
    const names = extra.map((p) => OKX_PERMISSION_NAMES[p] ?? p);
    return { ok: false, reason: `the key can do more than read: switch off ${names.map((n) => `"${n}"`).join(', ')} (leave only "Read")`, switchOff: names };
  }
  return { ok: true, notes: [], expiresInDays: null };
}

const BalanceSchema = v.looseObject({
  mgnRatio: DecOrEmpty,
  upl: v.optional(DecOrEmpty),
  details: v.array(v.looseObject({ ccy: v.string(), eq: DecOrEmpty, cashBal: DecOrEmpty, availBal: v.optional(DecOrEmpty), mgnRatio: v.optional(DecOrEmpty), mmr: v.optional(DecOrEmpty), upl: v.optional(DecOrEmpty) })),
});
const PositionSchema = v.looseObject({
  instId: v.string(),
  instType: v.string(),
  mgnMode: v.picklist(['cross', 'isolated']),
  posSide: v.picklist(['long', 'short', 'net']),
  pos: Dec,
  avgPx: DecOrEmpty,
  markPx: DecOrEmpty,
  lever: DecOrEmpty,
  liqPx: DecOrEmpty,
  upl: DecOrEmpty,
  margin: v.optional(DecOrEmpty),
  mgnRatio: v.optional(DecOrEmpty),
});
const InstrumentSchema = v.array(v.looseObject({ instId: v.string(), ctVal: Dec, ctType: v.optional(v.string()) }));

/**
 * Map config, balance, positions and contract values (instId → ctVal, base units per contract) to a
 * snapshot (pure). Positions that are not USDT-margined linear swaps, or whose contract value is
 * unknown, are left out and listed in `problems` (never a guessed size).
 * @throws Error naming the field when an answer does not validate.
 */
export function okxSnapshot(raw: { config: unknown; balance: unknown; positions: unknown[]; contractValues: Readonly<Record<string, string>> }, url: string, readAt: number): ApiSnapshot {
  const cfg = parseResponse(ConfigSchema, raw.config, 'okx account config');
  const bal = parseResponse(BalanceSchema, raw.balance, 'okx balance');
  const list = parseResponse(v.array(PositionSchema), raw.positions, 'okx positions');
  const problems: string[] = [];
  const positions: PositionSnapshot[] = [];
  for (const p of list) {
    const pos = new D(p.pos);
    if (pos.isZero()) continue;
    if (p.instType !== 'SWAP' || !/-USDT-SWAP$/.test(p.instId)) {
      problems.push(`${p.instId}: only USDT-margined perpetual swaps are monitored through the API`);
      continue;
    }
    const ctVal = raw.contractValues[p.instId];
    if (!ctVal || !p.avgPx || new D(p.avgPx).lte(0)) {
      problems.push(`${p.instId}: contract value unknown, position left out`);
      continue;
    }
    const side = p.posSide === 'long' ? 'long' : p.posSide === 'short' ? 'short' : pos.isNeg() ? 'short' : 'long';
    const isolated = p.mgnMode === 'isolated';
    positions.push({
      symbol: p.instId,
      side,
      size: str(pos.abs().mul(ctVal)),
      contract: 'linear',
      entryPrice: p.avgPx,
      markPrice: p.markPx && new D(p.markPx).gt(0) ? p.markPx : null,
      marginMode: isolated ? 'isolated' : 'cross',
      leverage: p.lever && new D(p.lever).gt(0) ? p.lever : null,
      ...(isolated && { isolatedMargin: knownValue(p.margin) }),
      displayed: { liquidationPrice: knownPrice(p.liqPx), unrealizedPnl: knownValue(p.upl), ...(isolated && { marginRatio: knownValue(p.mgnRatio) }) },
    });
  }
  const usdt = bal.details.find((d) => d.ccy === 'USDT');
  const futuresMode = cfg.acctLv === '2';
  const snapshot: AccountSnapshot = {
    exchange: 'okx',
    positionMode: cfg.posMode === 'long_short_mode' ? 'hedge' : 'one-way',
    walletBalance: knownValue(usdt?.cashBal),
    source: { url, readAt, reader: 'api' },
    displayed: {
      marginRatio: futuresMode ? knownValue(usdt?.mgnRatio) : knownValue(bal.mgnRatio),
      maintenanceMargin: knownValue(usdt?.mmr),
      marginBalance: knownValue(usdt?.eq),
      availableBalance: knownValue(usdt?.availBal),
      unrealizedPnl: knownValue(usdt?.upl),
    },
    positions,
  };
  return { snapshot, problems };
}

/** Signed GET; returns `data` of a `code: "0"` envelope. */
async function get(ctx: ApiContext, path: string, params: [string, string][], what: string): Promise<unknown[]> {
  const req = await okxRequest(ctx.key, apiOrigin('okx', 'rest', ctx.override), path, params, ctx.now());
  const env = parseResponse(Envelope, await callApi(ctx.fetch, req, what), what);
  if (env.code !== '0') throw exchangeError(what, env.code, env.msg ?? '');
  return env.data ?? [];
}

/** Contract values for `instIds`: the known table, then the public instruments endpoint for the rest. */
async function contractValues(ctx: ApiContext, instIds: string[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const id of instIds) {
    const known = OKX_CONTRACT_VALUES[id];
    if (known) {
      out[id] = known;
      continue;
    }
    const url = `${apiOrigin('okx', 'rest', ctx.override)}/api/v5/public/instruments?instType=SWAP&instId=${encodeURIComponent(id)}`;
    try {
      const env = parseResponse(Envelope, await fetchJson(ctx.fetch, url, `okx instrument ${id}`), `okx instrument ${id}`);
      const row = parseResponse(InstrumentSchema, env.data ?? [], `okx instrument ${id}`)[0];
      if (row && row.ctType !== 'inverse') out[id] = row.ctVal;
    } catch (e) {
      console.warn('[api] okx contract value', id, e);
    }
  }
  return out;
}

export const OKX_API: ApiConnector = {
  stream: OKX_STREAM,
  async gate(ctx) {
    const rows = await get(ctx, '/api/v5/account/config', [], 'okx account config');
    return okxGateVerdict(rows[0]);
  },
  // https://www.okx.com/docs-v5/en/#public-data-rest-api-get-system-time: `{"code":"0","data":[{"ts":"1597026383085"}]}`
  async serverTime(ctx) {
    const url = `${apiOrigin('okx', 'rest', ctx.override)}/api/v5/public/time`;
    const env = parseResponse(Envelope, await fetchJson(ctx.fetch, url, 'okx time'), 'okx time');
    return Number(parseResponse(v.tuple([v.looseObject({ ts: v.pipe(v.string(), v.regex(/^\d{13}$/)) })]), env.data, 'okx time')[0].ts);
  },
  async snapshot(ctx) {
    const [config] = await get(ctx, '/api/v5/account/config', [], 'okx account config');
    const [balance] = await get(ctx, '/api/v5/account/balance', [], 'okx balance');
    // Every instrument type (no instType filter): what is not a USDT swap is named in `problems`, never dropped silently.
    const positions = await get(ctx, '/api/v5/account/positions', [], 'okx positions');
    const ids = [...new Set(positions.map((p) => String((p as { instId?: unknown }).instId ?? '')).filter((s) => s.endsWith('-USDT-SWAP')))];
    return okxSnapshot({ config, balance, positions, contractValues: await contractValues(ctx, ids) }, `${apiOrigin('okx', 'rest', ctx.override)}/api/v5/account/positions`, ctx.now());
  },
};
