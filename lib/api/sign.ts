/**
 * Request signing, per exchange, exactly as each documents it. Every function signs the exact
 * bytes that are sent: the query string is built once (values percent-encoded), signed, and
 * appended unchanged.
 *
 * - Binance (SIGNED `USER_DATA` endpoints, same for `api`/`sapi`/`fapi`/`dapi`): header
 *   `X-MBX-APIKEY`; params `timestamp` (ms) and `recvWindow`; payload = the query string;
 *   `signature` last. HMAC → hex; RSA and Ed25519 → base64, then percent-encoded.
 *   https://developers.binance.com/docs/derivatives/usds-margined-futures/general-info
 *   https://developers.binance.com/docs/binance-spot-api-docs/rest-api/request-security
 * - Bybit v5: headers `X-BAPI-API-KEY`, `X-BAPI-TIMESTAMP` (ms), `X-BAPI-RECV-WINDOW`,
 *   `X-BAPI-SIGN`; GET payload = timestamp + api key + recv window + query string; HMAC → lowercase
 *   hex, RSA → base64. `X-BAPI-SIGN-TYPE: 2` as Bybit's own RSA sample sends.
 *   https://bybit-exchange.github.io/docs/v5/guide#authentication
 * - OKX v5: headers `OK-ACCESS-KEY`, `OK-ACCESS-SIGN`, `OK-ACCESS-TIMESTAMP` (ISO 8601 with ms, UTC),
 *   `OK-ACCESS-PASSPHRASE`; pre-hash = timestamp + METHOD + requestPath (with query) + body;
 *   base64 of HMAC-SHA256. https://www.okx.com/docs-v5/en/#overview-rest-authentication
 */
import { toBase64, toHex, utf8 } from './encoding';
import { signParams, type KeyAlgorithm } from './keys';

/** What signs: the private (or HMAC) key, its algorithm and the exchange's API key string. */
export interface SigningKey {
  algorithm: KeyAlgorithm;
  key: CryptoKey;
  apiKey: string;
  /** OKX only. */
  passphrase?: string | null;
}

/** A request ready for `fetch`: full URL, method, headers. */
export interface SignedRequest {
  url: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  headers: Record<string, string>;
}

/** Default receive window, ms (Binance and Bybit default, 5 000). */
export const RECV_WINDOW_MS = 5000;

/** Raw signature bytes of the UTF-8 `payload` with `key`. */
export async function signBytes(algorithm: KeyAlgorithm, key: CryptoKey, payload: string, subtle: SubtleCrypto = crypto.subtle): Promise<ArrayBuffer> {
  return subtle.sign(signParams(algorithm), key, utf8(payload));
}

/**
 * A query string from `[name, value]` pairs, each value with `encodeURIComponent`, in the given order.
 * @example queryString([['symbol', 'BTCUSDT'], ['timestamp', '1']]) === 'symbol=BTCUSDT&timestamp=1'
 */
export function queryString(params: readonly (readonly [string, string])[]): string {
  return params.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
}

/**
 * Binance signature text of `payload`: hex for HMAC, base64 for RSA/Ed25519 (not yet URL-encoded).
 * Source: general-info "SIGNED Endpoint Security" (links in the module docstring).
 */
export async function binanceSignature(k: Pick<SigningKey, 'algorithm' | 'key'>, payload: string, subtle?: SubtleCrypto): Promise<string> {
  const sig = await signBytes(k.algorithm, k.key, payload, subtle);
  return k.algorithm === 'hmac' ? toHex(sig) : toBase64(sig);
}

/**
 * A signed Binance request to `base` (origin + path, e.g. `https://fapi.binance.com/fapi/v3/account`):
 * `params`, then `timestamp` (= `now`, ms) and `recvWindow`, then `signature` last.
 */
export async function binanceRequest(k: SigningKey, base: string, params: readonly (readonly [string, string])[], now: number, opts: { method?: SignedRequest['method']; recvWindow?: number; subtle?: SubtleCrypto } = {}): Promise<SignedRequest> {
  const payload = queryString([...params, ['timestamp', String(Math.trunc(now))], ['recvWindow', String(opts.recvWindow ?? RECV_WINDOW_MS)]]);
  const signature = await binanceSignature(k, payload, opts.subtle);
  return { url: `${base}?${payload}&signature=${encodeURIComponent(signature)}`, method: opts.method ?? 'GET', headers: { 'X-MBX-APIKEY': k.apiKey } };
}

