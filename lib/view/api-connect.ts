/**
 * The options page's read-only API connection, as a pure view model (issue 18): which step each
 * exchange is at, what to tell the trader there, and the per-exchange guidance.
 *
 * Steps: `generate` (no key) → `register` (key generated: show the public key, paste the API key
 * the exchange shows; OKX: paste key, secret, passphrase) → `check` (API key pasted, not yet
 * checked, or checking/failed) → `connected` / `refused` (with the permission to switch off).
 *
 * Guidance sources: Binance https://www.binance.com/en/support/faq/6b9a63f1e3384cf48a2eedb82767a69a
 * (self-generated Ed25519 key); Bybit https://bybit-exchange.github.io/docs/v5/guide (self-generated RSA
 * keys, Read-Only); OKX https://www.okx.com/docs-v5/en/#overview-api-key-creation (Read permission).
 */
import type { ApiExchange } from '../api/exchanges';
import type { ApiConnectionStatus } from '../storage/api-status';

/** What the page knows about a stored key (never the key itself). */
export interface ApiKeyView {
  algorithm: 'ed25519' | 'rsa' | 'hmac';
  publicKeyPem: string | null;
  /** The pasted API key string (an identifier, not a secret), or null. */
  apiKey: string | null;
  createdAt: number;
}

export type ApiStep = 'generate' | 'register' | 'check' | 'connected' | 'refused';

/** The guide for one exchange: numbered instructions for the register step. */
export const API_GUIDES: Readonly<Record<ApiExchange, { keyKind: string; steps: readonly string[] }>> = {
  binance: {
    keyKind: 'Ed25519 key pair, made in this browser',
    steps: [
      'On binance.com open Profile → API Management and click Create API.',
      'Choose "Self-generated" and paste the public key shown below. Name the key, confirm with 2FA.',
      'In the key\'s restrictions leave ONLY "Enable Reading" ticked (no Futures, no Spot & Margin trading, no Withdrawals, no transfers).',
      'Copy the API key Binance shows and paste it below, then press Connect.',
    ],
  },
  bybit: {
    keyKind: 'RSA key pair, made in this browser',
    steps: [
      'On bybit.com open Account → API → Create New Key and choose "Self-generated API Keys" (not System-generated).',
      'Paste the public key shown below. Choose "Read-Only" and tick no trading, transfer or withdrawal permission.',
      'Without an IP binding Bybit expires the key after 90 days; Margin Sentinel shows the days left.',
      'Copy the API key Bybit shows and paste it below, then press Connect.',
    ],
  },
  okx: {
    keyKind: 'OKX API key with Read permission (OKX makes the key; it offers no self-generated keys)',
    steps: [
      'On okx.com open Profile → API keys → Create API key (V5).',
      'Permissions: tick ONLY "Read". Choose a passphrase.',
      'Paste the API key, secret key and passphrase below, then press Connect. The secret is turned into a key this browser cannot export and is not stored as text; the passphrase is stored, because OKX wants it with every request.',
    ],
  },
};

/** Which step the connection is at. */
export function apiStep(key: ApiKeyView | null, status: ApiConnectionStatus | null | undefined): ApiStep {
  if (!key) return 'generate';
  if (!key.apiKey) return 'register';
  if (status?.state === 'connected') return 'connected';
  if (status?.state === 'refused') return 'refused';
  return 'check';
}

function ago(ms: number | null, now: number): string {
  if (ms === null) return 'never';
  const s = Math.max(0, Math.round((now - ms) / 1000));
  return s < 90 ? `${s} s ago` : s < 5400 ? `${Math.round(s / 60)} min ago` : `${Math.round(s / 3600)} h ago`;
}

/**
 * One line of status for the step, or null: connected (last read, key facts, problems), refused
 * (the reason naming what to switch off), or the last failure.
 */
export function apiStatusText(step: ApiStep, status: ApiConnectionStatus | null | undefined, now: number): string | null {
  if (!status) return null;
  if (step === 'refused') return `Refused: ${status.reason ?? 'the key is not read-only'}. Fix the key at the exchange, then press Check again.`;
  if (step === 'connected') {
    const parts = [`Connected read-only. Permissions checked ${ago(status.checkedAt, now)}, positions read ${ago(status.polledAt, now)}.`];
    if (status.pollError) parts.push(`Last read failed: ${status.pollError}.`);
    if (status.streamProblem) parts.push(`Live updates: ${status.streamProblem}.`);
    if (status.backoffUntil !== null && status.backoffUntil > now) parts.push(`Rate limited: waiting until ${new Date(status.backoffUntil).toISOString().slice(11, 19)} UTC.`);
    if (status.expiresInDays !== null && status.expiresInDays <= 14) parts.push(`The exchange expires this key in ${status.expiresInDays} days: create a new one soon.`);
    parts.push(...status.notes.map((n) => `${n}.`), ...status.problems.map((p) => `Not monitored: ${p}.`));
    if (status.crossCheck?.length) parts.push(`Page and API disagree (both are shown, neither is trusted over the other): ${status.crossCheck.join('; ')}.`);
    return parts.join(' ');
  }
  if (status.state === 'error' && status.reason) return `Check failed: ${status.reason}.`;
  return null;
}
