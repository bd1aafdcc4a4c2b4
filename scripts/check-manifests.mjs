#!/usr/bin/env node
// Checks the built manifests (default: .output/chrome-mv3 and .output/firefox-mv3) or, with
// `--zips`, the store packages `npm run zip` made (.output/*-chrome.zip for the Chrome Web Store,
// *-firefox.zip and *-sources.zip for AMO), reading each manifest from inside its zip:
// - both ask for no more than README "Privacy" promises: storage, notifications, alarms; offscreen
//   only as an optional Chrome permission (sound is opt-in); no external messaging; content scripts
//   on https only; MV3;
// - Firefox: a real add-on id (no placeholder), strict_min_version ≥ 140.0 (storage.session,
//   data_collection_permissions), data_collection_permissions `none` (nothing leaves the machine);
//   an event-page background (Firefox has no MV3 service worker);
// - icons at 16, 24, 32, 48, 96 and 128 px, each a PNG of that size present in the package;
// - the AMO sources zip has what a reviewer needs to rebuild (package.json, lock file, wxt.config.ts,
//   the sources) and no key or certificate.
// Node built-ins only (scripts/read-zip.mjs).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readZip } from './read-zip.mjs';

const ALLOWED = new Set(['storage', 'notifications', 'alarms']);
const OPTIONAL = new Set(['offscreen']);
// The read-only API connection (opt-in, issue 18): Binance's account-API hosts, optional host
// permissions on both browsers (both MV3), requested at connect time.
const OPTIONAL_API_HOSTS = new Set(['https://api.binance.com/*', 'https://fapi.binance.com/*']);
const ICON_SIZES = [16, 24, 32, 48, 96, 128];
const MIN_FIREFOX = [140, 0];
const OUT = process.env.MS_OUTPUT_DIR ?? '.output'; // tests point it at a doctored copy
const problems = [];
const fail = (msg) => problems.push(msg);

