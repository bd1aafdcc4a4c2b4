/**
 * Hyperliquid without a tab: monitor public wallet addresses through the keyless info endpoint
 * (`clearinghouseState`, converted by lib/exchanges/hyperliquid/account.ts), polled on the watchdog
 * (30 s); live marks still come from the `activeAssetCtx` stream. Each poll sends the watched
 * address to api.hyperliquid.xyz (README "Privacy").
 */
import { fetchJson } from '../exchanges/common/rest';
import { restUrl } from '../exchanges/endpoints';
import { clearinghouseRequest, snapshotFromClearinghouse } from '../exchanges/hyperliquid/account';
import type { Monitor } from './monitor';

/** Key of a watched address in the accounts store. */
export function hyperliquidAccountKey(address: string): string {
  return `hyperliquid:${address.toLowerCase()}`;
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
        const raw = await fetchJson(f, url, 'hyperliquid clearinghouseState', clearinghouseRequest(address));
        const snap = snapshotFromClearinghouse(raw, url, this.deps.now());
        await this.monitor.putAccount(hyperliquidAccountKey(address), 'hyperliquid', `Hyperliquid ${address.slice(0, 6)}…${address.slice(-4)}`, snap, this.deps.now());
      } catch (e) {
        console.warn('[monitor] hyperliquid address poll failed', address, e);
      }
    }
  }
}
