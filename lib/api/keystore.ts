/**
 * Where API keys live: one IndexedDB record per exchange in the extension's own origin (shared by
 * the options page and the service worker). IndexedDB holds `CryptoKey` objects by structured
 * clone, so a non-extractable private key stays usable across worker restarts without its bytes
 * ever being readable (https://www.w3.org/TR/WebCryptoAPI/#concepts-key-storage;
 * https://developer.mozilla.org/docs/Web/API/IndexedDB_API). `storage.local` holds no key
 * material: only the connection status (./status.ts).
 *
 * A tiny promise wrapper over the raw API (no dependency); the factory is injectable so tests run
 * on `fake-indexeddb`.
 */
import type { ApiExchange, KeyAlgorithm } from './keys';

/** IndexedDB database and object store names. */
export const KEY_DB = 'margin-sentinel-api-keys';
export const KEY_STORE = 'keys';

/** One exchange's credential. Only `privateKey` is secret, and it cannot be exported. */
export interface StoredCredential {
  exchange: ApiExchange;
  algorithm: KeyAlgorithm;
  /** Ed25519/RSA private key, or the OKX HMAC key; `extractable === false`. */
  privateKey: CryptoKey;
  /** SPKI PEM of the generated public key (null for OKX). */
  publicKeyPem: string | null;
  /** The API key string the exchange shows after registration (null until pasted). */
  apiKey: string | null;
  /** OKX passphrase: sent in clear in every OKX request (OK-ACCESS-PASSPHRASE), so kept as data. */
  passphrase: string | null;
  /** ms epoch. */
  createdAt: number;
}

function req<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error ?? new Error('IndexedDB request failed'));
  });
}

/** The key store: get/put/delete by exchange. Every call opens and closes its own connection (a worker may die any time). */
export class KeyStore {
  constructor(private readonly factory: IDBFactory = indexedDB) {}

  private open(): Promise<IDBDatabase> {
    const r = this.factory.open(KEY_DB, 1);
    r.onupgradeneeded = () => {
      if (!r.result.objectStoreNames.contains(KEY_STORE)) r.result.createObjectStore(KEY_STORE, { keyPath: 'exchange' });
    };
    return req(r);
  }

  private async run<T>(mode: IDBTransactionMode, f: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
    const db = await this.open();
    try {
      const tx = db.transaction(KEY_STORE, mode);
      // Listen for the end of the transaction before anything can end it.
      const done = new Promise<void>((resolve, reject) => {
        tx.oncomplete = () => resolve();
        tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
        tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
      });
      done.catch(() => {}); // a failed request rejects first; its transaction's failure is the same error
      const result = await req(f(tx.objectStore(KEY_STORE)));
      await done;
      return result;
    } finally {
      db.close();
    }
  }

  /** The credential of `exchange`, or null. */
  async get(exchange: ApiExchange): Promise<StoredCredential | null> {
    return ((await this.run('readonly', (s) => s.get(exchange))) as StoredCredential | undefined) ?? null;
  }

  /** Every stored credential. */
  async all(): Promise<StoredCredential[]> {
    return (await this.run('readonly', (s) => s.getAll())) as StoredCredential[];
  }

  /** Store (or replace) a credential. */
  async put(c: StoredCredential): Promise<void> {
    await this.run('readwrite', (s) => s.put(c));
  }

  /** Delete the credential of `exchange` (the key is gone for good; the trader deletes it at the exchange too). */
  async delete(exchange: ApiExchange): Promise<void> {
    await this.run('readwrite', (s) => s.delete(exchange));
  }
}
