import { describe, expect, it } from 'vitest';
import { apiStatusText, apiStep, type ApiKeyView } from '../../lib/view/api-connect';
import type { ApiConnectionStatus } from '../../lib/storage/api-status';

const key = (apiKey: string | null): ApiKeyView => ({ algorithm: 'ed25519', publicKeyPem: 'PEM', apiKey, createdAt: 0 });
const status = (s: Partial<ApiConnectionStatus>): ApiConnectionStatus => ({
  exchange: 'bybit', state: 'connected', reason: null, switchOff: [], notes: [], checkedAt: 0, polledAt: 0, pollError: null, problems: [], backoffUntil: null, expiresInDays: null, ...s,
});

describe('API connection view model', () => {
  it('walks generate → register → check → connected / refused', () => {
    expect(apiStep(null, null)).toBe('generate');
    expect(apiStep(key(null), status({}))).toBe('register');
    expect(apiStep(key('k'), null)).toBe('check');
    expect(apiStep(key('k'), status({ state: 'error', reason: 'x' }))).toBe('check');
    expect(apiStep(key('k'), status({}))).toBe('connected');
    expect(apiStep(key('k'), status({ state: 'refused' }))).toBe('refused');
  });

  it('says what is wrong: the refusal, a failed read, a rate limit, a key about to expire, what is not monitored', () => {
    expect(apiStatusText('refused', status({ state: 'refused', reason: 'switch off "Trade"' }), 0)).toBe('Refused: switch off "Trade". Fix the key at the exchange, then press Check again.');
    const t = apiStatusText('connected', status({ checkedAt: 0, polledAt: 30_000, pollError: 'HTTP 500', backoffUntil: 120_000, expiresInDays: 10, problems: ['ETHUSD: inverse'] }), 60_000)!;
    expect(t).toContain('Permissions checked 60 s ago, positions read 30 s ago.');
    expect(t).toContain('Last read failed: HTTP 500.');
    expect(t).toContain('Rate limited: waiting until 00:02:00 UTC.');
    expect(t).toContain('expires this key in 10 days');
    expect(t).toContain('Not monitored: ETHUSD: inverse.');
    expect(apiStatusText('connected', status({ streamProblem: 'the private stream refused the key: positions are read every 30 s only' }), 0)).toContain('Live updates: the private stream refused the key');
    expect(apiStatusText('connected', status({ crossCheck: ['Bybit tab 3: wallet balance: page 1, API 2'] }), 0)).toContain('Page and API disagree (both are shown, neither is trusted over the other): Bybit tab 3: wallet balance: page 1, API 2.');
    expect(apiStatusText('check', status({ state: 'error', reason: 'no key' }), 0)).toBe('Check failed: no key.');
    expect(apiStatusText('check', undefined, 0)).toBeNull();
  });
});
