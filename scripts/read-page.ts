/**
 * Read a saved exchange page from the command line:
 *
 *   npm run -s read-page -- URL FILE.html
 *
 * Prints `{ "snapshot": AccountSnapshot | null, "health": ReaderHealth }` as JSON.
 * The URL picks the reader (and is the page's location, for its locale). The DOM is built
 * with happy-dom; no script on the page runs and nothing is fetched.
 * Exit codes: 0 read done (whatever the health status), 2 bad usage, unknown URL or unreadable file.
 */
import { readFileSync } from 'node:fs';
import { Window } from 'happy-dom';
import { pageFor } from '../lib/exchanges/pages';

function fail(message: string): never {
  process.stderr.write(`read-page: ${message}\n`);
  process.exit(2);
}

const [url, file, ...rest] = process.argv.slice(2);
if (!url || !file || rest.length) fail('usage: npm run -s read-page -- URL FILE.html');
const page = pageFor(url);
if (!page) fail(`no reader for URL ${url} (expected a Binance USDⓈ-M, Bybit USDT, OKX swap or Hyperliquid trade page)`);
let html: string;
try {
  html = readFileSync(file, 'utf8');
} catch (e) {
  fail(`cannot read ${file}: ${(e as Error).message}`);
}
const window = new Window({
  url,
  settings: { disableJavaScriptEvaluation: true, disableJavaScriptFileLoading: true, disableCSSFileLoading: true, navigation: { disableChildPageNavigation: true } },
});
const doc = new window.DOMParser().parseFromString(html, 'text/html');
const { snapshot, health } = page.read(doc as unknown as Document, url);
process.stdout.write(`${JSON.stringify({ snapshot, health }, null, 2)}\n`);
await window.happyDOM.close();
