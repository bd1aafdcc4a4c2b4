import { defineConfig } from 'wxt';
import preact from '@preact/preset-vite';

// Exchange pages the content scripts run on, and the public market-data hosts the
// background may talk to. Nothing else: see README "Privacy" and test/manifest.test.ts.
export const EXCHANGE_PAGE_MATCHES = [
  '*://www.binance.com/*',
  '*://www.bybit.com/*',
  '*://www.okx.com/*',
  '*://app.hyperliquid.xyz/*',
];

export default defineConfig({
  modules: ['@wxt-dev/webextension-polyfill'],
  manifest: ({ browser }) => ({
    name: 'Margin Sentinel',
    description: 'Margin ratio, liquidation prices and early alerts for crypto futures cross-margin accounts.',
    // offscreen: Chrome only, to play the critical-alert sound (Firefox has no offscreen API).
    permissions: ['storage', 'notifications', 'alarms', ...(browser === 'firefox' ? [] : ['offscreen'])],
    // Background fetches of public tier tables / Hyperliquid info (lib/exchanges/endpoints.ts REST_ORIGINS).
    // WebSocket streams need no host permission in MV3.
    host_permissions: ['https://www.binance.com/*', 'https://api.bybit.com/*', 'https://www.okx.com/*', 'https://api.hyperliquid.xyz/*'],
    ...(browser === 'firefox' && {
      browser_specific_settings: {
        gecko: { id: 'margin-sentinel@example.invalid', data_collection_permissions: { required: ['none'] } },
      },
    }),
  }),
  vite: () => ({
    plugins: [preact()],
  }),
  zip: {
    excludeSources: ['test/**', 'e2e-artifacts/**', 'test-artifacts/**', 'bench/**'],
  },
});
