/**
 * Binance USDⓈ-M futures through the account API, with an extension-generated Ed25519 key that
 * may only read (issue 18; reference account-apis.md §2).
 *
 * Gate: `GET /sapi/v1/account/apiRestrictions` (https://developers.binance.com/docs/wallet/account/api-key-permission):
 * accept only `enableReading: true` with every other `enable*` / `permits*` flag false (read-only
 * FIX, `enableFixReadOnly`, may be true; an unknown future flag that is true refuses the key). Then
 * one futures read (`GET /fapi/v3/account`) must succeed: third-party reports say some futures
 * reads once needed "Enable Futures" (reference §2.3.3); if Binance answers -2015 the key is refused
 * with that reason, never upgraded.
 *
 * Snapshot: `GET /fapi/v1/accountConfig` (position mode), `GET /fapi/v1/symbolConfig` (margin type,
 * leverage), `GET /fapi/v3/account` (balances), `GET /fapi/v3/positionRisk` (positions with
 * Binance's own liquidation price):
 * https://developers.binance.com/docs/derivatives/usds-margined-futures/account/rest-api/Account-Config
 * https://developers.binance.com/docs/derivatives/usds-margined-futures/account/rest-api/Symbol-Config
 * https://developers.binance.com/docs/derivatives/usds-margined-futures/account/rest-api/Account-Information-V3
 * https://developers.binance.com/docs/derivatives/usds-margined-futures/trade/rest-api/Position-Information-V3
 * Weight 5 each, 20 per poll (limit 2 400/min per IP).
 */
import * as v from 'valibot';
import { D, str } from '../../engine/decimal';
import type { AccountSnapshot, PositionSnapshot } from '../../engine/snapshot';
import { callApi } from '../../api/client';
import { Dec, knownPrice, knownValue } from '../../api/schemas';
import { binanceRequest } from '../../api/sign';
import type { ApiConnector, ApiContext, ApiSnapshot, GateResult } from '../../api/types';
import { apiOrigin } from '../endpoints';
import { BINANCE_STREAM } from './api-stream';
import { fetchJson, parseResponse } from '../common/rest';

/** Binance's UI names of the permission flags (API Management → Edit restrictions). */
export const BINANCE_PERMISSION_NAMES: Readonly<Record<string, string>> = {
  enableWithdrawals: 'Enable Withdrawals',
  enableInternalTransfer: 'Permits Internal Transfer',
  permitsUniversalTransfer: 'Permits Universal Transfer',
  enableMargin: 'Enable Margin Loan, Repay & Transfer',
  enableFutures: 'Enable Futures',
  enableVanillaOptions: 'Enable European Options',
  enableFixApiTrade: 'Enable FIX API trading',
  enableSpotAndMarginTrading: 'Enable Spot & Margin Trading',
  enablePortfolioMarginTrading: 'Enable Portfolio Margin Trading',
};

/** Flags that may be true on a read-only key. */
const READ_FLAGS = new Set(['enableReading', 'enableFixReadOnly']);

export const ApiRestrictionsSchema = v.looseObject({ enableReading: v.boolean(), ipRestrict: v.optional(v.boolean()), createTime: v.optional(v.number()) });

/**
 * The gate's rule on an `apiRestrictions` answer (pure).
 * @returns refused with each flag to switch off (Binance's UI name), or accepted.
 * @throws Error naming the field when the answer does not validate.
 */
export function binanceGateVerdict(raw: unknown): GateResult {
  const r = parseResponse(ApiRestrictionsSchema, raw, 'binance apiRestrictions') as Record<string, unknown>;
  if (r.enableReading !== true) return { ok: false, reason: 'the key cannot read ("Enable Reading" is off)', switchOff: [] };
  const on = Object.keys(r).filter((k) => /^(enable|permits)/.test(k) && !READ_FLAGS.has(k) && r[k] === true);
  if (on.length) {
    const names = on.map((k) => BINANCE_PERMISSION_NAMES[k] ?? k);
    return { ok: false, reason: `the key can do more than read: switch off ${names.map((n) => `"${n}"`).join(', ')} (leave only "Enable Reading")`, switchOff: names };
  }
  const notes = [r.ipRestrict === true ? 'IP access restricted' : 'no IP restriction (read-only keys do not expire)'];
  return { ok: true, notes, expiresInDays: null };
}

const AccountConfigSchema = v.object({ dualSidePosition: v.boolean(), multiAssetsMargin: v.boolean() });
const SymbolConfigSchema = v.array(v.object({ symbol: v.string(), marginType: v.string(), leverage: v.number() }));
const AccountSchema = v.object({
  totalMaintMargin: Dec,
  totalMarginBalance: Dec,
  totalCrossWalletBalance: Dec,
  totalUnrealizedProfit: Dec,
  availableBalance: Dec,
});
const PositionRiskSchema = v.array(
  v.object({
    symbol: v.string(),
    positionSide: v.picklist(['BOTH', 'LONG', 'SHORT']),
    positionAmt: Dec,
    entryPrice: Dec,
    markPrice: Dec,
    unRealizedProfit: Dec,
    liquidationPrice: Dec,
    isolatedWallet: Dec,
    isolatedMargin: v.optional(Dec),
    marginAsset: v.optional(v.string()),
  }),
);

/**
 * Map the four answers to an account snapshot (pure). Single-asset mode holds USDT-margined
 * positions only (USDC ones have their own wallet: listed in `problems`); in multi-assets mode the
 * totals are in USD and every position is kept.
 * @throws Error naming the endpoint and field when an answer does not validate.
 */
