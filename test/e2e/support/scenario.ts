/** Vitest glue for scenarios (kept apart from harness.ts so scripts/demo.ts can use the harness without Vitest). */
import { afterAll, beforeAll } from 'vitest';
import type { LaunchOptions } from './browser';
import { startHarness, type Harness } from './harness';
import type { StreamHubOptions } from './streams';

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
