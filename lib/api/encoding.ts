/**
 * Byte encodings for request signing: UTF-8, lowercase hex, base64 and PEM (SPKI public keys).
 * No dependencies: runs in the service worker, the options page and Node tests alike.
 */

/** UTF-8 bytes of `s` (what every exchange signs: "the exact bytes you send"). */
export function utf8(s: string): Uint8Array<ArrayBuffer> {
  return new TextEncoder().encode(s) as Uint8Array<ArrayBuffer>;
}

/** Lowercase hex of `bytes` (Binance/Bybit HMAC signatures are hex). */
export function toHex(bytes: ArrayBuffer | Uint8Array): string {
  const b = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  let out = '';
  for (const x of b) out += x.toString(16).padStart(2, '0');
  return out;
}

/** Standard base64 (RFC 4648 §4, with `=` padding) of `bytes`. */
export function toBase64(bytes: ArrayBuffer | Uint8Array): string {
  const b = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  let bin = '';
  for (const x of b) bin += String.fromCharCode(x);
  return btoa(bin);
}

/**
 * Bytes of a standard base64 string (whitespace ignored).
 * @throws Error when `s` is not base64.
 */
export function fromBase64(s: string): Uint8Array<ArrayBuffer> {
  const clean = s.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.length % 4 !== 0) throw new Error('not a base64 string');
  const bin = atob(clean);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/**
 * PEM text of an SPKI public key: `-----BEGIN PUBLIC KEY-----`, base64 in 64-character lines,
 * `-----END PUBLIC KEY-----` (RFC 7468 §13). This is the form Binance's and Bybit's API
 * management accept for self-generated keys
 * (https://developers.binance.com/docs/binance-spot-api-docs/faqs/api_key_types;
 * https://bybit-exchange.github.io/docs/v5/guide).
 */
export function spkiToPem(spki: ArrayBuffer | Uint8Array): string {
  const body = toBase64(spki).match(/.{1,64}/g) ?? [];
  return ['-----BEGIN PUBLIC KEY-----', ...body, '-----END PUBLIC KEY-----'].join('\n');
}

/**
 * The base64 body of a PEM public key with header, footer and whitespace removed (so a key
 * pasted with or without its header lines compares equal: Bybit returns `rsaPublicKey` in
 * either form, https://bybit-exchange.github.io/docs/v5/user/apikey-info).
 */
export function pemBody(pem: string): string {
  return pem.replace(/-----(BEGIN|END)[^-]*-----/g, '').replace(/\s+/g, '');
}
