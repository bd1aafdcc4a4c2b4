/**
 * Request signing against the exchanges' documented examples (Binance's HMAC examples from the
 * futures and spot docs), the RFC 8032 Ed25519 test vector, and vectors computed independently
 * for the Bybit and OKX payload layouts (reference account-apis.md §1.3). Asymmetric signatures
 * are also verified with Node's own crypto against the exported public key.
 */
import { createPublicKey, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fromBase64, pemBody, spkiToPem, toHex, utf8 } from '../../lib/api/encoding';
import { generateKeyPair, importHmacSecret } from '../../lib/api/keys';
import { binanceRequest, binanceSignature, bybitPayload, bybitRequest, bybitSignature, okxPrehash, okxRequest, okxSignature, queryString, signBytes } from '../../lib/api/sign';

const subtle = crypto.subtle;
const hmacKey = (secret: string) => subtle.importKey('raw', utf8(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
/** RFC 8032 §7.1 TEST 1 private key as PKCS#8 (seed 9d61b19d…7f60). */
const RFC8032_PKCS8 = 'MC4CAQAwBQYDK2VwBCIEIJ1hsZ3v/VpguoRK9JLsLMREScVpezJpGXA7rAMcrn9g';
const RFC8032_SPKI = 'MCowBQYDK2VwAyEA11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=';
const rfcKey = () => subtle.importKey('pkcs8', fromBase64(RFC8032_PKCS8), { name: 'Ed25519' }, false, ['sign']);

describe('Binance', () => {
  it('HMAC reproduces the USDⓈ-M futures doc example (hex)', async () => {
    // https://developers.binance.com/docs/derivatives/usds-margined-futures/general-info "SIGNED Endpoint Examples"
    const k = await hmacKey('2b5eb11e18796d12d88f13dc27dbbd02c2cc51ff7059765ed9821957d82bb4d9');
    const sig = await binanceSignature({ algorithm: 'hmac', key: k }, 'symbol=BTCUSDT&side=BUY&type=LIMIT&quantity=1&price=9000&timeInForce=GTC&recvWindow=5000&timestamp=1591702613943');
    expect(sig).toBe('3c661234138461fcc7a7d8746c6558c9842d4e10870d2ecbedf7777cad694af9');
  });

  it('HMAC reproduces the spot doc example (hex)', async () => {
    // https://developers.binance.com/docs/binance-spot-api-docs/rest-api/request-security
    const k = await hmacKey('NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j');
    const sig = await binanceSignature({ algorithm: 'hmac', key: k }, 'symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559');
    expect(sig).toBe('c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71');
  });

  it('Ed25519 reproduces RFC 8032 test 1 (empty message)', async () => {
    const sig = await signBytes('ed25519', await rfcKey(), '');
    expect(toHex(sig)).toBe('e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b');
  });

  it('Ed25519 request: timestamp, recvWindow, then the base64 signature percent-encoded, last', async () => {
    const req = await binanceRequest({ algorithm: 'ed25519', key: await rfcKey(), apiKey: 'KEY' }, 'https://fapi.binance.com/fapi/v3/positionRisk', [], 1700000000000);
    expect(req.url).toBe('https://fapi.binance.com/fapi/v3/positionRisk?timestamp=1700000000000&recvWindow=5000&signature=iZJGnYpkCL69XbwzrgDp34y58mk1770tHxHr3i%2FALsJl9FSdhyAnrrZ796xMbYm%2FHfnFrpoUjnqBfrAqc268Dg%3D%3D');
    expect(req.headers).toEqual({ 'X-MBX-APIKEY': 'KEY' });
    const withSymbol = await binanceRequest({ algorithm: 'ed25519', key: await rfcKey(), apiKey: 'KEY' }, 'https://x/y', [['symbol', 'BTCUSDT']], 1700000000000);
    expect(decodeURIComponent(withSymbol.url.split('signature=')[1]!)).toBe('T+5HJLyAJeTw77L142INv3lvD95ps5LAIrm9Vn2dbIGWCHBDzAozfCPjx4sCR01IFVVwXYT04V29U29vm6AlCg==');
  });

  it('a generated Ed25519 key signs what Node verifies with the exported PEM, and cannot be exported', async () => {
    const g = await generateKeyPair('binance');
    expect(g.algorithm).toBe('ed25519');
    expect(g.privateKey.extractable).toBe(false);
    await expect(subtle.exportKey('pkcs8', g.privateKey)).rejects.toThrow();
    expect(g.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----\n[A-Za-z0-9+/=]{60}\n-----END PUBLIC KEY-----$/);
    const req = await binanceRequest({ algorithm: 'ed25519', key: g.privateKey, apiKey: 'K' }, 'https://api.binance.com/sapi/v1/account/apiRestrictions', [], 1700000000000);
    const [payload, sig] = new URL(req.url).search.slice(1).split('&signature=') as [string, string];
    expect(verify(null, Buffer.from(payload), createPublicKey(g.publicKeyPem), Buffer.from(decodeURIComponent(sig), 'base64'))).toBe(true);
    expect(verify(null, Buffer.from(payload + 'x'), createPublicKey(g.publicKeyPem), Buffer.from(decodeURIComponent(sig), 'base64'))).toBe(false);
  });

  it('values are percent-encoded once, before signing', () => {
    expect(queryString([['a', 'x y'], ['b', '1/2']])).toBe('a=x%20y&b=1%2F2');
  });
});

describe('Bybit', () => {
  it('GET pre-sign string is timestamp + key + recvWindow + query (guide example layout)', () => {
    // https://bybit-exchange.github.io/docs/v5/guide#authentication: "1658384314791XXXXXXXXXX5000category=option&symbol=BTC-29JUL22-25000-C"
    expect(bybitPayload(1658384314791, 'XXXXXXXXXX', 5000, 'category=option&symbol=BTC-29JUL22-25000-C')).toBe('1658384314791XXXXXXXXXX5000category=option&symbol=BTC-29JUL22-25000-C');
  });

  it('HMAC signature is lowercase hex (computed vector)', async () => {
    const sig = await bybitSignature({ algorithm: 'hmac', key: await hmacKey('TEST-SECRET-not-real') }, bybitPayload(1658384314791, 'XXXXXXXXXX', 5000, 'category=linear&settleCoin=USDT'));
    expect(sig).toBe('cce90eed118ae90658b222b438145cae666d14a78c5dcaf5ac16b9c6cb856a3e');
  });

  it('RSA request carries the X-BAPI headers; Node verifies the base64 RSA-SHA256 signature', async () => {
    const g = await generateKeyPair('bybit');
    expect(g.algorithm).toBe('rsa');
    expect(g.privateKey.extractable).toBe(false);
    const req = await bybitRequest({ algorithm: 'rsa', key: g.privateKey, apiKey: 'BK' }, 'https://api.bybit.com/v5/position/list', [['category', 'linear'], ['settleCoin', 'USDT']], 1658384314791);
    expect(req.url).toBe('https://api.bybit.com/v5/position/list?category=linear&settleCoin=USDT');
    expect(req.headers).toMatchObject({ 'X-BAPI-API-KEY': 'BK', 'X-BAPI-TIMESTAMP': '1658384314791', 'X-BAPI-RECV-WINDOW': '5000', 'X-BAPI-SIGN-TYPE': '2' });
    const ok = verify('sha256', Buffer.from('1658384314791BK5000category=linear&settleCoin=USDT'), createPublicKey(g.publicKeyPem), Buffer.from(req.headers['X-BAPI-SIGN']!, 'base64'));
    expect(ok).toBe(true);
  });
});

describe('OKX', () => {
  it('pre-hash is timestamp + METHOD + path?query, signature base64 HMAC (computed vector)', async () => {
    const pre = okxPrehash('2020-12-08T09:08:57.715Z', 'get', '/api/v5/account/positions?instType=SWAP');
    expect(pre).toBe('2020-12-08T09:08:57.715ZGET/api/v5/account/positions?instType=SWAP');
    expect(await okxSignature(await importHmacSecret('TEST-SECRET-not-real'), pre)).toBe('W79umP8uN4/EMXdRZ+cg06IMTPAhIIgHoNDQ+Cd7wkY=');
  });

  it('request carries OK-ACCESS-* with the ISO timestamp; the imported secret cannot be exported', async () => {
    const key = await importHmacSecret('TEST-SECRET-not-real');
    expect(key.extractable).toBe(false);
    await expect(subtle.exportKey('raw', key)).rejects.toThrow();
    const req = await okxRequest({ algorithm: 'hmac', key, apiKey: 'OK', passphrase: 'pp' }, 'https://www.okx.com', '/api/v5/account/positions', [['instType', 'SWAP']], Date.UTC(2020, 11, 8, 9, 8, 57, 715));
    expect(req.url).toBe('https://www.okx.com/api/v5/account/positions?instType=SWAP');
    expect(req.headers).toEqual({ 'OK-ACCESS-KEY': 'OK', 'OK-ACCESS-SIGN': 'W79umP8uN4/EMXdRZ+cg06IMTPAhIIgHoNDQ+Cd7wkY=', 'OK-ACCESS-TIMESTAMP': '2020-12-08T09:08:57.715Z', 'OK-ACCESS-PASSPHRASE': 'pp' });
  });

  it('OKX has no self-generated keys', async () => {
    await expect(generateKeyPair('okx')).rejects.toThrow(/paste the API key/);
  });
});

describe('PEM', () => {
  it('round-trips the Ed25519 SPKI of RFC 8032 and strips header lines', () => {
    const pem = spkiToPem(fromBase64(RFC8032_SPKI));
    expect(pem).toBe(`-----BEGIN PUBLIC KEY-----\n${RFC8032_SPKI}\n-----END PUBLIC KEY-----`);
    expect(pemBody(pem)).toBe(RFC8032_SPKI);
    expect(pemBody(RFC8032_SPKI)).toBe(RFC8032_SPKI);
  });
});