export function binanceSnapshot(raw: { accountConfig: unknown; symbolConfig: unknown; account: unknown; positionRisk: unknown }, url: string, readAt: number): ApiSnapshot {
  const cfg = parseResponse(AccountConfigSchema, raw.accountConfig, 'binance accountConfig');
  const symbols = new Map(parseResponse(SymbolConfigSchema, raw.symbolConfig, 'binance symbolConfig').map((s) => [s.symbol, s]));
  const acct = parseResponse(AccountSchema, raw.account, 'binance account');
  const risk = parseResponse(PositionRiskSchema, raw.positionRisk, 'binance positionRisk');
  const problems: string[] = [];
  const positions: PositionSnapshot[] = [];
  for (const p of risk) {
    const amt = new D(p.positionAmt);
    if (amt.isZero() || new D(p.entryPrice).lte(0)) continue;
    if (!cfg.multiAssetsMargin && p.marginAsset && p.marginAsset !== 'USDT') {
      problems.push(`${p.symbol}: ${p.marginAsset}-margined positions are not monitored through the API (single-asset mode: separate wallet)`);
      continue;
    }
    const sc = symbols.get(p.symbol);
    const isolated = sc ? /^isolated$/i.test(sc.marginType) : new D(p.isolatedWallet).gt(0);
    const side = p.positionSide === 'LONG' ? 'long' : p.positionSide === 'SHORT' ? 'short' : amt.isNeg() ? 'short' : 'long';
    positions.push({
      symbol: p.symbol,
      side,
      size: str(amt.abs()),
      contract: 'linear',
      entryPrice: p.entryPrice,
      markPrice: new D(p.markPrice).gt(0) ? p.markPrice : null,
      marginMode: isolated ? 'isolated' : 'cross',
      leverage: sc ? String(sc.leverage) : null,
      ...(isolated && { isolatedMargin: p.isolatedWallet }),
      displayed: { liquidationPrice: knownPrice(p.liquidationPrice), unrealizedPnl: p.unRealizedProfit, ...(isolated && { margin: knownValue(p.isolatedMargin) }) },
    });
  }
  const balance = new D(acct.totalMarginBalance);
  const snapshot: AccountSnapshot = {
    exchange: 'binance-usdm',
    positionMode: cfg.dualSidePosition ? 'hedge' : 'one-way',
    walletBalance: acct.totalCrossWalletBalance,
    source: { url, readAt, reader: 'api' },
    displayed: {
      // Binance's REST has no ratio field: its own definition, totalMaintMargin / totalMarginBalance (lower is safer).
      marginRatio: balance.gt(0) ? str(new D(acct.totalMaintMargin).div(balance)) : null,
      maintenanceMargin: acct.totalMaintMargin,
      marginBalance: acct.totalMarginBalance,
      availableBalance: acct.availableBalance,
      unrealizedPnl: acct.totalUnrealizedProfit,
    },
    positions,
  };
  return { snapshot, problems };
}

/**
 * USDⓈ-M request-weight limit per minute and IP ("REQUEST_WEIGHT" 2 400,
 * https://developers.binance.com/docs/derivatives/usds-margined-futures/general-info); every `/fapi`
 * answer reports the weight used in `X-MBX-USED-WEIGHT-1M`.
 */
export const BINANCE_FAPI_WEIGHT_LIMIT = 2400;

async function get(ctx: ApiContext, role: 'sapi' | 'fapi', path: string, what: string): Promise<unknown> {
  const req = await binanceRequest(ctx.key, `${apiOrigin('binance', role, ctx.override)}${path}`, [], ctx.now());
  return callApi(ctx.fetch, req, what, (res) => {
    const used = Number(res.headers.get('x-mbx-used-weight-1m'));
    if (role === 'fapi' && Number.isFinite(used) && used > 0) ctx.usedWeight?.(used, BINANCE_FAPI_WEIGHT_LIMIT);
  });
}

export const BINANCE_API: ApiConnector = {
  stream: BINANCE_STREAM,
  async gate(ctx) {
    const verdict = binanceGateVerdict(await get(ctx, 'sapi', '/sapi/v1/account/apiRestrictions', 'binance apiRestrictions'));
    if (!verdict.ok) return verdict;
    try {
      await get(ctx, 'fapi', '/fapi/v3/account', 'binance futures account');
    } catch (e) {
      const code = (e as { code?: string | null }).code;
      if (code === '-2015') {
        return { ok: false, reason: 'Binance refused a futures read with this read-only key (code -2015). Create the key after the futures account was opened; Margin Sentinel never asks for "Enable Futures" (a trading permission).', switchOff: [] };
      }
      throw e;
    }
    return verdict;
  },
  // https://developers.binance.com/docs/derivatives/usds-margined-futures/market-data/rest-api/Check-Server-Time
  async serverTime(ctx) {
    const url = `${apiOrigin('binance', 'fapi', ctx.override)}/fapi/v1/time`;
    return parseResponse(v.object({ serverTime: v.number() }), await fetchJson(ctx.fetch, url, 'binance time'), 'binance time').serverTime;
  },
  async snapshot(ctx) {
    const [accountConfig, symbolConfig, account, positionRisk] = [
      await get(ctx, 'fapi', '/fapi/v1/accountConfig', 'binance accountConfig'),
      await get(ctx, 'fapi', '/fapi/v1/symbolConfig', 'binance symbolConfig'),
      await get(ctx, 'fapi', '/fapi/v3/account', 'binance account'),
      await get(ctx, 'fapi', '/fapi/v3/positionRisk', 'binance positionRisk'),
    ];
    return binanceSnapshot({ accountConfig, symbolConfig, account, positionRisk }, `${apiOrigin('binance', 'fapi', ctx.override)}/fapi/v3/positionRisk`, ctx.now());
  },
};
