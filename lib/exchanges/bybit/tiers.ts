/**
 * Bundled fallback risk-limit tiers, Bybit USDT linear perpetuals (basis `notional`, USDT).
 *
 * Fields: `floor` = previous tier's risk limit (0 for tier 1), `cap` = this tier's risk limit,
 * `mmr` = maintenance margin rate (fraction), `maintAmount` = maintenance margin deduction (USDT),
 * `maxLeverage` = max leverage. MM = position value × mmr − maintAmount
 * (https://www.bybit.com/en/announcement-info/margin-parameters).
 *
 * BTCUSDT, tiers 1–20: Bybit "Margin Parameters" page, pt-PT mirror
 * https://bybitx.global/pt-PT/announcement-info/margin-parameters, as stored by the team's search
 * corpus (capture date not shown on the page; read 2026). The page publishes the deduction column;
 * every value equals the recurrence deduction_n = riskLimit_{n−1} × (MMR_n − MMR_{n−1}) + deduction_{n−1}
 * (checked in test/exchanges/tiers.test.ts). The page lists 20 tiers ending at 80,000,000 USDT, so the
 * last `cap` is that limit, not open-ended.
 *
 * ETHUSDT, SOLUSDT, XRPUSDT, DOGEUSDT: no published tier table or stored
 * `/v5/market/risk-limit` response was found, so they are left out (see BUNDLED_TIER_SOURCES).
 */
import type { TierTable } from '../../engine/tiers';

export const TIER_TABLES: TierTable[] = [
  {
    exchange: 'bybit',
    symbol: 'BTCUSDT',
    basis: 'notional',
    source: 'bundled: https://bybitx.global/pt-PT/announcement-info/margin-parameters (BTCUSDT, tiers 1–20)',
    asOf: '2026 (stored page copy, undated)',
    tiers: [
      { floor: '0', cap: '2000000', mmr: '0.005', maintAmount: '0', maxLeverage: '100' },
      { floor: '2000000', cap: '2600000', mmr: '0.0056', maintAmount: '1200', maxLeverage: '90' },
      { floor: '2600000', cap: '3200000', mmr: '0.0063', maintAmount: '3020', maxLeverage: '80' },
      { floor: '3200000', cap: '3800000', mmr: '0.0067', maintAmount: '4300', maxLeverage: '75' },
      { floor: '3800000', cap: '4400000', mmr: '0.0071', maintAmount: '5820', maxLeverage: '70' },
      { floor: '4400000', cap: '5000000', mmr: '0.0077', maintAmount: '8460', maxLeverage: '65' },
      { floor: '5000000', cap: '5600000', mmr: '0.0091', maintAmount: '15460', maxLeverage: '55' },
      { floor: '5600000', cap: '8500000', mmr: '0.01', maintAmount: '20500', maxLeverage: '50' },
      { floor: '8500000', cap: '10000000', mmr: '0.013', maintAmount: '46000', maxLeverage: '45' },
      { floor: '10000000', cap: '14000000', mmr: '0.015', maintAmount: '66000', maxLeverage: '40' },
      { floor: '14000000', cap: '20000000', mmr: '0.016', maintAmount: '80000', maxLeverage: '35' },
      { floor: '20000000', cap: '28000000', mmr: '0.02', maintAmount: '160000', maxLeverage: '30' },
      { floor: '28000000', cap: '38000000', mmr: '0.025', maintAmount: '300000', maxLeverage: '25' },
      { floor: '38000000', cap: '50000000', mmr: '0.029', maintAmount: '452000', maxLeverage: '20' },
      { floor: '50000000', cap: '55000000', mmr: '0.03', maintAmount: '502000', maxLeverage: '19' },
      { floor: '55000000', cap: '60000000', mmr: '0.035', maintAmount: '777000', maxLeverage: '18' },
      { floor: '60000000', cap: '65000000', mmr: '0.036', maintAmount: '837000', maxLeverage: '17' },
      { floor: '65000000', cap: '70000000', mmr: '0.038', maintAmount: '967000', maxLeverage: '16' },
      { floor: '70000000', cap: '75000000', mmr: '0.04', maintAmount: '1107000', maxLeverage: '15' },
      { floor: '75000000', cap: '80000000', mmr: '0.045', maintAmount: '1482000', maxLeverage: '14' },
    ],
  },
];
