/**
 * Read-only API keys made and held by the extension (issue 18). The private half never leaves the
 * browser: key pairs are generated with WebCrypto with `extractable: false` (for a pair this governs
 * the private key; the public key is always exportable,
 * https://developer.mozilla.org/docs/Web/API/SubtleCrypto/generateKey) and kept as `CryptoKey`
 * objects in IndexedDB (./keystore.ts), which structured-clones them without exposing their bytes
 * (https://www.w3.org/TR/WebCryptoAPI/#concepts-key-storage).
 *
 * - Binance: Ed25519, Binance's recommended key type; the trader pastes the SPKI PEM into
 *   API Management → Create API → Self-generated
 *   (https://developers.binance.com/docs/binance-spot-api-docs/faqs/api_key_types;
 *   https://www.binance.com/en/support/faq/6b9a63f1e3384cf48a2eedb82767a69a).
 * - Bybit: RSA 2048, RSASSA-PKCS1-v1_5 / SHA-256 ("self-generated" keys,
 *   https://bybit-exchange.github.io/docs/v5/guide#authentication).
 * - OKX: HMAC only (https://www.okx.com/docs-v5/en/#overview-api-key-creation): the pasted secret
 *   is imported at once as a non-extractable HMAC-SHA256 key and the string is dropped.
 */
import { spkiToPem, utf8 } from './encoding';
import type { ApiExchange } from './exchanges';

export { API_EXCHANGES, type ApiExchange } from './exchanges';

/** Signature algorithm of a stored key. */
export type KeyAlgorithm = 'ed25519' | 'rsa' | 'hmac';

export const RSA_PARAMS: RsaHashedKeyGenParams = { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' };

/** A key pair the extension generated: the private key is not extractable, the public key is shown as PEM. */
export interface GeneratedKey {
  algorithm: 'ed25519' | 'rsa';
  privateKey: CryptoKey;
  /** SPKI PEM of the public key, to paste into the exchange's API management. */
  publicKeyPem: string;
}

/**
 * Generate a signing key pair for `exchange` (Binance: Ed25519, Bybit: RSA-2048).
 * @throws Error for OKX (no self-generated keys there); the browser's NotSupportedError when it lacks
 *   Ed25519 (Chrome < 137): call with `prefer: 'rsa'` then (Binance accepts RSA too).
 */
export async function generateKeyPair(exchange: ApiExchange, opts: { prefer?: 'rsa' } = {}, subtle: SubtleCrypto = crypto.subtle): Promise<GeneratedKey> {
  if (exchange === 'okx') throw new Error('OKX has no self-generated keys: paste the API key, secret and passphrase');
  const algorithm = exchange === 'binance' && opts.prefer !== 'rsa' ? 'ed25519' : 'rsa';
  const pair = (await subtle.generateKey(algorithm === 'ed25519' ? { name: 'Ed25519' } : RSA_PARAMS, false, ['sign', 'verify'])) as CryptoKeyPair;
  const spki = await subtle.exportKey('spki', pair.publicKey);
  return { algorithm, privateKey: pair.privateKey, publicKeyPem: spkiToPem(spki) };
}

/**
 * Import an OKX secret key as a non-extractable HMAC-SHA256 signing key. The secret's UTF-8 text is
 * the HMAC key (`CryptoJS.HmacSHA256(prehash, SecretKey)` in
 * https://www.okx.com/docs-v5/en/#overview-rest-authentication-signature).
 * @throws Error when the secret is empty.
 */
export async function importHmacSecret(secret: string, subtle: SubtleCrypto = crypto.subtle): Promise<CryptoKey> {
  const s = secret.trim();
  if (!s) throw new Error('the secret key is empty');
  return subtle.importKey('raw', utf8(s), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
}

/** Algorithm parameters for `subtle.sign` with a key of `algorithm`. */
export function signParams(algorithm: KeyAlgorithm): AlgorithmIdentifier {
  return algorithm === 'ed25519' ? { name: 'Ed25519' } : algorithm === 'rsa' ? { name: 'RSASSA-PKCS1-v1_5' } : { name: 'HMAC' };
}
