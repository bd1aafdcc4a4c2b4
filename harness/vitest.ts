/**
 * Vitest glue for the e2e scenarios (test/e2e/). Only test files import this module: the rest
 * of harness/ stays free of Vitest so `npm run demo` and `npm run bench` can use it.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { LaunchOptions } from './browser';
import { readBadge, type Badge } from './extension';
import { landedParts, type Parts } from './parts';
import { startHarness, type Harness } from './start';
import type { StreamHubOptions } from './streams';

export { landedParts, type Parts };

/**
 * One fresh harness (new server, new browser profile) for the enclosing `describe`:
 * `const h = useHarness();` then `h().b`, `h().server` inside tests.
 */
export function useHarness(opts: LaunchOptions & StreamHubOptions = {}): () => Harness {
  let h: Harness | undefined;
  beforeAll(async () => {
    h = await startHarness(opts);
  });
  afterAll(async () => {
    await h?.close();
  });
  return () => {
    if (!h) throw new Error('harness not started');
    return h;
  };
}

/**
 * Register a scenario as a real test when its product parts have landed, and as a clearly
 * named `it.todo` (never a passing stub) when they have not: `it(name, fn)` when every part in
 * `needs` has landed, else `it.todo("name [waiting for: …]")`.
 */
export function itWhen(needs: (keyof Parts)[], name: string, fn: () => Promise<void> | void, timeoutMs?: number): void {
  const parts = landedParts();
  const missing = needs.filter((n) => !parts[n]);
  if (missing.length) it.todo(`${name} [waiting for: ${missing.join(', ')}]`);
  else it(name, fn, timeoutMs);
}

/** Poll the global toolbar badge (5 s) until it equals `want` (text and RGBA colour). */
export async function expectBadge(h: Harness, want: Badge): Promise<void> {
  await expect.poll(() => readBadge(h.b.sw()), { timeout: 5000 }).toEqual(want);
}
