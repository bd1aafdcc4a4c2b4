/**
 * Bybit v5 (Unified Trading Account) through the account API, with an extension-generated RSA key
 * ("self-generated", Read-Only) (issue 18; reference account-apis.md §3).
 *
 * Gate: `GET /v5/user/query-api` (https://bybit-exchange.github.io/docs/v5/user/apikey-info):
 * accept only `readOnly === 1` whose `rsaPublicKey` is ours, and no `Withdraw` in
 * `permissions.Wallet`. Bybit's own example shows a read-only key with trade-named permission lists,
 * so `readOnly` decides, not those lists. `deadlineDay` (keys without an IP bound expire after 90
 * days, https://bybit-exchange.github.io/docs/v5/user/create-subuid-apikey) is passed on.
 *
 * Snapshot: `GET /v5/account/info` (margin mode, https://bybit-exchange.github.io/docs/v5/account/account-info),
 * `GET /v5/account/wallet-balance?accountType=UNIFIED` (https://bybit-exchange.github.io/docs/v5/account/wallet-balance),
 * `GET /v5/position/list?category=linear&settleCoin=USDT` following `nextPageCursor`
 * (https://bybit-exchange.github.io/docs/v5/position); USDC-settled (`settleCoin=USDC`) and inverse
 * (`category=inverse`) positions are read only to be named as not monitored. 50 requests/s per UID per endpoint.
 */
import * as v from 'valibot';
import { D } from '../../engine/decimal';
import type { AccountSnapshot, PositionSnapshot } from '../../engine/snapshot';
import { callApi, exchangeError } from '../../api/client';
import { pemBody } from '../../api/encoding';
import { Dec, DecOrEmpty, knownPrice, knownValue } from '../../api/schemas';
import { bybitRequest } from '../../api/sign';
import type { ApiConnector, ApiContext, ApiSnapshot, GateResult } from '../../api/types';
import { apiOrigin } from '../endpoints';
import { BYBIT_STREAM } from './api-stream';
import { fetchJson, parseResponse } from '../common/rest';

const Envelope = v.looseObject({ retCode: v.number(), retMsg: v.optional(v.string()), result: v.optional(v.unknown()) });

const QueryApiSchema = v.looseObject({
  readOnly: v.picklist([0, 1]),
  rsaPublicKey: v.optional(v.string()),
  permissions: v.optional(v.record(v.string(), v.array(v.string()))),
  deadlineDay: v.optional(v.number()),
  ips: v.optional(v.array(v.string())),
});

/**
 * The gate's rule on a `query-api` result (pure).
 * @param ourPem our public key (PEM); the key must be the one registered with it.
 * @throws Error naming the field when the result does not validate.
 */
export function bybitGateVerdict(result: unknown, ourPem: string | null): GateResult {
  const r = parseResponse(QueryApiSchema, result, 'bybit query-api');
  if (r.readOnly !== 1) return { ok: false, reason: 'the key is "Read-Write": create it with "Read-Only" permissions', switchOff: ['Read-Write'] };
  if ((r.permissions?.Wallet ?? []).some((p) => /withdraw/i.test(p))) return { ok: false, reason: 'the key may withdraw: switch off "Withdrawal"', switchOff: ['Withdrawal'] };
  if (ourPem && pemBody(r.rsaPublicKey ?? '') !== pemBody(ourPem)) {
    return { ok: false, reason: 'this API key was not created with the public key shown here (Bybit reports another RSA public key): register the public key shown, as a "self-generated" key', switchOff: [] };
  }
  const days = typeof r.deadlineDay === 'number' && r.deadlineDay > 0 ? r.deadlineDay : null;
  const notes = days !== null ? [`Bybit expires this key in ${days} days (keys without an IP bound last 90 days)`] : [];
  return { ok: true, notes, expiresInDays: days };
}

const AccountInfoSchema = v.looseObject({ marginMode: v.string() });
const WalletSchema = v.object({
  list: v.array(
    v.looseObject({
      accountMMRate: DecOrEmpty,
      totalMarginBalance: DecOrEmpty,
      totalWalletBalance: DecOrEmpty,
      totalAvailableBalance: DecOrEmpty,
      totalPerpUPL: DecOrEmpty,
      totalMaintenanceMargin: DecOrEmpty,
      coin: v.array(v.looseObject({ coin: v.string(), walletBalance: DecOrEmpty })),
    }),
  ),
});
const PositionItem = v.looseObject({
  symbol: v.string(),
  side: v.picklist(['Buy', 'Sell', '', 'None']),
  size: Dec,
  avgPrice: DecOrEmpty,
  markPrice: DecOrEmpty,
  leverage: DecOrEmpty,
  liqPrice: DecOrEmpty,
  positionIdx: v.picklist([0, 1, 2]),
  positionIM: v.optional(DecOrEmpty),
  positionBalance: v.optional(DecOrEmpty),
  unrealisedPnl: DecOrEmpty,
});
const PositionListSchema = v.object({ list: v.array(PositionItem), nextPageCursor: v.optional(v.string()) });

/**
 * Map account info, wallet balance and the (already merged) position pages to a snapshot (pure).
 * Cross (`REGULAR_MARGIN`): every position cross, wallet = `totalWalletBalance` (USD), the exchange's
 * `accountMMRate` as its ratio (lower is safer). `ISOLATED_MARGIN`: positions isolated, wallet = the USDT
 * coin balance. `PORTFOLIO_MARGIN` is not modelled by the engine: positions are read as cross and this is
 * listed in `problems`.
 * @throws Error naming the field when an answer does not validate.
 */
