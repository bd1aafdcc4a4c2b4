/**
 * `notifications.create` options for the browser the extension runs in.
 *
 * Chrome: `requireInteraction` keeps a top alert on screen until dismissed, `priority` 0…2.
 * Firefox: its schema (toolkit/components/extensions/schemas/notifications.json, Firefox 140–153)
 * has no `requireInteraction` and no `silent`: an unknown property makes `notifications.create`
 * reject ("Type error for parameter options … Unexpected property"), so the alert would never
 * show and, staying in the outbox, be retried on every evaluation. Those keys are left out there;
 * `priority` is accepted (and ignored by the OS alert service). How long a Firefox notification
 * stays is the OS's choice (docs/install.md, "Troubleshooting").
 * Sources: https://developer.mozilla.org/en-US/docs/Mozilla/Add-ons/WebExtensions/API/notifications/NotificationOptions
 * https://developer.chrome.com/docs/extensions/reference/api/notifications#type-NotificationOptions
 */
import type { NotificationText } from '../alerts/text';

/** Browsers with different notification options. */
export type NotificationBrowser = 'chrome' | 'firefox';

/** Options for `notifications.create` (type `basic`). */
export interface BasicNotificationOptions {
  type: 'basic';
  iconUrl: string;
  title: string;
  message: string;
  priority: 0 | 1 | 2;
  /** Chrome only. */
  requireInteraction?: boolean;
}

/** The browser this build targets (WXT sets `import.meta.env.BROWSER` at build time; `chrome` for Edge/Opera builds too). */
export function buildBrowser(): NotificationBrowser {
  return import.meta.env.BROWSER === 'firefox' ? 'firefox' : 'chrome';
}

/**
 * Options for a basic notification showing `t` with icon `iconUrl` (a data: or extension URL).
 * @param t title, message, requireInteraction (Chrome only), priority 0…2
 * @param target the browser (default: the build's)
 * @returns options only with keys `target` accepts
 */
export function notificationOptions(
  t: Pick<NotificationText, 'title' | 'message' | 'priority'> & { requireInteraction?: boolean },
  iconUrl: string,
  target: NotificationBrowser = buildBrowser(),
): BasicNotificationOptions {
  const base: BasicNotificationOptions = { type: 'basic', iconUrl, title: t.title, message: t.message, priority: t.priority };
  if (target === 'firefox' || t.requireInteraction === undefined) return base;
  return { ...base, requireInteraction: t.requireInteraction };
}
