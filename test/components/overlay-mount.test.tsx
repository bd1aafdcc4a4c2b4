// @vitest-environment happy-dom
/**
 * The overlay content script against a hostile page (issue 12 item 10), run for real on WXT's
 * ContentScriptContext and fake browser: a closed shadow root, no extension id posted to the page,
 * re-mounted when the page removes it or forges WXT's "content script started" event, removed only
 * when the extension runtime is gone. Plus the keeper and the page-account filter on their own.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { ContentScriptContext } from 'wxt/utils/content-script-context';
import overlay from '../../entrypoints/overlay.content';
import content from '../../entrypoints/content';
import { keepMounted } from '../../components/overlay/mount';
import { pageAccounts } from '../../components/overlay/OverlayRoot';
import type { OverlayAccount } from '../../lib/protocol/overlay-feed';

/** The event name WXT's context listens for (private static, read at run time). */
const STARTED = (ContentScriptContext as unknown as { SCRIPT_STARTED_MESSAGE_TYPE: string }).SCRIPT_STARTED_MESSAGE_TYPE;
/** What a page script can do once it knows our extension id: announce a "newer" content script. */
const forgeStarted = (name: string) => document.dispatchEvent(new CustomEvent(STARTED, { detail: { contentScriptName: name, messageId: 'from-the-page' } }));
const host = () => document.querySelector('margin-sentinel-overlay');

describe('both content scripts post nothing to the page', () => {
  it.each([
    ['content', content],
    ['overlay', overlay],
  ] as const)('%s: noScriptStartedPostMessage, and no message carries our extension id', (name, def) => {
    expect(def.noScriptStartedPostMessage).toBe(true);
    const posted = vi.spyOn(window, 'postMessage');
    const ctx = new ContentScriptContext(name, def);
    expect(posted).not.toHaveBeenCalled();
    ctx.abort();
  });
});

describe('overlay content script on a hostile page', () => {
  let ctx: ContentScriptContext | null = null;
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'] });
    document.body.innerHTML = '<div id="app">exchange</div>';
  });
  afterEach(() => {
    ctx?.abort();
    vi.useRealTimers();
    fakeBrowser.reset();
  });

  async function start(): Promise<ContentScriptContext> {
    ctx = new ContentScriptContext('overlay', overlay);
    vi.spyOn(console, 'warn').mockImplementation(() => {}); // the UI's CSS cannot be fetched here
    await overlay.main(ctx);
    return ctx;
  }

  it('mounts in a closed shadow root: the page cannot reach its contents', async () => {
    await start();
    expect(host()).not.toBeNull();
    expect(host()!.shadowRoot).toBeNull();
  });

  it('a forged "content script started" event does not take it off the page while the runtime is there', async () => {
    const c = await start();
    forgeStarted('overlay');
    expect(c.signal.aborted).toBe(true); // WXT believed the page
    expect(host()?.isConnected).toBe(true); // … and we put the overlay back at once
  });

  it('the page removing the host element: mounted again within a second', async () => {
    await start();
    host()!.remove();
    expect(host()).toBeNull();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(host()?.isConnected).toBe(true);
  });

  it('the runtime gone (extension reloaded or removed): removed for good', async () => {
    await start();
    vi.spyOn(fakeBrowser.runtime, 'id', 'get').mockReturnValue(undefined as unknown as string);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(host()).toBeNull();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(host()).toBeNull();
  });
});

describe('keepMounted', () => {
  function fake(aliveNow = true) {
    const s = { mounted: true, alive: aliveNow, mounts: 0, removes: 0, tick: null as null | (() => void), cleared: false };
    const k = keepMounted({
      isMounted: () => s.mounted,
      mount: () => ((s.mounted = true), s.mounts++),
      remove: () => ((s.mounted = false), s.removes++),
      alive: () => s.alive,
      setInterval: (fn) => ((s.tick = fn), 1),
      clearInterval: () => void (s.cleared = true),
    });
    return { s, k };
  }

  it('re-mounts on invalidation while alive; stops and removes when the runtime is gone', () => {
    const { s, k } = fake();
    s.mounted = false; // WXT removed it on the invalidation
    expect(k.invalidated()).toBe(true);
    expect(s.mounts).toBe(1);
    s.alive = false;
    expect(k.invalidated()).toBe(false);
    expect(s.removes).toBe(1);
    expect(s.cleared).toBe(true);
  });

  it('a runtime check that throws counts as gone', () => {
    const { s, k } = fake();
    Object.defineProperty(s, 'alive', { get: () => { throw new Error('Extension context invalidated.'); } });
    s.tick!();
    expect(s.removes).toBe(1);
    expect(k.remounts).toBe(0);
  });
});

describe('the overlay shows the account of its page', () => {
  const acct = (key: string) => ({ badge: { key }, status: {} }) as unknown as OverlayAccount;
  const msg = { type: 'overlay-feed' as const, accounts: [acct('binance-usdm'), acct('binance-usdm:uid:1')], placement: { corner: 'bottom-right', collapsed: false } as never };
  it('only the page account when the feed names it', () => {
    expect(pageAccounts({ ...msg, pageAccount: 'binance-usdm:uid:1' }).map((a) => a.badge.key)).toEqual(['binance-usdm:uid:1']);
  });
  it('every account when the feed names none, or one it does not carry (never a blank badge)', () => {
    expect(pageAccounts(msg)).toHaveLength(2);
    expect(pageAccounts({ ...msg, pageAccount: 'okx' })).toHaveLength(2);
  });
});
