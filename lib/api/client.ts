/**
 * One signed call to an exchange's account API: `fetch` without cookies or referrer (the user's
 * exchange web session never rides along), the answer parsed as JSON, and failures sorted into
 * {@link ApiError} kinds the connection logic acts on:
 *
 * - `rate-limit`: HTTP 429 or 418 (Binance IP ban); `retryAfterMs` from `Retry-After` (seconds),
 *   at least 60 s (418: at least 2 min). Binance: "repeatedly violating rate limits … will result in
 *   an automated IP ban (HTTP status 418)"; https://developers.binance.com/docs/derivatives/usds-margined-futures/general-info.
 *   Bybit answers 403 "access too frequent" to IP overuse and wants ≥ 10 min
 *   (https://bybit-exchange.github.io/docs/v5/rate-limit), sorted here as `rate-limit` too when the body says so.
 * - `auth`: 401/403 or the exchanges' key/signature codes (Binance -2015/-1022/-2014, Bybit 10003/10004/10005, OKX 50111–50113/50105).
 * - `clock`: the timestamp is outside the exchange's window (Binance -1021, Bybit 10002, OKX 50102/50112 "timestamp"):
 *   the caller syncs with the exchange's server time and retries once.
 * - `http` / `network` / `format`: anything else.
 */
import type { SignedRequest } from './sign';

export type ApiErrorKind = 'rate-limit' | 'auth' | 'clock' | 'http' | 'network' | 'format' | 'exchange';

export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly kind: ApiErrorKind,
    message: string,
    readonly retryAfterMs: number | null = null,
    readonly code: string | null = null,
  ) {
    super(message);
  }
}

/** Request options of every private call (same rules as the public REST: README "Privacy"). */
export const PRIVATE_REQUEST: Readonly<Pick<RequestInit, 'credentials' | 'referrerPolicy' | 'cache'>> = { credentials: 'omit', referrerPolicy: 'no-referrer', cache: 'no-store' };

const AUTH_CODES = new Set(['-2015', '-2014', '-1022', '10003', '10004', '10005', '50111', '50113', '50105', '50100']);
/** Timestamp outside the receive window. */
export const CLOCK_CODES = new Set(['-1021', '10002', '50102', '50112']);

function kindOf(code: string | null, fallback: ApiErrorKind): ApiErrorKind {
  if (code !== null && CLOCK_CODES.has(code)) return 'clock';
  if (code !== null && AUTH_CODES.has(code)) return 'auth';
  return fallback;
}

function errorCodeOf(body: unknown): { code: string | null; msg: string | null } {
  if (typeof body !== 'object' || body === null) return { code: null, msg: null };
  const b = body as Record<string, unknown>;
  const code = b.code ?? b.retCode;
  const msg = b.msg ?? b.retMsg;
  return { code: code === undefined || code === null ? null : String(code), msg: typeof msg === 'string' ? msg.slice(0, 200) : null };
}

/**
 * Send `req` and return its JSON body.
 * @param what names the endpoint in errors, e.g. `binance apiRestrictions`.
 * @param observe sees every response first (rate-limit headers such as Binance's `X-MBX-USED-WEIGHT-1M`).
 * @throws {ApiError} as sorted above.
 */
export async function callApi(fetchFn: typeof fetch, req: SignedRequest, what: string, observe?: (res: Response) => void): Promise<unknown> {
  let res: Response;
  try {
    res = await fetchFn(req.url, { ...PRIVATE_REQUEST, method: req.method, headers: req.headers });
  } catch (e) {
    throw new ApiError('network', `${what}: ${e instanceof Error ? e.message : String(e)}`);
  }
  observe?.(res);
  const text = await res.text().catch(() => '');
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  const { code, msg } = errorCodeOf(body);
  if (res.status === 429 || res.status === 418 || (res.status === 403 && /too frequent/i.test(text))) {
    const header = Number(res.headers.get('retry-after'));
    const floor = res.status === 418 ? 120_000 : res.status === 403 ? 600_000 : 60_000;
    const retry = Math.max(floor, Number.isFinite(header) && header > 0 ? header * 1000 : 0);
    throw new ApiError('rate-limit', `${what}: HTTP ${res.status} (rate limit); waiting ${Math.round(retry / 1000)} s`, retry, code);
  }
  if (!res.ok) {
    const kind = kindOf(code, res.status === 401 || res.status === 403 ? 'auth' : 'http');
    throw new ApiError(kind, `${what}: HTTP ${res.status}${code !== null ? ` code ${code}` : ''}${msg ? ` (${msg})` : ''}`, null, code);
  }
  if (body === null) throw new ApiError('format', `${what}: the answer is not JSON`);
  return body;
}

/** An exchange-level failure inside a 200 answer (Bybit `retCode`, OKX `code`). */
export function exchangeError(what: string, code: string, msg: string): ApiError {
  return new ApiError(kindOf(code, code === '10006' || code === '50011' ? 'rate-limit' : 'exchange'), `${what}: code ${code}${msg ? ` (${msg.slice(0, 200)})` : ''}`, code === '10006' || code === '50011' ? 60_000 : null, code);
}
