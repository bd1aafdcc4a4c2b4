/**
 * Bundled fallback leverage brackets, Binance COIN-M perpetuals (basis `notional` in coin,
 * `maintAmount` in coin), symbols as the API spells them (BTCUSD_PERP).
 *
 * Fields: `floor` = bracketNotionalFloor (exclusive), `cap` = bracketNotionalCap (inclusive), both in
 * the base coin (notional = contracts × contract size ÷ mark); `mmr` = bracketMaintenanceMarginRate;
 * `maintAmount` = cumFastMaintenanceAmount (coin); `maxLeverage` = maxOpenPosLeverage.
 * MM = notional × mmr − maintAmount (https://www.binance.com/en/support/faq/ceccfcfb4e3a45e3b48b0b1bb1a8ae46).
 *
 * Source: the response of Binance's public, keyless web endpoint
 * `POST https://www.binance.com/bapi/futures/v1/friendly/delivery/common/brackets` (the one behind
 * https://www.binance.com/en/futures/trading-rules/perpetual/leverage-margin, COIN-M tab), as stored
 * unchanged in komekome898-web/trade `docs/DATA/probes/20260917_binance_cm_brackets_full.json`
 * @ d0a6b90b5750fc7051146d99ab296d541a7fcb68, captured 2026-09-17; each table's own `updateTime` is
 * 2026-05-11/12 UTC (BTCUSD_PERP 1778489456820, ETHUSD_PERP 1778577434048, SOLUSD_PERP 1778577701897,
 * XRPUSD_PERP 1778577969796, DOGEUSD_PERP 1778577242710). The response gives `cum` as binary floats
 * (e.g. 0.005000000000000000104…); they are written here as the decimals the recurrence
 * cum_n = floor_n × (mmr_n − mmr_{n−1}) + cum_{n−1} gives, which test/exchanges/tiers.test.ts checks
 * for every row. These brackets are much finer than the API docs' one-row example (bracket 1: 0–50 BTC).
 *
 * Brackets change: this is the fallback for when the live endpoint (./tier-source.ts) cannot be reached.
 */
import type { TierTable } from '../../engine/tiers';

const SOURCE =
  'bundled: POST https://www.binance.com/bapi/futures/v1/friendly/delivery/common/brackets, as stored in ' +
  'komekome898-web/trade docs/DATA/probes/20260917_binance_cm_brackets_full.json @ d0a6b90';
const AS_OF = '2026-09-17 (tables updated 2026-05-11)';

type Row = [floor: string, cap: string, mmr: string, maintAmount: string, maxLeverage: string];
const table = (symbol: string, rows: Row[]): TierTable => ({
  exchange: 'binance-coinm',
  symbol,
  basis: 'notional',
  source: SOURCE,
  asOf: AS_OF,
  tiers: rows.map(([floor, cap, mmr, maintAmount, maxLeverage]) => ({ floor, cap, mmr, maintAmount, maxLeverage })),
});

export const TIER_TABLES: TierTable[] = [
  table('BTCUSD_PERP', [
    ['0', '5', '0.004', '0', '125'],
    ['5', '10', '0.005', '0.005', '100'],
    ['10', '25', '0.01', '0.055', '50'],
    ['25', '150', '0.025', '0.43', '20'],
    ['150', '400', '0.05', '4.18', '10'],
    ['400', '950', '0.1', '24.18', '5'],
    ['950', '1200', '0.125', '47.93', '4'],
    ['1200', '1600', '0.15', '77.93', '3'],
    ['1600', '2400', '0.25', '237.93', '2'],
    ['2400', '3500', '0.5', '837.93', '1'],
  ]),
  table('ETHUSD_PERP', [
    ['0', '15', '0.005', '0', '100'],
    ['15', '100', '0.0065', '0.0225', '75'],
    ['100', '400', '0.01', '0.3725', '50'],
    ['400', '1500', '0.025', '6.3725', '20'],
    ['1500', '5000', '0.05', '43.8725', '10'],
    ['5000', '14000', '0.1', '293.8725', '5'],
    ['14000', '18000', '0.125', '643.8725', '4'],
    ['18000', '24000', '0.15', '1093.8725', '3'],
    ['24000', '36000', '0.25', '3493.8725', '2'],
    ['36000', '55000', '0.5', '12493.8725', '1'],
  ]),
  table('SOLUSD_PERP', [
    ['0', '400', '0.01', '0', '50'],
    ['400', '2300', '0.02', '4', '25'],
    ['2300', '4600', '0.025', '15.5', '20'],
    ['4600', '23400', '0.05', '130.5', '10'],
    ['23400', '37400', '0.1', '1300.5', '5'],
    ['37400', '46800', '0.125', '2235.5', '4'],
    ['46800', '56100', '0.1667', '4187.06', '3'],
    ['56100', '93600', '0.25', '8860.19', '2'],
    ['93600', '187200', '0.5', '32260.19', '1'],
  ]),
  table('XRPUSD_PERP', [
    ['0', '33100', '0.01', '0', '50'],
    ['33100', '165600', '0.02', '331', '25'],
    ['165600', '500000', '0.025', '1159', '20'],
    ['500000', '2000000', '0.05', '13659', '10'],
    ['2000000', '3000000', '0.1', '113659', '5'],
    ['3000000', '5000000', '0.125', '188659', '4'],
    ['5000000', '10000000', '0.15', '313659', '3'],
    ['10000000', '20000000', '0.25', '1313659', '2'],
    ['20000000', '40000000', '0.5', '6313659', '1'],
  ]),
  table('DOGEUSD_PERP', [
    ['0', '500000', '0.012', '0', '25'],
    ['500000', '2500000', '0.025', '6500', '20'],
    ['2500000', '5000000', '0.05', '69000', '10'],
    ['5000000', '10000000', '0.1', '319000', '5'],
    ['10000000', '20000000', '0.125', '569000', '4'],
    ['20000000', '50000000', '0.25', '3069000', '2'],
    ['50000000', '75000000', '0.5', '15569000', '1'],
  ]),
];
