/**
 * The popup's requests to the background for what-if and stress (computed in the service worker
 * by lib/background/analysis.ts; messages in lib/protocol/analysis.ts, so the popup bundles no engine, decimal.js or tier tables).
 * Typed by the message map (lib/protocol); type-only imports of the analysis contract, so no valibot is bundled here.
 */
import { browser } from 'wxt/browser';
import { sendTyped, type ReplyOf, type RequestOf } from '../../lib/protocol';
import type { AnalysisFailure, StressReply, WhatIfReply } from '../../lib/protocol/analysis';
import type { Move } from '../../lib/engine/whatIf';

export type { AnalysisFailure, FundingLine, StressReply, WhatIfReply } from '../../lib/protocol/analysis';

function unreachable(e: unknown): AnalysisFailure {
  const problem = `background not reachable: ${e instanceof Error ? e.message : String(e)}`;
  return { ok: false, error: problem, field: null, problem, kind: 'request' };
}

/**
 * Send an analysis request and check the reply's shape: no reply, or a failure without the
 * field/problem the panels show, becomes an {@link AnalysisFailure} (`kind: 'request'`).
 */
async function ask<K extends 'what-if' | 'stress'>(msg: RequestOf<K> & { type: K }): Promise<ReplyOf<K> | AnalysisFailure> {
  try {
    const reply = await sendTyped<K>((m) => browser.runtime.sendMessage(m), msg);
    if (typeof reply !== 'object' || reply === null || typeof reply.ok !== 'boolean') return unreachable(new Error('no reply'));
    if (!reply.ok && typeof (reply as AnalysisFailure).problem !== 'string') {
      const error = String((reply as { error?: unknown }).error ?? 'failed');
      return { ok: false, error, field: null, problem: error, kind: 'request' };
    }
    return reply;
  } catch (e) {
    return unreachable(e);
  }
}

/** What-if of `moves` on the account the background monitors as `accountKey`. */
export function requestWhatIf(accountKey: string, moves: Move[], withOrders = false): Promise<WhatIfReply> {
  return ask({ type: 'what-if', accountKey, scenario: { moves }, ...(withOrders && { withOrders: true }) });
}

/** Stress table (default shocks −30 % … +30 %) and funding lines for `accountKey`. */
export function requestStress(accountKey: string, opts: { symbol?: string; factor?: string } = {}): Promise<StressReply> {
  return ask({ type: 'stress', accountKey, ...opts });
}
