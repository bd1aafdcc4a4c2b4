/**
 * Hyperliquid without a tab: monitor public wallet addresses through the keyless info endpoint
 * `POST https://api.hyperliquid.xyz/info {"type":"clearinghouseState","user":"0x…"}` (reference exchange-pages.md §4),
 * polled on the watchdog (30 s); live marks still come from the `activeAssetCtx` stream.
 *
 * Conversion to an AccountSnapshot (decimal strings throughout):
 * - cross wallet balance = crossMarginSummary.accountValue − Σ unrealizedPnl of cross positions (the snapshot's
 *   wallet excludes unrealized PnL; accountValue includes it);
 * - isolated margin = position marginUsed − its unrealizedPnl;
 * - side from the sign of `szi`, size = |szi|, mark = positionValue / |szi|;
 * - the API's `liquidationPx`, `unrealizedPnl` and account `crossMaintenanceMarginUsed` go to `displayed` for reconciliation.
 * Source: https://hyperliquid.gitbook.io/hyperliquid-docs/for-developers/api/info-endpoint/perpetuals#retrieve-users-perpetuals-account-summary.
 */
import * as v from 'valibot';
import { fetchJson, parseResponse } from '../exchanges/common/rest';
import { D, str } from '../engine/decimal';
import type { AccountSnapshot } from '../engine/snapshot';
import { restUrl } from '../exchanges/endpoints';
import type { Monitor } from './monitor';

const Dec = v.pipe(v.string(), v.regex(/^-?\d+(\.\d+)?$/, 'must be a decimal string'));

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

/** Key of a watched address in the accounts store. */
export function hyperliquidAccountKey(address: string): string {
  return `hyperliquid:${address.toLowerCase()}`;
}

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

/** Polls watched addresses and feeds them to the monitor as accounts `hyperliquid:<address>`. */
export class HyperliquidWatch {
  private addresses: string[] = [];
  constructor(
    private readonly monitor: Monitor,
    private readonly deps: { fetch?: typeof fetch; now: () => number },
  ) {}

  /** Set the watched addresses (from settings); drops accounts no longer watched and polls the rest. */
  async sync(addresses: readonly string[]): Promise<void> {
    const next = [...new Set(addresses.map((a) => a.toLowerCase()))];
    for (const old of this.addresses) if (!next.includes(old)) await this.monitor.removeAccount(hyperliquidAccountKey(old));
    this.addresses = next;
    await this.poll();
  }

  /** Fetch every watched address once; a failure leaves the last snapshot (which then ages into STALE). */
  async poll(): Promise<void> {
    const f = this.deps.fetch ?? globalThis.fetch?.bind(globalThis);
    if (!f) return;
    for (const address of this.addresses) {
      const url = restUrl('hyperliquid', '/info', '', this.monitor.endpointOverride);
      try {
        const raw = await fetchJson(f, url, 'hyperliquid clearinghouseState', { type: 'clearinghouseState', user: address });
        const snap = snapshotFromClearinghouse(raw, url, this.deps.now());
        await this.monitor.putAccount(hyperliquidAccountKey(address), 'hyperliquid', `Hyperliquid ${address.slice(0, 6)}…${address.slice(-4)}`, snap, this.deps.now());
      } catch (e) {
        console.warn('[monitor] hyperliquid address poll failed', address, e);
      }
    }
  }
}
