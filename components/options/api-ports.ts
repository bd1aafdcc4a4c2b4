/**
 * The read-only API section's ports backed by the browser: keys are generated and stored here, in
 * the extension's own IndexedDB (lib/api/keystore.ts; the private key is non-extractable), host
 * permissions are requested from the trader's click, and the worker is asked to check or remove.
 */
import { browser } from 'wxt/browser';
import { API_HOST_PERMISSIONS, type ApiExchange } from '../../lib/api/exchanges';
import { generateKeyPair, importHmacSecret } from '../../lib/api/keys';
import { KeyStore } from '../../lib/api/keystore';
import type { ApiConnectionReply } from '../../lib/protocol';
import { apiStatusItem } from '../../lib/storage/api-status';
import type { ApiKeyView } from '../../lib/view/api-connect';
import type { ApiPorts } from './ApiConnections';

export function browserApiPorts(): ApiPorts {
  const keys = new KeyStore(indexedDB);
  return {
    async keys() {
      const out: Partial<Record<ApiExchange, ApiKeyView>> = {};
      for (const c of await keys.all()) out[c.exchange] = { algorithm: c.algorithm, publicKeyPem: c.publicKeyPem, apiKey: c.apiKey, createdAt: c.createdAt };
      return out;
    },
    statuses: () => apiStatusItem.getValue(),
    watchStatuses: (cb) => apiStatusItem.watch((s) => cb(s ?? {})),
    async generate(exchange) {
      let g;
      try {
        g = await generateKeyPair(exchange);
      } catch (e) {
        // Chrome < 137 has no Ed25519: Binance accepts RSA keys too.
        if (exchange !== 'binance') throw e;
        g = await generateKeyPair(exchange, { prefer: 'rsa' });
      }
      await keys.put({ exchange, algorithm: g.algorithm, privateKey: g.privateKey, publicKeyPem: g.publicKeyPem, apiKey: null, passphrase: null, createdAt: Date.now() });
    },
    async setApiKey(exchange, apiKey) {
      const c = await keys.get(exchange);
      if (!c) throw new Error('no key: generate one first');
      await keys.put({ ...c, apiKey });
    },
    async setOkx(apiKey, secret, passphrase) {
      const key = await importHmacSecret(secret);
      await keys.put({ exchange: 'okx', algorithm: 'hmac', privateKey: key, publicKeyPem: null, apiKey, passphrase, createdAt: Date.now() });
    },
    async requestHosts(exchange) {
      return browser.permissions.request({ origins: [...API_HOST_PERMISSIONS[exchange]] });
    },
    async send(action, exchange) {
      return ((await browser.runtime.sendMessage({ type: 'api-connection', action, exchange })) as ApiConnectionReply | undefined) ?? { ok: false, error: 'no answer from the background' };
    },
    async forget(exchange) {
      await keys.delete(exchange);
    },
  };
}
