// Checks the built manifests: Firefox gets its gecko id, Chrome does not, and both ask
// for no more than the permissions the README promises.
import { readFileSync } from 'node:fs';

const ALLOWED = new Set(['storage', 'notifications', 'alarms', 'offscreen']);
const fail = (msg) => { console.error(`manifest check: ${msg}`); process.exit(1); };

const chrome = JSON.parse(readFileSync('.output/chrome-mv3/manifest.json', 'utf8'));
const firefox = JSON.parse(readFileSync('.output/firefox-mv2/manifest.json', 'utf8'));

for (const [name, m] of [['chrome-mv3', chrome], ['firefox-mv2', firefox]]) {
  for (const p of m.permissions ?? []) {
    if (!ALLOWED.has(p) && !/^(https?|wss?|\*):\/\//.test(p)) fail(`${name} asks for unexpected permission ${p}`);
  }
}
if (chrome.browser_specific_settings) fail('chrome manifest carries browser_specific_settings');
if (!firefox.browser_specific_settings?.gecko?.id) fail('firefox manifest lacks browser_specific_settings.gecko.id');
if (chrome.manifest_version !== 3) fail('chrome manifest is not MV3');
console.log(`manifests ok: chrome-mv3 ${JSON.stringify(chrome.permissions)}, firefox-mv2 gecko id ${firefox.browser_specific_settings.gecko.id}`);
