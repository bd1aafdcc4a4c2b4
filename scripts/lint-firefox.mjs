#!/usr/bin/env node
// AMO's linter on the Firefox store package: unpacks .output/*-firefox.zip (what `npm run zip`
// made, exactly what would be uploaded) into a temp dir and runs `web-ext lint` (addons-linter)
// on it. Exits 1 on any error; prints the warnings (known ones: Preact's innerHTML code path,
// README "Firefox").
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { readZip } from './read-zip.mjs';

const name = readdirSync('.output').find((f) => f.endsWith('-firefox.zip'));
if (!name) {
  console.error('lint-firefox: .output/*-firefox.zip missing: run npm run zip');
  process.exit(1);
}
const dir = mkdtempSync(join(tmpdir(), 'ms-amo-lint-'));
try {
  for (const [f, data] of readZip(readFileSync(join('.output', name)))) {
    mkdirSync(dirname(join(dir, f)), { recursive: true });
    writeFileSync(join(dir, f), data);
  }
  let out;
  try {
    out = execFileSync('npx', ['web-ext', 'lint', '--source-dir', dir, '--output', 'json', '--self-hosted=false', '--no-config-discovery'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    out = e.stdout; // web-ext exits non-zero when there are errors; the JSON says which
  }
  const r = JSON.parse(out);
  for (const kind of ['errors', 'warnings', 'notices']) for (const m of r[kind]) console.log(`${kind.slice(0, -1)}: ${m.code} ${m.file ?? ''}: ${m.message}`);
  console.log(`web-ext lint ${name}: ${r.summary.errors} errors, ${r.summary.warnings} warnings, ${r.summary.notices} notices`);
  if (r.summary.errors > 0) process.exit(1);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
