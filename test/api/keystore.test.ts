/** The IndexedDB key store (on fake-indexeddb): CryptoKeys survive a round trip non-extractable and still sign. */
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { generateKeyPair } from '../../lib/api/keys';
import { KeyStore } from '../../lib/api/keystore';
import { signBytes } from '../../lib/api/sign';
import { createPublicKey, verify } from 'node:crypto';

describe('KeyStore', () => {
  it('stores, reads back (usable, non-extractable), lists and deletes a credential', async () => {
    const store = new KeyStore(new IDBFactory());
    expect(await store.get('binance')).toBeNull();
    const g = await generateKeyPair('binance');
    await store.put({ exchange: 'binance', algorithm: g.algorithm, privateKey: g.privateKey, publicKeyPem: g.publicKeyPem, apiKey: null, passphrase: null, createdAt: 1 });
    const back = await store.get('binance');
    expect(back?.privateKey.extractable).toBe(false);
    expect(back?.publicKeyPem).toBe(g.publicKeyPem);
    const sig = await signBytes('ed25519', back!.privateKey, 'hello');
    expect(verify(null, Buffer.from('hello'), createPublicKey(g.publicKeyPem), Buffer.from(sig))).toBe(true);
    expect((await store.all()).map((c) => c.exchange)).toEqual(['binance']);
    await store.delete('binance');
    expect(await store.get('binance')).toBeNull();
  });
});
