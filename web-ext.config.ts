import { defineWebExtConfig } from 'wxt';

// Headless/sandboxed machines: never let `wxt` (dev mode) try to launch a browser.
export default defineWebExtConfig({ disabled: true });
