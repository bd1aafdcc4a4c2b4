/**
 * The harness spy, prepended to the extension's service worker in the per-run copy.
 *
 * It is the sw.evaluate spy of stack.md §5, installed before the extension's own code runs,
 * so it also sees what a freshly restarted worker does in its first milliseconds (a
 * `sw.evaluate` after the restart could come too late to catch a repeated notification).
 * It wraps `chrome.notifications.create/update/clear` and `chrome.action.setBadgeText/
 * setBadgeBackgroundColor` (calling the originals unchanged), adds a passive
 * `runtime.onMessage` / `runtime.onConnect` listener (never responds, so the extension's own
 * listeners answer as before) to see content-script messages arrive, and reports each event:
 * - in the worker, on `globalThis.__e2e.events` (for sw.evaluate);
 * - to the harness server (POST https://e2e-harness.test/__e2e/event, loopback through the
 *   host mapping), which keeps the log across worker restarts.
 * It touches no extension storage and changes no behaviour.
 */

/** Host the spy reports to; mapped to the loopback exchange server like the exchange hosts. */
export const HARNESS_HOST = 'e2e-harness.test';
export const HARNESS_EVENT_PATH = '/__e2e/event';

/** One recorded extension API call. */
export interface SpyEvent {
  kind:
    | 'worker-start'
    | 'notifications.create'
    | 'notifications.update'
    | 'notifications.clear'
    | 'action.setBadgeText'
    | 'action.setBadgeBackgroundColor'
    /** args: [message, sender] */
    | 'runtime.onMessage'
    /** args: [port name, sender] */
    | 'runtime.onConnect'
    /** args: [message, port name, sender] */
    | 'port.onMessage'
    /** A Web Audio oscillator started in the background (Firefox harness, harness/firefox.ts); args: [frequency Hz, context state]. */
    | 'audio.tone';
  /** ms epoch in the worker. */
  at: number;
  /** Start time of the worker instance that made the call (identifies restarts). */
  worker: number;
  /** Call arguments without callbacks; `sender` is `{ url, tabId, frameId }`. */
  args: unknown[];
}

/**
 * JS source of the preamble. Plain ES2020, no imports.
 * @param opts.namespaces extension API globals to wrap (default `chrome`; Firefox also `browser`,
 *   a separate object there that the polyfill passes through). Each distinct object is wrapped once;
 *   the passive listeners go on the first one present.
 */
export function spyPreamble(opts: { namespaces?: ('chrome' | 'browser')[] } = {}): string {
  const namespaces = opts.namespaces ?? ['chrome'];
  const url = `https://${HARNESS_HOST}${HARNESS_EVENT_PATH}`;
  return `;(() => {
  /* e2e harness spy (harness/instrument.ts); present only in the e2e copy of the build. */
  const g = globalThis;
  if (g.__e2e) return;
  const worker = Date.now();
  const rec = (g.__e2e = { worker, events: [] });
  const report = (kind, args) => {
    const ev = { kind, at: Date.now(), worker, args: args.filter((a) => typeof a !== 'function') };
    rec.events.push(ev);
    try {
      fetch(${JSON.stringify(url)}, { method: 'POST', mode: 'no-cors', body: JSON.stringify(ev) }).catch(() => {});
    } catch (e) {}
  };
  const wrap = (ns, name, kind) => {
    if (!ns || typeof ns[name] !== 'function') return;
    const orig = ns[name];
    ns[name] = function (...args) { report(kind, args); return orig.apply(this, args); };
  };
  const spaces = [];
  for (const name of ${JSON.stringify(namespaces)}) if (g[name] && !spaces.includes(g[name])) spaces.push(g[name]);
  for (const c of spaces) {
    wrap(c.notifications, 'create', 'notifications.create');
    wrap(c.notifications, 'update', 'notifications.update');
    wrap(c.notifications, 'clear', 'notifications.clear');
    wrap(c.action, 'setBadgeText', 'action.setBadgeText');
    wrap(c.action, 'setBadgeBackgroundColor', 'action.setBadgeBackgroundColor');
  }
  const c = spaces[0];
  if (c) {
    const who = (s) => ({ url: s && s.url, tabId: s && s.tab ? s.tab.id : undefined, frameId: s && s.frameId });
    if (c.runtime && c.runtime.onMessage) c.runtime.onMessage.addListener((m, s) => { report('runtime.onMessage', [m, who(s)]); });
    if (c.runtime && c.runtime.onConnect) c.runtime.onConnect.addListener((port) => {
      report('runtime.onConnect', [port.name, who(port.sender)]);
      port.onMessage.addListener((m) => { report('port.onMessage', [m, port.name, who(port.sender)]); });
    });
  }
  report('worker-start', []);
})();`;
}

/** Options object of a notifications.create call (`create(options)` or `create(id, options)`). */
export function notificationOptions(ev: SpyEvent): { title?: string; message?: string; [k: string]: unknown } {
  const o = ev.args.find((a) => typeof a === 'object' && a !== null);
  return (o ?? {}) as { title?: string; message?: string };
}
