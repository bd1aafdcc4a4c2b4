/**
 * What-if and stress, loaded on demand (dynamic import from AccountCard). Both are computed by the
 * background service worker (`what-if` / `stress` messages, lib/background/analysis.ts) on the
 * monitor's own input, so neither this chunk nor the popup bundles the engine, decimal.js or tier tables.
 */
import type { ExchangeId } from '../../lib/engine/exchanges';
import type { AccountSnapshot } from '../../lib/engine/snapshot';
import type { AccountRisk } from '../../lib/engine/types';
import { StressPanel } from './StressPanel';
import { WhatIfPanel } from './whatif/WhatIfPanel';

export interface AnalysisProps {
  which: 'whatif' | 'stress';
  /** Account key the background monitors (`AccountRecord.key`). */
  accountKey: string;
  exchange: ExchangeId;
  /** The page snapshot: the forms' symbols and legs. */
  snapshot: AccountSnapshot;
  /** Changes when the background's evaluation input changes (lib/view/popup.ts `AccountView.inputVersion`). */
  inputVersion: string;
  risk: AccountRisk;
  levels: readonly number[];
  /** Clock (ms epoch) for "next funding in …". */
  now: number;
}

export function Analysis({ which, accountKey, snapshot, inputVersion: version, risk, levels, now }: AnalysisProps) {
  // Re-run when what the background evaluates changed (marks, snapshot, tier tables), not on every clock tick.
  return which === 'whatif' ? (
    <WhatIfPanel accountKey={accountKey} snapshot={snapshot} version={version} />
  ) : (
    <StressPanel accountKey={accountKey} snapshot={snapshot} risk={risk} levels={levels} now={now} version={version} />
  );
}
