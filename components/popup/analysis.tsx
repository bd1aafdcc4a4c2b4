/**
 * What-if and stress, loaded on demand (dynamic import from AccountCard) so the popup's first
 * render — the background's ratio from storage — does not wait for the engine and decimal.js.
 */
import type { ExchangeId, AccountSnapshot } from '../../lib/engine/snapshot';
import type { TierTable, TierTables } from '../../lib/engine/tiers';
import type { AccountRisk } from '../../lib/engine/types';
import { defaultTierTables } from '../../lib/exchanges/tiers';
import { StressPanel } from './StressPanel';
import { WhatIfPanel } from './WhatIfPanel';

/**
 * Tier tables as the background uses them: cached live tables over the bundled ones, symbol by
 * symbol. Mirrors lib/background/tiers.ts `TierService.tablesFor` (not importable here without the fetch code).
 */
export function tablesFor(exchange: ExchangeId, live: Record<string, TierTable>): TierTables {
  return { ...defaultTierTables(exchange), ...live };
}

export interface AnalysisProps {
  which: 'whatif' | 'stress';
  exchange: ExchangeId;
  snapshot: AccountSnapshot;
  liveTables: Record<string, TierTable>;
  risk: AccountRisk;
  levels: readonly number[];
}

export function Analysis({ which, exchange, snapshot, liveTables, risk, levels }: AnalysisProps) {
  const tables = tablesFor(exchange, liveTables);
  return which === 'whatif' ? (
    <WhatIfPanel snapshot={snapshot} tables={tables} />
  ) : (
    <StressPanel snapshot={snapshot} tables={tables} risk={risk} funding={null} levels={levels} />
  );
}