export function bybitSnapshot(raw: { accountInfo: unknown; wallet: unknown; positions: unknown[]; others?: unknown[] }, url: string, readAt: number): ApiSnapshot {
  const info = parseResponse(AccountInfoSchema, raw.accountInfo, 'bybit account info');
  const wallet = parseResponse(WalletSchema, raw.wallet, 'bybit wallet-balance').list[0];
  const list = raw.positions.flatMap((p) => parseResponse(PositionListSchema, p, 'bybit position list').list);
  const problems: string[] = [];
  // USDC-settled and inverse positions: read so that they are named, not monitored (the engine account is USDT linear).
  for (const o of raw.others ?? []) {
    const page = parseResponse(v.object({ category: v.optional(v.string()), list: v.array(v.looseObject({ symbol: v.string(), size: Dec })) }), o, 'bybit position list');
    for (const p of page.list) if (!new D(p.size).isZero()) problems.push(`${p.symbol}: ${page.category === 'inverse' ? 'inverse' : 'USDC-settled'} positions are not monitored through the API`);
  }
  const isolated = info.marginMode === 'ISOLATED_MARGIN';
  if (info.marginMode === 'PORTFOLIO_MARGIN') problems.push('portfolio margin is not modelled: positions are evaluated as cross margin');
  const positions: PositionSnapshot[] = [];
  for (const p of list) {
    if (new D(p.size).isZero() || (p.side !== 'Buy' && p.side !== 'Sell') || !p.avgPrice || new D(p.avgPrice).lte(0)) continue;
    positions.push({
      symbol: p.symbol,
      side: p.side === 'Buy' ? 'long' : 'short',
      size: p.size,
      contract: 'linear',
      entryPrice: p.avgPrice,
      markPrice: p.markPrice && new D(p.markPrice).gt(0) ? p.markPrice : null,
      marginMode: isolated ? 'isolated' : 'cross',
      leverage: p.leverage && new D(p.leverage).gt(0) ? p.leverage : null,
      ...(isolated && { isolatedMargin: knownValue(p.positionBalance) }),
      displayed: { liquidationPrice: knownPrice(p.liqPrice), unrealizedPnl: knownValue(p.unrealisedPnl), margin: knownValue(p.positionIM) },
    });
  }
  const usdt = wallet?.coin.find((c) => c.coin === 'USDT');
  const snapshot: AccountSnapshot = {
    exchange: 'bybit',
    positionMode: list.some((p) => p.positionIdx !== 0) ? 'hedge' : 'one-way',
    walletBalance: isolated ? knownValue(usdt?.walletBalance) : knownValue(wallet?.totalWalletBalance),
    source: { url, readAt, reader: 'api' },
    displayed: isolated
      ? {}
      : {
          marginRatio: knownValue(wallet?.accountMMRate),
          maintenanceMargin: knownValue(wallet?.totalMaintenanceMargin),
          marginBalance: knownValue(wallet?.totalMarginBalance),
          availableBalance: knownValue(wallet?.totalAvailableBalance),
          unrealizedPnl: knownValue(wallet?.totalPerpUPL),
        },
    positions,
  };
  return { snapshot, problems };
}

/** Signed GET; returns `result` of a `retCode: 0` envelope. */
async function get(ctx: ApiContext, path: string, params: [string, string][], what: string): Promise<unknown> {
  const req = await bybitRequest(ctx.key, `${apiOrigin('bybit', 'rest', ctx.override)}${path}`, params, ctx.now());
  const env = parseResponse(Envelope, await callApi(ctx.fetch, req, what), what);
  if (env.retCode !== 0) throw exchangeError(what, String(env.retCode), env.retMsg ?? '');
  return env.result;
}

/** Most position pages followed (200 positions each). */
const MAX_PAGES = 5;

export const BYBIT_API: ApiConnector = {
  stream: BYBIT_STREAM,
  async gate(ctx) {
    return bybitGateVerdict(await get(ctx, '/v5/user/query-api', [], 'bybit query-api'), ctx.publicKeyPem);
  },
  // https://bybit-exchange.github.io/docs/v5/market/time: `{"retCode":0,"result":{"timeSecond":"…","timeNano":"…"},"time":1688639403423}`
  async serverTime(ctx) {
    const url = `${apiOrigin('bybit', 'rest', ctx.override)}/v5/market/time`;
    return parseResponse(v.looseObject({ retCode: v.literal(0), time: v.number() }), await fetchJson(ctx.fetch, url, 'bybit time'), 'bybit time').time;
  },
  async snapshot(ctx) {
    const accountInfo = await get(ctx, '/v5/account/info', [], 'bybit account info');
    const wallet = await get(ctx, '/v5/account/wallet-balance', [['accountType', 'UNIFIED']], 'bybit wallet-balance');
    const positions: unknown[] = [];
    let cursor = '';
    for (let page = 0; page < MAX_PAGES; page++) {
      const params: [string, string][] = [['category', 'linear'], ['settleCoin', 'USDT'], ['limit', '200']];
      if (cursor) params.push(['cursor', cursor]);
      const res = await get(ctx, '/v5/position/list', params, 'bybit position list');
      positions.push(res);
      cursor = (res as { nextPageCursor?: string }).nextPageCursor ?? '';
      if (!cursor) break;
      if (page === MAX_PAGES - 1) throw new Error(`bybit position list: more than ${MAX_PAGES} pages`);
    }
    const others = [
      await get(ctx, '/v5/position/list', [['category', 'linear'], ['settleCoin', 'USDC'], ['limit', '200']], 'bybit position list USDC'),
      await get(ctx, '/v5/position/list', [['category', 'inverse'], ['limit', '200']], 'bybit position list inverse'),
    ];
    return bybitSnapshot({ accountInfo, wallet, positions, others }, `${apiOrigin('bybit', 'rest', ctx.override)}/v5/position/list`, ctx.now());
  },
};
