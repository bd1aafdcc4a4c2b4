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
export default defineConfig({
  modules: ['@wxt-dev/webextension-polyfill'],
  manifest: ({ browser }) => ({
    name: 'Margin Sentinel',
    description: 'Margin ratio, liquidation prices and early alerts for crypto futures cross-margin accounts.',
    permissions: ['storage', 'notifications', 'alarms'],
    // offscreen: Chrome only, to play the critical-alert sound (Firefox has no offscreen API).
    // Optional: requested from the options page when the user turns sound on.
    ...(browser !== 'firefox' ? { optional_permissions: ['offscreen'] } : { optional_permissions: OPTIONAL_API_HOSTS }),
    // Background fetches of public tier tables / Hyperliquid info (lib/exchanges/meta.ts restOrigin).
    // WebSocket streams need no host permission in MV3.
    host_permissions: [...REST_HOST_PERMISSIONS],
    // MV3: optional_host_permissions; MV2 (Firefox) takes host patterns in optional_permissions.
    ...(browser !== 'firefox' ? { optional_host_permissions: OPTIONAL_API_HOSTS } : {}),
    // Chrome: no other extension and no web page may message us (absent, every extension could).
    ...(browser !== 'firefox' && { externally_connectable: { ids: [], matches: [] } }),
    ...(browser === 'firefox' && {
      browser_specific_settings: {
        gecko: { id: 'margin-sentinel@example.invalid', data_collection_permissions: { required: ['none'] } },
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
    excludeSources: ['test/**', 'e2e-artifacts/**', 'test-artifacts/**', 'bench/**', 'harness/**'],
  },
});
