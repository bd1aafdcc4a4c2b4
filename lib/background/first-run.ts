/**
 * First run: when the extension is installed (not on update or browser restart), open the welcome
 * page (entrypoints/welcome): notification check and test, host access where Firefox lets the
 * user withhold it, the supported pages with links. Register synchronously at worker start
 * (MV3 delivers `onInstalled` only to listeners added in the first turn).
 * https://developer.chrome.com/docs/extensions/reference/api/runtime#event-onInstalled
 */

/** Path of the welcome page in the build. */
export const WELCOME_PAGE = '/welcome.html';

/** The parts of the browser API first run uses (injectable for tests). */
export interface FirstRunApi {
  runtime: {
    onInstalled: { addListener(fn: (details: { reason: string; temporary?: boolean }) => void): void };
    getURL(path: string): string;
  };
  tabs: { create(p: { url: string }): Promise<unknown> };
}

/**
 * Open the welcome page once, on install (reason `install`); updates and browser updates open nothing.
 * A tab that cannot be created is logged and ignored (the toolbar popup still works).
 */
export function registerFirstRun(api: FirstRunApi): void {
  api.runtime.onInstalled.addListener(({ reason }) => {
    if (reason !== 'install') return;
    api.tabs.create({ url: api.runtime.getURL(WELCOME_PAGE) }).catch((e) => console.warn('[first-run] could not open the welcome page', e));
  });
}
