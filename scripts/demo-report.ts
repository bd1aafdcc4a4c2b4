/**
 * The end of a demo run (scripts/demo.ts, scripts/demo-margin.ts): print the notified levels, the
 * screenshots and the checks, then, in a visible browser, keep it open until Ctrl+C or it closes.
 */
import { relative } from 'node:path';
import { ROOT } from '../harness/paths';

export interface DemoReport {
  /** e.g. "Level notifications: 70 %, 80 %". */
  levelsLine: string;
  shots: string[];
  failures: string[];
  /** Printed when every check passed. */
  passed: string;
  visible: boolean;
  /** The browser context; its `close` ends the wait. */
  context: { once(event: 'close', fn: () => void): unknown };
}

export async function reportAndWait(r: DemoReport): Promise<void> {
  process.stdout.write(`\n${r.levelsLine}\n`);
  process.stdout.write(`Screenshots:\n${r.shots.map((s) => `  ${relative(ROOT, s)}`).join('\n')}\n`);
  if (r.failures.length) process.stdout.write(`\nChecks FAILED:\n${r.failures.map((f) => `  - ${f}`).join('\n')}\n`);
  else process.stdout.write(`\nChecks passed: ${r.passed}\n`);
  if (r.visible && process.env.DEMO_EXIT !== '1') {
    process.stdout.write('\nThe browser stays open: Ctrl+C to quit.\n');
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      r.context.once('close', () => resolve());
    });
  }
}
