// Checks the built manifests: Firefox gets its gecko id, Chrome does not, and both ask for no
// more than README "Privacy" promises: storage, notifications, alarms; offscreen only as an
// optional Chrome permission (sound is opt-in); Binance's API hosts only as optional hosts (the read-only
// API connection is opt-in); no external messaging; content scripts on https only.
import { readFileSync } from 'node:fs';

const ALLOWED = new Set(['storage', 'notifications', 'alarms']);
const OPTIONAL = new Set(['offscreen']);
// The read-only API connection (opt-in, issue 18): Binance's account-API hosts, optional, requested at connect
// time (Chrome: optional_host_permissions; Firefox MV2: inside optional_permissions).
const OPTIONAL_API_HOSTS = new Set(['https://api.binance.com/*', 'https://fapi.binance.com/*']);
const fail = (msg) => { console.error(`manifest check: ${msg}`); process.exit(1); };

const chrome = JSON.parse(readFileSync('.output/chrome-mv3/manifest.json', 'utf8'));
const firefox = JSON.parse(readFileSync('.output/firefox-mv2/manifest.json', 'utf8'));

for (const [name, m] of [['chrome-mv3', chrome], ['firefox-mv2', firefox]]) {
  for (const p of m.permissions ?? []) {
    if (!ALLOWED.has(p) && !/^https:\/\//.test(p)) fail(`${name} asks for unexpected permission ${p}`);
  }
  for (const p of m.optional_permissions ?? []) {
    const ok = name === 'chrome-mv3' ? OPTIONAL.has(p) : OPTIONAL_API_HOSTS.has(p);
    if (!ok) fail(`${name} asks for unexpected optional permission ${p}`);
  }
  for (const p of m.optional_host_permissions ?? []) {
    if (!OPTIONAL_API_HOSTS.has(p)) fail(`${name} asks for unexpected optional host permission ${p}`);
  }
  for (const cs of m.content_scripts ?? []) {
    for (const p of cs.matches) if (!p.startsWith('https://')) fail(`${name} content script runs on ${p} (https only)`);
  }
}
const ec = chrome.externally_connectable;
if (!ec || JSON.stringify(ec.ids) !== '[]' || JSON.stringify(ec.matches) !== '[]' || Object.keys(ec).length !== 2) {
  fail(`chrome externally_connectable must be explicitly empty, got ${JSON.stringify(ec)}`);
}
if (chrome.browser_specific_settings) fail('chrome manifest carries browser_specific_settings');
if (!firefox.browser_specific_settings?.gecko?.id) fail('firefox manifest lacks browser_specific_settings.gecko.id');
if (chrome.manifest_version !== 3) fail('chrome manifest is not MV3');
console.log(
  `manifests ok: chrome-mv3 ${JSON.stringify(chrome.permissions)} optional ${JSON.stringify(chrome.optional_permissions ?? [])}, ` +
    `firefox-mv2 gecko id ${firefox.browser_specific_settings.gecko.id}`,
);
