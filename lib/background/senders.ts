/**
 * Sender checks for runtime messages. Pure: the caller passes our extension id and URL.
 */
import { EXCHANGES, type ExchangeId } from '../engine/exchanges';
import { PAGE_HOSTS } from '../exchanges/endpoints';

/** The parts of `runtime.MessageSender` we look at. */
export interface SenderLike {
  id?: string;
  url?: string;
  tab?: { id?: number; windowId?: number; url?: string };
}

/**
 * Why `sender` is not one of our content scripts on an https page whose host `hostProblem`
 * accepts (null: accepted). Checked in order: our extension id, a tab, `claimProblem` (what the
 * message claims, e.g. an unknown exchange), an https URL, the host.
 */
function contentScriptProblem(sender: SenderLike | undefined, ourId: string, claimProblem: string | null, hostProblem: (host: string) => string | null): string | null {
  if (!sender || sender.id !== ourId) return `foreign extension id ${String(sender?.id)}`;
  if (!sender.tab || typeof sender.tab.id !== 'number') return 'not from a tab';
  if (claimProblem) return claimProblem;
  let url: URL;
  try {
    url = new URL(sender.url ?? '');
  } catch {
    return 'no sender url';
  }
  if (url.protocol !== 'https:') return `not https: ${url.protocol}`;
  return hostProblem(url.hostname);
}

/**
 * Why a `page-read` message must be refused, or null to accept it: it must come from our own
 * extension (`sender.id`), from a content script in a tab (`sender.tab`), on the exchange's own
 * page host over https (`sender.url`).
 */
export function contentSenderProblem(sender: SenderLike, exchange: unknown, ourId: string): string | null {
  const known = typeof exchange === 'string' && (EXCHANGES as readonly string[]).includes(exchange);
  return contentScriptProblem(sender, ourId, known ? null : `unknown exchange ${String(exchange).slice(0, 40)}`, (host) => {
    const want = PAGE_HOSTS[exchange as ExchangeId];
    return host === want ? null : `host ${host} is not ${want}`;
  });
}

/** True for our own extension pages (popup, options): our id, and no tab or an extension URL. */
export function isExtensionPage(sender: SenderLike, ourId: string, ourOrigin: string): boolean {
  if (sender.id !== ourId) return false;
  if (!sender.tab) return true;
  return typeof sender.url === 'string' && sender.url.startsWith(ourOrigin);
}

/**
 * Why an overlay port (lib/background/overlay-feed.ts) must be refused, or null to accept it:
 * it must be opened by our own extension (`sender.id`) from a content script in a tab
 * (`sender.tab`) on one of the exchange page hosts over https (`sender.url`).
 */
export function overlaySenderProblem(sender: SenderLike | undefined, ourId: string): string | null {
  return contentScriptProblem(sender, ourId, null, (host) => (Object.values(PAGE_HOSTS).includes(host) ? null : `host ${host} is not an exchange page`));
}

/** Why a `margin-read` sender is refused, or null: our id, a tab, https, the Binance margin page host. */
export function marginSenderProblem(sender: SenderLike | undefined, ourId: string, marginHost: string): string | null {
  return contentScriptProblem(sender, ourId, null, (host) => (host === marginHost ? null : `host ${host} is not ${marginHost}`));
}
