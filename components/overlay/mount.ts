/**
 * Keep the overlay on the page for as long as the extension runs, whatever the page does: re-mount
 * it when the page removes its host element (a re-render of `<body>`, a script removing unknown
 * nodes) and when WXT removes it on a context invalidation the page triggered (a forged
 * "content script started" event: the runtime is still there); remove it for good only when the
 * extension runtime is really gone. Kept free of WXT and browser APIs so it can be tested.
 */

export interface KeepMountedDeps {
  /** Whether the overlay's host element is in the page. */
  isMounted(): boolean;
  /** Mount the overlay (WXT `ui.mount()`). */
  mount(): void;
  /** Remove the overlay (WXT `ui.remove()`). */
  remove(): void;
  /** Whether the extension runtime is still there (`browser.runtime?.id != null`); false if asking throws. */
  alive(): boolean;
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(id: unknown): void;
  /** How often to check (ms). Default 1 000. */
  pollMs?: number;
}

export interface MountKeeper {
  /**
   * For WXT's `ctx.onInvalidated` (registered after `createShadowRootUi`, whose own listener has
   * removed the overlay by then): re-mount while the runtime is there, else stop.
   * @returns whether the overlay is (still) mounted.
   */
  invalidated(): boolean;
  /** Stop checking and remove the overlay. Idempotent. */
  stop(): void;
  /** Times the overlay was mounted again (diagnostics, tests). */
  readonly remounts: number;
}

/** Start keeping the (already mounted) overlay on the page. */
export function keepMounted(d: KeepMountedDeps): MountKeeper {
  let remounts = 0;
  let timer: unknown = null;
  const alive = (): boolean => {
    try {
      return d.alive();
    } catch {
      return false;
    }
  };
  const stop = (): void => {
    if (timer !== null) d.clearInterval(timer);
    timer = null;
    d.remove();
  };
  const ensure = (): boolean => {
    if (!alive()) {
      stop();
      return false;
    }
    if (!d.isMounted()) {
      d.mount();
      remounts++;
    }
    return true;
  };
  timer = d.setInterval(() => void ensure(), d.pollMs ?? 1_000);
  return {
    invalidated: () => timer !== null && ensure(),
    stop,
    get remounts() {
      return remounts;
    },
  };
}
