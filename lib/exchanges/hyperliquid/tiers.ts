/**
 * Bundled fallback margin tables, Hyperliquid perpetuals (basis `notional`, USDC).
 *
 * Source: Hyperliquid docs "Margin tiers", mainnet section
 * (https://hyperliquid.gitbook.io/hyperliquid-docs/trading/margin-tiers), stored copy read 2026:
 * BTC 0–150M 40x, >150M 20x; ETH 0–100M 25x, >100M 15x; SOL 0–70M 20x, >70M 10x;
 * XRP 0–40M 20x, >40M 10x; DOGE (with kPEPE, SUI, …) 0–20M 10x, >20M 5x.
 * The same tiers appear as `meta.marginTables` 56 (BTC), 55 (ETH), 54 (SOL), 53 (XRP) and 52 (DOGE)
 * in a stored mainnet `metaAndAssetCtxs` response (code index file 65722137523, repository not shown),
 * and df-hyperliquid-core 0.0.9-beta (docs.rs, fixture `meta_mainnet.json`, "live, mainnet, 2026-09-27")
 * asserts the BTC and ETH tables match the docs. `asOf` is that 2026-09-27 capture.
 *
 * Derived columns (the docs' formulas, not published numbers):
 * - `mmr` = 1 / (2 × maxLeverage). Exact, except 1/30 (ETH above 100M, 15x), which does not
 *   terminate and is written to 18 decimal places: 0.033333333333333333.
 * - `maintAmount` = maintenance_deduction_n = deduction_{n−1} + lowerBound_n × (mmr_n − mmr_{n−1}),
 *   computed from the 18-place mmr, so MM stays exactly continuous at each lower bound.
 * - A lower bound belongs to the higher tier in `meta` (lowerBound ≤ notional); our `floor` is
 *   exclusive. MM is continuous there, so only the max leverage at exactly the bound differs.
 */
import type { TierTable } from '../../engine/tiers';

const SOURCE = 'bundled: https://hyperliquid.gitbook.io/hyperliquid-docs/trading/margin-tiers (mainnet tiers)';
const AS_OF = '2026-09-27';

export const TIER_TABLES: TierTable[] = [
  {
    exchange: 'hyperliquid',
    symbol: 'BTC',
    basis: 'notional',
    source: SOURCE,
    asOf: AS_OF,
    tiers: [
      { floor: '0', cap: '150000000', mmr: '0.0125', maintAmount: '0', maxLeverage: '40' },
      { floor: '150000000', cap: null, mmr: '0.025', maintAmount: '1875000', maxLeverage: '20' },
    ],
  },
  {
    exchange: 'hyperliquid',
    symbol: 'ETH',
    basis: 'notional',
    source: SOURCE,
    asOf: AS_OF,
    tiers: [
      { floor: '0', cap: '100000000', mmr: '0.02', maintAmount: '0', maxLeverage: '25' },
      // mmr = 1/30 to 18 places; deduction = 100,000,000 × (0.033333333333333333 − 0.02).
      { floor: '100000000', cap: null, mmr: '0.033333333333333333', maintAmount: '1333333.3333333333', maxLeverage: '15' },
    ],
  },
  {
    exchange: 'hyperliquid',
    symbol: 'SOL',
    basis: 'notional',
    source: SOURCE,
    asOf: AS_OF,
    tiers: [
      { floor: '0', cap: '70000000', mmr: '0.025', maintAmount: '0', maxLeverage: '20' },
      { floor: '70000000', cap: null, mmr: '0.05', maintAmount: '1750000', maxLeverage: '10' },
    ],
  },
  {
    exchange: 'hyperliquid',
    symbol: 'XRP',
    basis: 'notional',
    source: SOURCE,
    asOf: AS_OF,
    tiers: [
      { floor: '0', cap: '40000000', mmr: '0.025', maintAmount: '0', maxLeverage: '20' },
      { floor: '40000000', cap: null, mmr: '0.05', maintAmount: '1000000', maxLeverage: '10' },
    ],
  },
  {
    exchange: 'hyperliquid',
    symbol: 'DOGE',
    basis: 'notional',
    source: SOURCE,
    asOf: AS_OF,
    tiers: [
      { floor: '0', cap: '20000000', mmr: '0.05', maintAmount: '0', maxLeverage: '10' },
      { floor: '20000000', cap: null, mmr: '0.1', maintAmount: '1000000', maxLeverage: '5' },
    ],
  },
];