/** A package: its manifest and a way to read any file in it. */
function fromDir(dir) {
  if (!existsSync(join(dir, 'manifest.json'))) throw new Error(`${dir}/manifest.json missing: build first`);
  return { where: dir, read: (f) => (existsSync(join(dir, f)) ? readFileSync(join(dir, f)) : null) };
}
function fromZip(suffix) {
  const name = existsSync(OUT) ? readdirSync(OUT).find((f) => f.endsWith(`-${suffix}.zip`)) : undefined;
  if (!name) throw new Error(`${OUT}/*-${suffix}.zip missing: run npm run zip`);
  const files = readZip(readFileSync(join(OUT, name)));
  return { where: join(OUT, name), read: (f) => files.get(f.replace(/^\//, '')) ?? null, files };
}

function pngSize(buf) {
  if (!buf || buf.length < 24 || buf.readUInt32BE(0) !== 0x89504e47) return null;
  return [buf.readUInt32BE(16), buf.readUInt32BE(20)];
}

function versionAtLeast(v, min) {
  const parts = String(v ?? '').split('.').map(Number);
  for (let i = 0; i < min.length; i++) {
    if ((parts[i] ?? 0) !== min[i]) return (parts[i] ?? 0) > min[i];
  }
  return true;
}

function check(name, pkg) {
  const raw = pkg.read('manifest.json');
  if (!raw) return fail(`${pkg.where}: no manifest.json`);
  const m = JSON.parse(raw.toString('utf8'));
  if (m.manifest_version !== 3) fail(`${name}: manifest_version ${m.manifest_version}, expected 3`);
  for (const p of m.permissions ?? []) if (!ALLOWED.has(p)) fail(`${name} asks for unexpected permission ${p}`);
  for (const p of m.host_permissions ?? []) if (!/^https:\/\/[a-z0-9.-]+\/\*$/.test(p)) fail(`${name} host permission ${p} is not one https host`);
  for (const p of m.optional_permissions ?? []) if (name !== 'chrome' || !OPTIONAL.has(p)) fail(`${name} asks for unexpected optional permission ${p}`);
  for (const p of m.optional_host_permissions ?? []) if (!OPTIONAL_API_HOSTS.has(p)) fail(`${name} asks for unexpected optional host permission ${p}`);
  for (const cs of m.content_scripts ?? []) for (const p of cs.matches) if (!p.startsWith('https://')) fail(`${name} content script runs on ${p} (https only)`);
  for (const size of ICON_SIZES) {
    const file = m.icons?.[size];
    if (!file) {
      fail(`${name}: no ${size} px icon in manifest.icons`);
      continue;
    }
    const dim = pngSize(pkg.read(file));
    if (!dim) fail(`${name}: icon ${file} missing or not a PNG`);
    else if (dim[0] !== size || dim[1] !== size) fail(`${name}: icon ${file} is ${dim.join('×')}, expected ${size}×${size}`);
  }
  if (name === 'chrome') {
    const ec = m.externally_connectable;
    if (!ec || JSON.stringify(ec.ids) !== '[]' || JSON.stringify(ec.matches) !== '[]' || Object.keys(ec).length !== 2) {
      fail(`chrome externally_connectable must be explicitly empty, got ${JSON.stringify(ec)}`);
    }
    if (m.browser_specific_settings) fail('chrome manifest carries browser_specific_settings');
    if (!m.background?.service_worker) fail('chrome manifest has no background.service_worker');
  } else {
    const g = m.browser_specific_settings?.gecko;
    if (!g?.id) fail('firefox manifest lacks browser_specific_settings.gecko.id');
    else if (/example|\.invalid$|\.test$|\.local$/i.test(g.id) || !/^([\w.+-]+@[a-z0-9.-]+\.[a-z]{2,}|\{[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\})$/i.test(g.id)) {
      fail(`firefox gecko id ${g.id} is a placeholder or malformed (AMO wants user@domain or a {GUID})`);
    }
    if (!versionAtLeast(g?.strict_min_version, MIN_FIREFOX)) fail(`firefox strict_min_version ${g?.strict_min_version} < ${MIN_FIREFOX.join('.')} (storage.session, data_collection_permissions)`);
    if (JSON.stringify(g?.data_collection_permissions) !== JSON.stringify({ required: ['none'] })) {
      fail(`firefox data_collection_permissions ${JSON.stringify(g?.data_collection_permissions)}, README "Privacy" says none`);
    }
    if (!m.background?.scripts?.length || m.background.service_worker) fail('firefox background must be an event page (background.scripts), not a service worker');
    if (m.externally_connectable) fail('firefox manifest carries externally_connectable (Chrome only)');
  }
  return m;
}

const zips = process.argv.includes('--zips');
try {
  const chromePkg = zips ? fromZip('chrome') : fromDir(join(OUT, 'chrome-mv3'));
  const firefoxPkg = zips ? fromZip('firefox') : fromDir(join(OUT, 'firefox-mv3'));
  const chrome = check('chrome', chromePkg);
  const firefox = check('firefox', firefoxPkg);
  if (zips) {
    const sources = fromZip('sources');
    for (const f of ['package.json', 'package-lock.json', 'wxt.config.ts', 'tsconfig.json', 'entrypoints/background.ts', 'README.md']) {
      if (!sources.files.has(f)) fail(`${sources.where} lacks ${f} (AMO reviewers rebuild from it)`);
    }
    for (const f of sources.files.keys()) if (/\.(pem|key|p12|crt)$|(^|\/)\.env/.test(f)) fail(`${sources.where} contains ${f}`);
  }
  if (problems.length) {
    for (const p of problems) console.error(`manifest check: ${p}`);
    process.exit(1);
  }
  console.log(
    `manifests ok (${zips ? 'store zips' : 'builds'}): chrome ${JSON.stringify(chrome.permissions)} optional ${JSON.stringify(chrome.optional_permissions ?? [])}, ` +
      `firefox gecko id ${firefox.browser_specific_settings.gecko.id} min ${firefox.browser_specific_settings.gecko.strict_min_version}, icons ${ICON_SIZES.join('/')}`,
  );
} catch (e) {
  console.error(`manifest check: ${e.message}`);
  process.exit(1);
}
