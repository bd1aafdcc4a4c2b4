import { defineConfig } from 'wxt';
import preact from '@preact/preset-vite';
import { CONTENT_MATCHES, REST_HOST_PERMISSIONS } from './lib/exchanges/meta';
import { API_HOST_PERMISSIONS } from './lib/api/exchanges';

// Optional read-only API connection (issue 18): the exchanges' account-API hosts not already
// listed above, requested from the options page when the trader connects (lib/api/exchanges.ts).
const OPTIONAL_API_HOSTS = [...new Set(Object.values(API_HOST_PERMISSIONS).flat())].filter((h) => !REST_HOST_PERMISSIONS.includes(h));

// Least privilege (README "Privacy"; test/hardening/manifest.test.ts checks the built manifests):
// content scripts only on the https futures/trade pages the readers support, host permissions only
// for the public REST origins, all from the one exchange table lib/exchanges/meta.ts.
/**
 * Firefox add-on id (AMO): fixed forever once published; the e2e harness and the update channel key on it.
 * strict_min_version 140.0: `storage.session` needs 115, MV3 `background.scripts` event pages 109,
 * `data_collection_permissions` (AMO's required data-consent key) 140 (Firefox 140 ESR is the oldest ESR
 * that has all of them). Firefox for Android is not a target (no toolbar popup there).
 */
const GECKO_ID = 'margin-sentinel@margin-sentinel.app';
const GECKO_MIN_VERSION = '140.0';

export default defineConfig({
  modules: ['@wxt-dev/webextension-polyfill'],
  // MV3 everywhere, Firefox included (WXT defaults Firefox to MV2): Firefox ESR 140+ runs MV3 with
  // background event pages, action, host_permissions, storage.session and alarms, which is all
  // the extension uses; one manifest shape keeps one permission story. docs/install.md, README.
  manifestVersion: 3,
  manifest: ({ browser }) => ({
    name: 'Margin Sentinel',
    description: 'Margin ratio, liquidation prices and early alerts for crypto futures cross-margin accounts.',
    permissions: ['storage', 'notifications', 'alarms'],
    // offscreen: Chrome only, to play the critical-alert sound (Firefox has no offscreen API).
    // Optional: requested from the options page when the user turns sound on.
    ...(browser !== 'firefox' && { optional_permissions: ['offscreen'] }),
    // Background fetches of public tier tables / Hyperliquid info (lib/exchanges/meta.ts restOrigin).
    // WebSocket streams need no host permission in MV3.
    host_permissions: [...REST_HOST_PERMISSIONS],
    // Both browsers are MV3: optional host patterns go in optional_host_permissions.
    optional_host_permissions: OPTIONAL_API_HOSTS,
    // Chrome: no other extension and no web page may message us (absent, every extension could).
    ...(browser !== 'firefox' && { externally_connectable: { ids: [], matches: [] } }),
    ...(browser === 'firefox' && {
      browser_specific_settings: {
        // data_collection_permissions: nothing leaves the machine but public market-data
        // subscriptions (README "Privacy"), so AMO's consent list is `none`.
        gecko: { id: GECKO_ID, strict_min_version: GECKO_MIN_VERSION, data_collection_permissions: { required: ['none'] } },
        // Not a target, but AMO's linter checks it: data_collection_permissions needs 142 on Android.
        gecko_android: { strict_min_version: '142.0' },
      },
    }),
  }),
  vite: () => ({
    plugins: [preact()],
  }),
  hooks: {
    // Content scripts run inside busy exchange pages: they use only runtime.sendMessage/connect/id,
    // which Chrome MV3 and Firefox both offer natively with promises, so they take WXT's plain
    // `browser` (globalThis.browser ?? chrome) instead of webextension-polyfill (≈ 2.7 KB gzip).
    // Extension pages and the service worker keep the polyfill.
    'vite:build:extendConfig': (entrypoints, config) => {
      if (!entrypoints.every((e) => e.type === 'content-script')) return;
      const alias = config.resolve?.alias;
      const plain = { find: /^wxt\/browser$/, replacement: '@wxt-dev/browser' };
      config.resolve = { ...config.resolve, alias: Array.isArray(alias) ? [plain, ...alias] : [plain, ...Object.entries(alias ?? {}).map(([find, replacement]) => ({ find, replacement: String(replacement) }))] };
    },
  },
  zip: {
    // AMO rebuilds from the sources zip: tests, harness, benchmarks and screenshots are not part of the build.
    excludeSources: ['test/**', 'e2e-artifacts/**', 'test-artifacts/**', 'bench/**', 'harness/**', 'docs/**/*.png'],
  },
});
