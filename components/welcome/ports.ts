/** The welcome page's ports backed by the browser: notification permission and test, host access. */
import { browser } from 'wxt/browser';
import { CONTENT_MATCHES, REST_HOST_PERMISSIONS } from '../../lib/exchanges/meta';
import { browserOptionsPorts } from '../options/ports';
import type { WelcomePorts } from './WelcomeApp';

/** Every origin the extension needs: the trade pages it reads and the public REST hosts. */
const ORIGINS = [...CONTENT_MATCHES, ...REST_HOST_PERMISSIONS];

export function browserWelcomePorts(): WelcomePorts {
  const options = browserOptionsPorts();
  return {
    permissionLevel: () => options.permissionLevel(),
    sendTest: () => options.sendTest(),
    // Firefox MV3 lets the user withhold host access (about:addons → Permissions); Chrome grants it at install.
    hostAccess: () => browser.permissions.contains({ origins: ORIGINS }),
    requestHostAccess: () => browser.permissions.request({ origins: ORIGINS }),
    optionsUrl: browser.runtime.getURL('/options.html'),
  };
}
