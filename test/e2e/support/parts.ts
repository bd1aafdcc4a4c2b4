/**
 * Register a scenario as a real test when its product parts have landed, and as a clearly
 * named `it.todo` (never a passing stub) when they have not.
 */
import { it } from 'vitest';
import { landedParts, type Parts } from './parts-detect';

export { landedParts, type Parts };

/** `it(name, fn)` when every part in `needs` has landed, else `it.todo("name [waiting for: …]")`. */
export function itWhen(needs: (keyof Parts)[], name: string, fn: () => Promise<void> | void, timeoutMs?: number): void {
  const parts = landedParts();
  const missing = needs.filter((n) => !parts[n]);
  if (missing.length) it.todo(`${name} [waiting for: ${missing.join(', ')}]`);
  else it(name, fn, timeoutMs);
}
