/**
 * The worker's message dispatch: one handler per message type of lib/protocol (typed by
 * {@link RuntimeProtocol}), each behind its sender rule. Anything else is refused with
 * `{ ok: false, error }`; messages from a sender the rule refuses are counted for diagnostics.
 */
import { isMessageType, SENDER_RULES, type MessageType, type ReplyOf, type RuntimeProtocol } from '../protocol';
import { handleStress, handleWhatIf } from './analysis';
import { handleApiConnection, type ApiAccounts } from './api-accounts';
import type { MarginWatch } from './margin-watch';
import type { Monitor } from './monitor';
import { isExtensionPage, type SenderLike } from './senders';

/** What a handler may use besides the message. */
export interface DispatchContext {
  monitor: Monitor;
  /** The spot margin monitor (absent: margin reads are refused). */
  margin?: MarginWatch;
  /** Our extension id and origin (`chrome-extension://<id>/`), for the sender rules. */
  extensionId: string;
  extensionOrigin: string;
  /** Show the options page's test notification; resolves to its id. */
  testNotification: () => Promise<string>;
  /** The optional read-only API connections (./api-accounts.ts), when the worker runs them. */
  apiAccounts?: ApiAccounts;
}

type Handler<K extends MessageType> = (msg: unknown, sender: SenderLike, ctx: DispatchContext) => Promise<ReplyOf<K>> | ReplyOf<K>;

/**
 * One handler per message type. The `page-read` handler runs its own sender check (it needs the
 * exchange the message names); the others are checked here by {@link SENDER_RULES} first. Each
 * handler validates its message (valibot, in the worker).
 */
export const HANDLERS: { readonly [K in MessageType]: Handler<K> } = {
  'page-read': (msg, sender, ctx) => ctx.monitor.handlePageRead(msg, sender),
  'margin-read': (msg, sender, ctx) => (ctx.margin ? ctx.margin.handleRead(msg, sender) : { ok: false, error: 'spot margin monitoring is not running' }),
  'what-if': (msg, _sender, ctx) => handleWhatIf(ctx.monitor, msg),
  stress: (msg, _sender, ctx) => handleStress(ctx.monitor, msg),
  'test-notification': async (_msg, _sender, ctx) => ({ ok: true, id: await ctx.testNotification() }),
  'api-connection': (msg, _sender, ctx) => (ctx.apiAccounts ? handleApiConnection(ctx.apiAccounts, msg) : { ok: false, error: 'API connections are not available' }),
};

/** Route one runtime message through {@link HANDLERS}. Never throws for a bad message. */
export async function dispatch(msg: unknown, sender: SenderLike, ctx: DispatchContext): Promise<RuntimeProtocol[MessageType]['reply'] | { ok: false; error: string }> {
  const type = (msg as { type?: unknown } | null)?.type;
  if (!isMessageType(type)) {
    if (!isExtensionPage(sender, ctx.extensionId, ctx.extensionOrigin)) {
      await ctx.monitor.countRejectedSender(`${String(type).slice(0, 40)} from ${sender.url ?? sender.id ?? 'unknown sender'}`);
      return { ok: false, error: 'unknown sender' };
    }
    return { ok: false, error: `unknown message type ${String(type).slice(0, 40)}` };
  }
  if (SENDER_RULES[type] === 'extension-page' && !isExtensionPage(sender, ctx.extensionId, ctx.extensionOrigin)) {
    await ctx.monitor.countRejectedSender(`${type} from ${sender.url ?? sender.id ?? 'unknown sender'}`);
    return { ok: false, error: 'unknown sender' };
  }
  return (HANDLERS[type] as Handler<typeof type>)(msg, sender, ctx);
}
