import { describe, expect, it } from 'vitest';
import { registerFirstRun, WELCOME_PAGE, type FirstRunApi } from '../../lib/background/first-run';

function fakeApi() {
  const listeners: ((d: { reason: string }) => void)[] = [];
  const opened: string[] = [];
  const api: FirstRunApi = {
    runtime: { onInstalled: { addListener: (fn) => void listeners.push(fn) }, getURL: (p) => `chrome-extension://abc${p}` },
    tabs: { create: async ({ url }) => void opened.push(url) },
  };
  return { api, opened, fire: async (reason: string) => { listeners.forEach((l) => l({ reason })); await Promise.resolve(); } };
}

describe('first run', () => {
  it('opens the welcome page on install, once', async () => {
    const f = fakeApi();
    registerFirstRun(f.api);
    await f.fire('install');
    expect(f.opened).toEqual([`chrome-extension://abc${WELCOME_PAGE}`]);
  });
  it('opens nothing on update, browser update or shared-module update', async () => {
    const f = fakeApi();
    registerFirstRun(f.api);
    for (const r of ['update', 'browser_update', 'chrome_update', 'shared_module_update']) await f.fire(r);
    expect(f.opened).toEqual([]);
  });
  it('a tab that cannot be opened is not an unhandled rejection', async () => {
    const f = fakeApi();
    f.api.tabs.create = () => Promise.reject(new Error('no window'));
    registerFirstRun(f.api);
    await expect(f.fire('install')).resolves.toBeUndefined();
  });
});
