/**
 * Bundled fallback position tiers, OKX USDT perpetual swaps (basis `contracts`).
 *
 * Intended fields: `floor` = minSz, `cap` = maxSz (contracts), `mmr`, `maintAmount` '0' (OKX has no
 * deduction term), `maxLeverage` = maxLever, from `GET /api/v5/public/position-tiers`.
 *
 * EMPTY ON PURPOSE. No complete, recent tier table for BTC-USDT-SWAP, ETH-USDT-SWAP, SOL-USDT-SWAP,
 * XRP-USDT-SWAP or DOGE-USDT-SWAP was found in the stored sources (only tier-1 rows in test mocks, and
 * a 2021-06 OKEx announcement for ETHUSDT giving tiers 1–3 plus an "increase by 12,000 contracts and
 * 0.5 % per tier" rule). A five-year-old table would give confident wrong numbers, so OKX positions
 * must use the live endpoint or show "unknown" (see BUNDLED_TIER_SOURCES).
 */
import type { TierTable } from '../../engine/tiers';

export const TIER_TABLES: TierTable[] = [];
