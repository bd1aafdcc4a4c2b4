// @vitest-environment happy-dom
/**
 * The options page's read-only API section, step by step, with the real key generation and
 * IndexedDB key store (fake-indexeddb), the real worker-side connection logic and status item,
 * and the loopback account-API server (which verifies the signatures): generate → public key
 * shown → paste API key → refused (naming the permission) → fixed → connected → removed; OKX by
 * pasted key/secret/passphrase; a refused host permission sends nothing.
 */
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { IDBFactory } from 'fake-indexeddb';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ApiConnections, type ApiPorts } from '../../components/options/ApiConnections';
import { browserApiPorts } from '../../components/options/api-ports';
import { KeyStore } from '../../lib/api/keystore';
import { ApiAccounts, handleApiConnection } from '../../lib/background/api-accounts';
import { DEFAULT_SETTINGS } from '../../lib/settings/schema';
import { apiStatusItem } from '../../lib/storage/api-status';
import { binanceState, startAccountApiServer, type AccountApiServer } from '../../harness/account-api-server';

let server: AccountApiServer;
beforeAll(async () => void (server = await startAccountApiServer()));
afterAll(() => server.close());
afterEach(cleanup);

let idb: IDBFactory;
let sent: string[];
beforeEach(() => {
  fakeBrowser.reset();
  idb = new IDBFactory();
  (globalThis as { indexedDB?: IDBFactory }).indexedDB = idb;
  sent = [];
  Object.assign(server.binance, binanceState());
  return () => void delete (globalThis as { indexedDB?: IDBFactory }).indexedDB;
});

/** The browser ports, with the host-permission prompt answered `grant` and messages delivered to a real ApiAccounts. */
function ports(grant = true): ApiPorts {
  const accounts = new ApiAccounts({
    keys: new KeyStore(idb),
    fetch: globalThis.fetch.bind(globalThis),
    now: Date.now,
    override: () => ({ rest: server.origin }),
    enabled: () => DEFAULT_SETTINGS.enabledExchanges,
    putAccount: async () => {},
    removeAccount: async () => {},
    loadStatus: () => apiStatusItem.getValue(),
    saveStatus: (s) => apiStatusItem.setValue(s),
  });
  return {
    ...browserApiPorts(),
    requestHosts: async () => grant,
    send: async (action, exchange) => (sent.push(`${action} ${exchange}`), handleApiConnection(accounts, { action, exchange })),
  };
}

const box = (x: string) => within(screen.getByTestId(`api-${x}-box`));

describe('read-only API section', () => {
  it('Binance: generate → public key → paste API key → refused naming the permission → fixed → connected → removed', async () => {
    render(<ApiConnections ports={ports()} />);
    const b = () => box('binance');
    fireEvent.click(await b().findByRole('button', { name: 'Generate a key' }));
    const pem = (await b().findByLabelText('Public key to paste at the exchange')) as HTMLTextAreaElement;
    expect(pem.value).toMatch(/^-----BEGIN PUBLIC KEY-----\n.+\n-----END PUBLIC KEY-----$/);
    expect(b().getByText(/leave ONLY "Enable Reading" ticked/)).toBeTruthy();
    // The trader registers that public key at the exchange, with Futures (trading) left on.
    Object.assign(server.binance, { apiKey: 'bn-ui-key', publicKeyPem: pem.value });
    server.binance.apiRestrictions.enableFutures = true;
    fireEvent.input(b().getByLabelText('API key from Binance'), { target: { value: ' bn-ui-key ' } });
    fireEvent.submit(b().getByRole('button', { name: 'Connect' }).closest('form')!);
    await waitFor(() => expect(screen.getByTestId('api-binance-status').textContent).toMatch(/^Refused: the key can do more than read: switch off "Enable Futures"/));
    expect(screen.getByTestId('api-binance-box').dataset.step).toBe('refused');

    server.binance.apiRestrictions.enableFutures = false;
    fireEvent.click(b().getByRole('button', { name: 'Check again' }));
    await waitFor(() => expect(screen.getByTestId('api-binance-status').textContent).toMatch(/^Connected read-only\. Permissions checked \d+ s ago, positions read \d+ s ago\./));
    expect(server.requests.filter((r) => r.exchange === 'binance').every((r) => r.verified)).toBe(true);

    fireEvent.click(b().getByRole('button', { name: 'Remove key' }));
    await waitFor(() => expect(screen.getByTestId('api-binance-box').dataset.step).toBe('generate'));
    expect(await new KeyStore(idb).get('binance')).toBeNull();
    expect(sent).toEqual(['check binance', 'check binance', 'remove binance']);
  });

  it('OKX: pasted key, secret and passphrase connect; the secret is not stored as text', async () => {
    Object.assign(server.okx, { apiKey: 'okx-ui', secret: 'okx-ui-secret', passphrase: 'okx pass' });
    render(<ApiConnections ports={ports()} />);
    const o = box('okx');
    fireEvent.input(await o.findByLabelText('API key'), { target: { value: 'okx-ui' } });
    fireEvent.input(o.getByLabelText('Secret key'), { target: { value: 'okx-ui-secret' } });
    fireEvent.input(o.getByLabelText('Passphrase'), { target: { value: 'okx pass' } });
    fireEvent.submit(o.getByRole('button', { name: 'Connect' }).closest('form')!);
    await waitFor(() => expect(screen.getByTestId('api-okx-status').textContent).toMatch(/^Connected read-only/));
    const stored = await new KeyStore(idb).get('okx');
    expect(stored?.privateKey.extractable).toBe(false);
    expect(JSON.stringify(stored)).not.toContain('okx-ui-secret');
  });

  it('a refused host permission sends nothing and says why', async () => {
    render(<ApiConnections ports={ports(false)} />);
    const b = box('binance');
    fireEvent.click(await b.findByRole('button', { name: 'Generate a key' }));
    fireEvent.input(await b.findByLabelText('API key from Binance'), { target: { value: 'k' } });
    fireEvent.submit(b.getByRole('button', { name: 'Connect' }).closest('form')!);
    await waitFor(() => expect(b.getByRole('alert').textContent).toMatch(/did not grant access/));
    expect(sent).toEqual([]);
  });
});
