/**
 * Public REST responses (tier tables, Hyperliquid account state): one way to fetch them and
 * one way to validate them, so every source fails with the same kind of message, naming the
 * endpoint and the first invalid field. Background only (valibot; never in a content script).
 */
import * as v from 'valibot';

/**
 * Request options of every public REST call: no cookies or HTTP auth (`credentials: 'omit'`: the
 * user's exchange session must never ride along, and no answer may depend on it) and no
 * `Referer` (`referrerPolicy: 'no-referrer'`). README "Privacy".
 */
export const PUBLIC_REQUEST: Readonly<Pick<RequestInit, 'credentials' | 'referrerPolicy'>> = { credentials: 'omit', referrerPolicy: 'no-referrer' };

/**
 * Fetch `url` and return its JSON body, with {@link PUBLIC_REQUEST}'s options. With `body`, a
 * `POST` with that JSON body (the Binance and Hyperliquid info endpoints); without, a `GET`.
 * @param what - names the endpoint in errors, e.g. `bybit risk-limit BTCUSDT`.
 * @throws Error `<what>: HTTP <status>` on a non-2xx answer; the fetch's own error when the request fails.
 */
export async function fetchJson(fetchFn: typeof fetch, url: string, what: string, body?: unknown): Promise<unknown> {
  const res = await fetchFn(
    url,
    body === undefined ? { ...PUBLIC_REQUEST } : { ...PUBLIC_REQUEST, method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
  );
  if (!res.ok) throw new Error(`${what}: HTTP ${res.status}`);
  return res.json();
}

/**
 * Validate a response with its schema.
 * @throws Error `<what>: <first issue>` (valibot's summary of it, naming the field path).
 */
export function parseResponse<const S extends v.GenericSchema>(schema: S, raw: unknown, what: string): v.InferOutput<S> {
  const r = v.safeParse(schema, raw);
  if (!r.success) throw new Error(`${what}: ${v.summarize(r.issues).split('\n')[0]}`);
  return r.output;
}
