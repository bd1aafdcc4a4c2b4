/**
 * Bundled fallback leverage brackets, Binance COIN-M perpetuals (basis `notional` in coin,
 * `maintAmount` in coin), symbols as the API spells them (BTCUSD_PERP).
 *
 * EMPTY ON PURPOSE. No complete bracket table (`GET /dapi/v2/leverageBracket`: qtyFloor, qtyCap,
 * maintMarginRatio, cum) for BTCUSD_PERP, ETHUSD_PERP, SOLUSD_PERP, XRPUSD_PERP or DOGEUSD_PERP was
 * found in the stored sources: only one-row API-doc examples (BTCUSD_PERP bracket 1: qtyCap 50,
 * 125x, MMR 0.004, cum 0) and the FAQ's initial-margin table without maintenance columns
 * (https://www.binance.com/en/support/faq/be2c7d9d95b04a7e8044ed02dd7dfe5c). COIN-M positions must use
 * live brackets or show "unknown" (see BUNDLED_TIER_SOURCES).
 */
import type { TierTable } from '../../engine/tiers';

export const TIER_TABLES: TierTable[] = [];
