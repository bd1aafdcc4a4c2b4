/**
 * Hyperliquid account state from the keyless info endpoint
 * `POST https://api.hyperliquid.xyz/info {"type":"clearinghouseState","user":"0x…"}` (reference
 * exchange-pages.md §4), converted to an AccountSnapshot (decimal strings throughout):
 * - cross wallet balance = crossMarginSummary.accountValue − Σ unrealizedPnl of cross positions (the snapshot's
 *   wallet excludes unrealized PnL; accountValue includes it);
 * - isolated margin = position marginUsed − its unrealizedPnl;
 * - side from the sign of `szi`, size = |szi|, mark = positionValue / |szi|;
 * - the API's `liquidationPx`, `unrealizedPnl` and account `crossMaintenanceMarginUsed` go to `displayed` for reconciliation.
 * Source: https://hyperliquid.gitbook.io/hyperliquid-docs/for-developers/api/info-endpoint/perpetuals#retrieve-users-perpetuals-account-summary.
 * Background only (valibot, decimal.js).
 */
import * as v from 'valibot';
import { D, str } from '../../engine/decimal';
import type { AccountSnapshot } from '../../engine/snapshot';
import { parseResponse } from '../common/rest';

/** The request body for one address's account state. */
export function clearinghouseRequest(address: string): { type: 'clearinghouseState'; user: string } {
  return { type: 'clearinghouseState', user: address };
}

const Dec = v.pipe(v.string(), v.regex(/^-?\d+(\.\d+)?$/, 'must be a decimal string'));

/** The part of a clearinghouseState response we use (valibot). */
export const ClearinghouseStateSchema = v.object({
  marginSummary: v.object({ accountValue: Dec }),
  crossMarginSummary: v.object({ accountValue: Dec }),
  crossMaintenanceMarginUsed: v.optional(Dec),
  assetPositions: v.array(
    v.object({
      position: v.object({
        coin: v.string(),
        szi: Dec,
        entryPx: v.nullable(Dec),
        positionValue: Dec,
        unrealizedPnl: Dec,
        liquidationPx: v.nullable(Dec),
        marginUsed: Dec,
        maxLeverage: v.optional(v.number()),
        leverage: v.object({ type: v.picklist(['cross', 'isolated']), value: v.number() }),
      }),
    }),
  ),
});

/**
 * Convert a validated clearinghouseState to a snapshot.
 * @throws Error naming the field when the response does not validate.
 */
export function snapshotFromClearinghouse(raw: unknown, url: string, readAt: number): AccountSnapshot {
  const s = parseResponse(ClearinghouseStateSchema, raw, 'hyperliquid clearinghouseState');
  let crossUpnl = new D(0);
  const positions: AccountSnapshot['positions'] = [];
  for (const { position: p } of s.assetPositions) {
    const szi = new D(p.szi);
    if (szi.isZero() || p.entryPx === null) continue;
    const size = szi.abs();
    const cross = p.leverage.type === 'cross';
    if (cross) crossUpnl = crossUpnl.add(p.unrealizedPnl);
    positions.push({
      symbol: p.coin,
      side: szi.isNeg() ? 'short' : 'long',
      size: str(size),
      contract: 'linear',
      entryPrice: p.entryPx,
      markPrice: str(new D(p.positionValue).div(size)),
      marginMode: cross ? 'cross' : 'isolated',
      leverage: String(p.leverage.value),
      ...(cross ? {} : { isolatedMargin: str(D.max(0, new D(p.marginUsed).sub(p.unrealizedPnl))) }),
      ...(p.maxLeverage ? { maxLeverage: String(p.maxLeverage) } : {}),
      displayed: { liquidationPrice: p.liquidationPx, unrealizedPnl: p.unrealizedPnl },
    });
  }
  return {
    exchange: 'hyperliquid',
    positionMode: 'one-way',
    walletBalance: str(new D(s.crossMarginSummary.accountValue).sub(crossUpnl)),
    source: { url, readAt, reader: 'hyperliquid clearinghouseState' },
    displayed: { marginBalance: s.crossMarginSummary.accountValue, maintenanceMargin: s.crossMaintenanceMarginUsed ?? null },
    positions,
  };
}
