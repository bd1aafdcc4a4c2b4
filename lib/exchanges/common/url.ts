/**
 * Page detection shared by every exchange's `page.ts`: an exchange page is an `https:` URL on
 * exactly one host whose path matches the exchange's pattern. Look-alike hosts
 * (`www.okx.com.evil.example`), plain `http:` and unparsable text never match.
 */

/**
 * True when `url` is `https://<host><path>` with `pathRe` matching the whole pathname.
 * @param url - absolute URL (string or URL); anything unparsable is `false`.
 * @param host - the exact host name, e.g. `www.binance.com`.
 * @param pathRe - anchored pattern for `URL.pathname` (query and hash are ignored).
 */
export function isHttpsPageOn(url: string | URL, host: string, pathRe: RegExp): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  return u.protocol === 'https:' && u.hostname === host && pathRe.test(u.pathname);
}