/**
 * An unsigned Binance request that only carries the API key (`USER_STREAM`: listenKey
 * create/keepalive; https://developers.binance.com/docs/derivatives/usds-margined-futures/user-data-streams/Start-User-Data-Stream).
 */
export function binanceKeyOnly(apiKey: string, url: string, method: SignedRequest['method']): SignedRequest {
  return { url, method, headers: { 'X-MBX-APIKEY': apiKey } };
}

/** Bybit pre-sign string of a GET: `timestamp + apiKey + recvWindow + queryString`. */
export function bybitPayload(timestamp: number, apiKey: string, recvWindow: number, query: string): string {
  return `${Math.trunc(timestamp)}${apiKey}${recvWindow}${query}`;
}

/** Bybit signature text: lowercase hex (HMAC) or base64 (RSA). */
export async function bybitSignature(k: Pick<SigningKey, 'algorithm' | 'key'>, payload: string, subtle?: SubtleCrypto): Promise<string> {
  const sig = await signBytes(k.algorithm, k.key, payload, subtle);
  return k.algorithm === 'hmac' ? toHex(sig) : toBase64(sig);
}

/** A signed Bybit v5 GET of `base` (origin + path) with `params`. */
export async function bybitRequest(k: SigningKey, base: string, params: readonly (readonly [string, string])[], now: number, opts: { recvWindow?: number; subtle?: SubtleCrypto } = {}): Promise<SignedRequest> {
  const recv = opts.recvWindow ?? RECV_WINDOW_MS;
  const query = queryString(params);
  const sign = await bybitSignature(k, bybitPayload(now, k.apiKey, recv, query), opts.subtle);
  return {
    url: query ? `${base}?${query}` : base,
    method: 'GET',
    headers: { 'X-BAPI-API-KEY': k.apiKey, 'X-BAPI-TIMESTAMP': String(Math.trunc(now)), 'X-BAPI-RECV-WINDOW': String(recv), 'X-BAPI-SIGN': sign, 'X-BAPI-SIGN-TYPE': '2' },
  };
}

/** OKX timestamp: ISO 8601 UTC with milliseconds, e.g. `2020-12-08T09:08:57.715Z`. */
export function okxTimestamp(now: number): string {
  return new Date(Math.trunc(now)).toISOString();
}

/** OKX pre-hash string: `timestamp + METHOD + requestPath + body` (GET: query is part of the path, body empty). */
export function okxPrehash(timestamp: string, method: string, requestPath: string, body = ''): string {
  return `${timestamp}${method.toUpperCase()}${requestPath}${body}`;
}

/** OKX signature: base64 of HMAC-SHA256 over the pre-hash. */
export async function okxSignature(key: CryptoKey, prehash: string, subtle?: SubtleCrypto): Promise<string> {
  return toBase64(await signBytes('hmac', key, prehash, subtle));
}

/**
 * A signed OKX v5 GET: `origin` (e.g. `https://www.okx.com`) + `path` (e.g. `/api/v5/account/config`)
 * with `params`. The signed `requestPath` is the path and query as sent, without origin.
 * Under the loopback override `origin` carries the `/okx` prefix; the signature still covers the
 * exchange's own path, as the real server would see it.
 */
export async function okxRequest(k: SigningKey, origin: string, path: string, params: readonly (readonly [string, string])[], now: number, opts: { subtle?: SubtleCrypto } = {}): Promise<SignedRequest> {
  const query = queryString(params);
  const requestPath = query ? `${path}?${query}` : path;
  const ts = okxTimestamp(now);
  const sign = await okxSignature(k.key, okxPrehash(ts, 'GET', requestPath), opts.subtle);
  return {
    url: `${origin}${requestPath}`,
    method: 'GET',
    headers: { 'OK-ACCESS-KEY': k.apiKey, 'OK-ACCESS-SIGN': sign, 'OK-ACCESS-TIMESTAMP': ts, 'OK-ACCESS-PASSPHRASE': k.passphrase ?? '' },
  };
}
