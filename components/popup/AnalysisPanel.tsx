/**
 * What-if and stress, loaded on demand (dynamic import from AccountCard). Both are computed by the
 * background service worker (`what-if` / `stress` messages, lib/background/analysis.ts) on the
 * monitor's own input, so neither this chunk nor the popup bundles the engine, decimal.js or tier tables.
 */
import type { ExchangeId } from '../../lib/engine/exchanges';
import type { AccountSnapshot } from '../../lib/engine/snapshot';
import type { TierTable } from '../../lib/engine/tiers';
import type { AccountRisk } from '../../lib/engine/types';
import { tablesKey } from '../../lib/view/popup';
import { StressPanel } from './StressPanel';
import { WhatIfPanel } from './whatif/WhatIfPanel';

export interface AnalysisProps {
  which: 'whatif' | 'stress';
  /** Account key the background monitors (`AccountRecord.key`). */
  accountKey: string;
  exchange: ExchangeId;
  /** The snapshot shown (page read + live marks from storage): symbols for the forms, and a change signal. */
  snapshot: AccountSnapshot;
  /** Live tier tables from storage: a change signal only (the background applies them). */
  liveTables: Record<string, TierTable>;
  risk: AccountRisk;
  levels: readonly number[];
  /** Clock (ms epoch) for "next funding in …". */
  now: number;
}

export function Analysis({ which, accountKey, snapshot, liveTables, risk, levels, now }: AnalysisProps) {
  // Re-run when what the background evaluates changed (marks, snapshot, tier tables), not on every clock tick.
  const version = JSON.stringify(snapshot) + tablesKey(liveTables);
  return which === 'whatif' ? (
    <WhatIfPanel accountKey={accountKey} snapshot={snapshot} version={version} />
  ) : (
    <StressPanel accountKey={accountKey} snapshot={snapshot} risk={risk} levels={levels} now={now} version={version} />
  );
}
