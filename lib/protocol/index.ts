/**
 * The extension's message contract in one place: every runtime message (its request, its reply,
 * and who may send it) and every port. The worker dispatches through a table keyed by this map
 * (lib/background/dispatch.ts); clients send through {@link sendTyped}, so a request and its reply
 * type cannot drift apart.
 *
 * | type | sent by | request | reply |
 * |---|---|---|---|
 * | `page-read` | our content script on the exchange's own https page host | {@link PageReadMessage} | {@link PageReadReply} |
 * | `margin-read` | our spot margin content script on https://www.binance.com | {@link MarginReadMessage} | {@link MarginReadReply} |
 * | `what-if` | our extension pages (popup) | {@link WhatIfMessage} | {@link WhatIfReply} |
 * | `stress` | our extension pages (popup) | {@link StressMessage} | {@link StressReply} |
 * | `test-notification` | our extension pages (options) | `{ type }` | {@link TestNotificationReply} |
 * | `api-connection` | our extension pages (options) | {@link ApiConnectionMessage} | {@link ApiConnectionReply} |
 * | `play-alert-sound` | the worker, to the offscreen document only | `ALERT_SOUND_MESSAGE` (./sound.ts) | `{ ok }` |
 *
 * Ports: `ms-overlay` (./overlay-feed.ts), opened by our content scripts on exchange page hosts.
 *
 * Shapes are checked where they are received, with valibot, in the worker only (./schemas.ts and
 * ./analysis.ts): content scripts and the popup import types from here, never a schema.
 */
import type { PageReadMessage, PageReadReply } from './page-read';
import type { MarginReadMessage, MarginReadReply } from './margin-read';
import type { StressMessage, StressReply, WhatIfMessage, WhatIfReply } from './analysis';
import type { ApiExchange } from '../api/exchanges';
import type { ApiConnectionStatus } from '../storage/api-status';

export type { PageReadMessage, PageReadReply } from './page-read';
export type { MarginReadMessage, MarginReadReply } from './margin-read';
export type { AnalysisFailure, FundingLine, StressMessage, StressReply, WhatIfMessage, WhatIfReply } from './analysis';

/**
 * Options page → worker, for the optional read-only API connection (issue 18): `check` runs the
 * read-only gate (and a first read when it passes); `remove` forgets the key and its account.
 * The key itself is written to IndexedDB by the options page; no key material is in the message.
 */
export interface ApiConnectionMessage {
  type: 'api-connection';
  action: 'check' | 'remove';
  exchange: ApiExchange;
}
export type ApiConnectionReply = { ok: true; status: ApiConnectionStatus | null } | { ok: false; error: string };

/** Reply to `test-notification`: the id of the notification shown. */
export type TestNotificationReply = { ok: true; id: string } | { ok: false; error: string };

/**
 * Who may send a message: `content-script` = our extension id, from a tab, over https, on the
 * page host of the exchange the message names (lib/background/senders.ts `contentSenderProblem`);
 * `extension-page` = our extension id, and no tab or our own extension URL (`isExtensionPage`).
 */
export type SenderRule = 'content-script' | 'extension-page';

/** Every runtime message the worker answers: request, reply, sender rule. */
export interface RuntimeProtocol {
  'page-read': { request: PageReadMessage; reply: PageReadReply; from: 'content-script' };
  'margin-read': { request: MarginReadMessage; reply: MarginReadReply; from: 'content-script' };
  'what-if': { request: WhatIfMessage; reply: WhatIfReply; from: 'extension-page' };
  stress: { request: StressMessage; reply: StressReply; from: 'extension-page' };
  'test-notification': { request: { type: 'test-notification' }; reply: TestNotificationReply; from: 'extension-page' };
  'api-connection': { request: ApiConnectionMessage; reply: ApiConnectionReply; from: 'extension-page' };
}

export type MessageType = keyof RuntimeProtocol;
export type RequestOf<K extends MessageType> = RuntimeProtocol[K]['request'];
export type ReplyOf<K extends MessageType> = RuntimeProtocol[K]['reply'];

/** The sender rule of each message type (the worker refuses and counts any other sender). */
export const SENDER_RULES: { readonly [K in MessageType]: RuntimeProtocol[K]['from'] } = {
  'page-read': 'content-script',
  'margin-read': 'content-script',
  'what-if': 'extension-page',
  stress: 'extension-page',
  'test-notification': 'extension-page',
  'api-connection': 'extension-page',
};

/** True when `type` names a message of {@link RuntimeProtocol}. */
export function isMessageType(type: unknown): type is MessageType {
  return typeof type === 'string' && Object.prototype.hasOwnProperty.call(SENDER_RULES, type);
}

/**
 * Send `msg` with `send` (`browser.runtime.sendMessage`) and type the reply by the message's type.
 * The reply is what the worker answered, unchecked: callers that render it check its shape
 * (e.g. components/popup/background.ts). Rejects as `send` does (worker unreachable).
 */
export async function sendTyped<K extends MessageType>(send: (m: unknown) => Promise<unknown>, msg: RequestOf<K> & { type: K }): Promise<ReplyOf<K> | undefined> {
  return (await send(msg)) as ReplyOf<K> | undefined;
}
