/**
 * `npm run -s risk -- FILE.json [--scenario SCENARIO.json] [--tiers TIERS.json] [--instruments INSTRUMENTS.json]`
 *
 * Reads an account snapshot (FILE `-` = stdin) and prints the engine's risk result as JSON.
 * With --scenario, prints `{ before, after, deltas, snapshot }` instead.
 * A spot-margin snapshot (`"kind": "spot-margin"`, Binance Cross or Isolated Margin) is evaluated by
 * the spot-margin engine (margin level, thresholds, liquidation prices); its scenarios take the moves
 * repay / transfer-in / borrow / set-price / shift-price, and --tiers does not apply.
 * Tier tables: the bundled defaults for the snapshot's exchange, overlaid by --tiers (a JSON
 * array of TierTable or an object keyed by symbol) when given. Instrument specs (tick sizes, for
 * `liquidationPriceDisplayed`): the bundled ones of the exchange, overlaid by --instruments (an object
 * symbol → `{ tickSize, significantFigures?, source, asOf }`) when given.
 * Exit codes: 0 ok; 2 invalid input (the message names the field); 1 anything else.
 */
import { readFileSync } from 'node:fs';
import {
  evaluate,
  evaluateSpotMargin,
  isSpotMarginInput,
  parseSnapshot,
  spotMarginWhatIf,
  whatIf,
  SnapshotError,
  ScenarioError,
  SpotMarginScenarioError,
  type TierTable,
} from '../lib/engine';
import type { InstrumentSpec } from '../lib/engine/instruments';
import { bundledInstruments } from '../lib/exchanges/instruments';
import { defaultTierTables } from '../lib/exchanges/tiers';

class UsageError extends Error {}

function readJson(path: string, what: string): unknown {
  let text: string;
  try {
    text = path === '-' ? readFileSync(0, 'utf8') : readFileSync(path, 'utf8');
  } catch (e) {
    throw new UsageError(`${what}: cannot read ${path}: ${(e as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${what}: ${path} is not valid JSON: ${(e as Error).message}`);
  }
}

function main(argv: string[]): number {
  let file: string | undefined;
  let scenarioFile: string | undefined;
  let tiersFile: string | undefined;
  let instrumentsFile: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--scenario') scenarioFile = argv[++i];
    else if (a === '--tiers') tiersFile = argv[++i];
    else if (a === '--instruments') instrumentsFile = argv[++i];
    else if (a === '-h' || a === '--help') {
      process.stdout.write('usage: npm run -s risk -- FILE.json|- [--scenario SCENARIO.json] [--tiers TIERS.json] [--instruments INSTRUMENTS.json]\n');
      return 0;
    } else if (file === undefined) file = a;
    else throw new UsageError(`unexpected argument ${a}`);
  }
  if (file === undefined) throw new UsageError('usage: npm run -s risk -- FILE.json|- [--scenario SCENARIO.json]');
  if (argv.includes('--scenario') && !scenarioFile) throw new UsageError('--scenario needs a file');
  const input = readJson(file, 'snapshot');
  if (isSpotMarginInput(input)) {
    if (tiersFile) throw new UsageError('--tiers does not apply to a spot-margin snapshot');
    const result = scenarioFile ? spotMarginWhatIf(input, readJson(scenarioFile, 'scenario')) : evaluateSpotMargin(input);
    process.stdout.write(JSON.stringify(result, null, 2) + '\n');
    return 0;
  }
  const snapshot = parseSnapshot(input);
  const tables: Record<string, TierTable> = { ...defaultTierTables(snapshot.exchange) };
  if (tiersFile) {
    const extra = readJson(tiersFile, 'tiers') as TierTable[] | Record<string, TierTable>;
    for (const t of Array.isArray(extra) ? extra : Object.values(extra)) tables[t.symbol] = t;
  }
  const instruments: Record<string, InstrumentSpec> = { ...bundledInstruments(snapshot.exchange) };
  if (instrumentsFile) Object.assign(instruments, readJson(instrumentsFile, 'instruments') as Record<string, InstrumentSpec>);
  const result = scenarioFile
    ? whatIf(snapshot, readJson(scenarioFile, 'scenario'), tables)
    : evaluate(snapshot, tables, { instruments });
  process.stdout.write(JSON.stringify(result, null, 2) + '\n');
  return 0;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (e) {
  if (e instanceof SnapshotError) {
    process.stderr.write(`invalid snapshot: ${e.message}\n`);
    process.exitCode = 2;
  } else if (e instanceof ScenarioError || e instanceof SpotMarginScenarioError) {
    process.stderr.write(`invalid scenario: ${e.message}\n`);
    process.exitCode = 2;
  } else if (e instanceof UsageError) {
    process.stderr.write(`${e.message}\n`);
    process.exitCode = 2;
  } else {
    process.stderr.write(`risk: ${(e as Error).stack ?? String(e)}\n`);
    process.exitCode = 1;
  }
}
