/**
 * Sender checks for runtime messages. Pure: the caller passes our extension id and URL.
 */
import { EXCHANGES, type ExchangeId } from '../engine/snapshot';
import { PAGE_HOSTS } from '../exchanges/endpoints';

/** The parts of `runtime.MessageSender` we look at. */
export interface SenderLike {
  id?: string;
  url?: string;
  tab?: { id?: number; windowId?: number; url?: string };
}

/**
 * Why a `page-read` message must be refused, or null to accept it: it must come from our own
 * extension (`sender.id`), from a content script in a tab (`sender.tab`), on the exchange's own
 * page host over https (`sender.url`).
 */
export function contentSenderProblem(sender: SenderLike, exchange: unknown, ourId: string): string | null {
  if (sender.id !== ourId) return `foreign extension id ${String(sender.id)}`;
  if (!sender.tab || typeof sender.tab.id !== 'number') return 'not from a tab';
  if (typeof exchange !== 'string' || !(EXCHANGES as readonly string[]).includes(exchange)) return `unknown exchange ${String(exchange).slice(0, 40)}`;
  let url: URL;
  try {
    url = new URL(sender.url ?? '');
  } catch {
    return 'no sender url';
  }
  if (url.protocol !== 'https:') return `not https: ${url.protocol}`;
  const want = PAGE_HOSTS[exchange as ExchangeId];
  if (url.hostname !== want) return `host ${url.hostname} is not ${want}`;
  return null;
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
  if (!sender || sender.id !== ourId) return `foreign extension id ${String(sender?.id)}`;
  if (!sender.tab || typeof sender.tab.id !== 'number') return 'not from a tab';
  let url: URL;
  try {
    url = new URL(sender.url ?? '');
  } catch {
    return 'no sender url';
  }
  if (url.protocol !== 'https:') return `not https: ${url.protocol}`;
  if (!Object.values(PAGE_HOSTS).includes(url.hostname)) return `host ${url.hostname} is not an exchange page`;
  return null;
}
