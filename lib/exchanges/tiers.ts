/**
 * Bundled fallback tier tables, per exchange, for when the live tier endpoint cannot be reached.
 *
 * Each exchange folder's `tiers.ts` holds the rows and a header naming the source and capture date;
 * this module indexes them by symbol and lists, per exchange, the majors we could not source.
 * A symbol without a bundled table must be treated as "tier unknown", never as tier 1.
 */
import type { ExchangeId } from '../engine/exchanges';
import type { TierTable, TierTables } from '../engine/tiers';
import { TIER_TABLES as BINANCE_COINM } from './binance-coinm/tiers';
import { TIER_TABLES as BINANCE_USDM } from './binance-usdm/tiers';
import { TIER_TABLES as BYBIT } from './bybit/tiers';
import { TIER_TABLES as HYPERLIQUID } from './hyperliquid/tiers';
import { TIER_TABLES as OKX } from './okx/tiers';

const BY_EXCHANGE: Readonly<Record<ExchangeId, readonly TierTable[]>> = {
  'binance-usdm': BINANCE_USDM,
  'binance-coinm': BINANCE_COINM,
  bybit: BYBIT,
  okx: OKX,
  hyperliquid: HYPERLIQUID,
};

export interface BundledTierSource {
  /** Where the bundled rows come from (URL, or repository + path + commit). */
  source: string;
  /** Capture date of the data (not of the bundle). */
  asOf: string;
  /** Symbols (as the exchange spells them) among the BTC/ETH/SOL/XRP/DOGE perpetuals with no bundled table. */
  unavailable: readonly string[];
}

export const BUNDLED_TIER_SOURCES: Readonly<Record<ExchangeId, BundledTierSource>> = {
  'binance-usdm': {
    source:
      'freqtrade/freqtrade freqtrade/exchange/binance_leverage_tiers.json @ c9ae5e1 (GET /fapi/v1/leverageBracket); ' +
      'BTCUSDT perpetual checked against the same file @ 01d10aebcab25c526473c603a88e14eb7d9699cc',
    asOf: '2024-10-24',
    unavailable: [],
  },
  'binance-coinm': {
    source:
      'POST https://www.binance.com/bapi/futures/v1/friendly/delivery/common/brackets as stored in komekome898-web/trade ' +
      'docs/DATA/probes/20260917_binance_cm_brackets_full.json @ d0a6b90b5750fc7051146d99ab296d541a7fcb68',
    asOf: '2026-09-17',
    unavailable: [],
  },
  bybit: {
    source: 'https://bybitx.global/pt-PT/announcement-info/margin-parameters (BTCUSDT tiers 1–20)',
    asOf: '2026 (stored page copy, undated)',
    unavailable: ['ETHUSDT', 'SOLUSDT', 'XRPUSDT', 'DOGEUSDT'],
  },
  okx: {
    source: 'none found (no complete GET /api/v5/public/position-tiers response or recent announcement)',
    asOf: '',
    unavailable: ['BTC-USDT-SWAP', 'ETH-USDT-SWAP', 'SOL-USDT-SWAP', 'XRP-USDT-SWAP', 'DOGE-USDT-SWAP'],
  },
  hyperliquid: {
    source: 'https://hyperliquid.gitbook.io/hyperliquid-docs/trading/margin-tiers (mainnet tiers)',
    asOf: '2026-09-27',
    unavailable: [],
  },
};

/**
 * Bundled tier tables of one exchange, keyed by symbol exactly as that exchange spells it
 * (`BTCUSDT`, `BTCUSD_PERP`, `BTC-USDT-SWAP`, `BTC`). Returns a fresh frozen object; symbols with no
 * bundled table are absent (see {@link BUNDLED_TIER_SOURCES}`[exchange].unavailable`).
 *
 * @throws Error if the same symbol is bundled twice for the exchange (a data bug).
 */
export function defaultTierTables(exchange: ExchangeId): TierTables {
  // Built once per exchange (frozen): the background asks on every evaluation.
  let tables = defaults.get(exchange);
  if (!tables) defaults.set(exchange, (tables = buildDefaults(exchange)));
  return tables;
}

const defaults = new Map<ExchangeId, TierTables>();

function buildDefaults(exchange: ExchangeId): TierTables {
  const out: Record<string, TierTable> = {};
  for (const table of BY_EXCHANGE[exchange]) {
    if (out[table.symbol]) throw new Error(`bundled tiers: ${exchange} ${table.symbol} appears twice`);
    out[table.symbol] = table;
  }
  return Object.freeze(out);
}
