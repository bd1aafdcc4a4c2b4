/** Shared set-up for account-API tests: generated keys registered with the loopback server, and a context. */
import { generateKeyPair, importHmacSecret } from '../../lib/api/keys';
import type { ApiExchange } from '../../lib/api/exchanges';
import type { ApiContext } from '../../lib/api/types';
import type { AccountApiServer } from '../../harness/account-api-server';

/** Generate (or import) a key for `exchange`, register it with the server, return a context that signs with it. */
export async function connect(server: AccountApiServer, exchange: ApiExchange, opts: { now?: () => number } = {}): Promise<ApiContext> {
  const base = { fetch: globalThis.fetch.bind(globalThis), now: opts.now ?? Date.now, override: { rest: server.origin } };
  if (exchange === 'okx') {
    server.okx.apiKey = 'okx-key-1';
    server.okx.secret = 'okx-secret-not-real';
    server.okx.passphrase = 'pass phrase';
    return { ...base, key: { algorithm: 'hmac', key: await importHmacSecret('okx-secret-not-real'), apiKey: 'okx-key-1', passphrase: 'pass phrase' }, publicKeyPem: null };
  }
  const g = await generateKeyPair(exchange);
  const apiKey = `${exchange}-key-1`;
  if (exchange === 'binance') Object.assign(server.binance, { apiKey, publicKeyPem: g.publicKeyPem });
  else {
    Object.assign(server.bybit, { apiKey, publicKeyPem: g.publicKeyPem });
    server.bybit.queryApi.rsaPublicKey = g.publicKeyPem.replace(/-----[^-]+-----|\n/g, '');
  }
  return { ...base, key: { algorithm: g.algorithm, key: g.privateKey, apiKey }, publicKeyPem: g.publicKeyPem };
}
