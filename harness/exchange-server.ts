/**
 * One loopback HTTPS server (127.0.0.1, ephemeral port) that stands in for every exchange
 * host: futures pages on the page hosts, public mark-price WebSockets (wss, `ws` noServer
 * upgrades) on the stream hosts. Requests are routed by their Host header; Chromium reaches
 * it through `--host-resolver-rules` (see browser.ts), so pages load at their real URLs and
 * the extension's stream code connects to its real endpoints.
 */
import { SpotHub, SPOT_STREAM_HOST } from './spot-stream';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeRunCert } from './cert';
import { ALL_HOSTS, EXCHANGE_PAGES, PAGE_HOSTS, STREAM_HOSTS, hostOf, type StreamExchange } from './hosts';
import { E2E_FIXTURES_DIR } from './paths';
import { HARNESS_EVENT_PATH, HARNESS_HOST, type SpyEvent } from './instrument';
import { StreamHub, type StreamHubOptions } from './streams';

/** What a page host answers for a request: HTML, or a full response. */
export type PageHandler = (req: IncomingMessage, url: URL) => { status?: number; type?: string; body: string } | string;

/** A public REST endpoint: JSON out (status 200 unless given). */
export type ApiHandler = (url: URL, req: IncomingMessage) => { status?: number; json: unknown } | unknown;

export interface RequestLogEntry {
  host: string;
  path: string;
  upgrade: boolean;
  at: number;
}

export interface ExchangeServer {
  /** Loopback port the server listens on; every mapped host points here. */
  port: number;
  /** The mark-price stream stand-in (setMark, drop, refuse, received…). */
  streams: StreamHub;
  /** Binance's public spot stream (stream.binance.com), pricing spot margin accounts. */
  spot: SpotHub;
  /** base64 SPKI hash of this run's certificate (for Chromium's spki allow-list). */
  spkiHash: string;
  /** Every request and upgrade, in order (harness spy reports excluded). */
  requests: RequestLogEntry[];
  /** Extension API calls reported by the service-worker spy (instrument.ts), in arrival order. */
  spyEvents: SpyEvent[];
  /** Every host name the browser must resolve to this server. */
  hosts: string[];
  /**
   * Serve a public REST endpoint on an exchange host (`host` + exact `pathname`, any query),
   * e.g. OKX position tiers on www.okx.com. Takes precedence over the page.
   */
  setApi(host: string, pathname: string, handler: ApiHandler): void;
  /** Replace what a page host serves (for every path). */
  setPage(host: string, handler: PageHandler | string): void;
  /** Serve the original fixture page of `exchange` again. */
  resetPage(exchange: StreamExchange): void;
  close(): Promise<void>;
}

/** The committed fixture page HTML for an exchange (test/fixtures/pages). */
export function fixtureHtml(exchange: StreamExchange): string {
  return readFileSync(join(E2E_FIXTURES_DIR, 'pages', EXCHANGE_PAGES[exchange].fixture), 'utf8');
}

/** Wrap a fixture fragment into a full document so the page has a title and a charset. */
function asDocument(html: string, title: string): string {
  if (/<html[\s>]/i.test(html)) return html;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body>\n${html}\n</body></html>`;
}

export async function startExchangeServer(opts: StreamHubOptions & { port?: number } = {}): Promise<ExchangeServer> {
  const hosts = [...ALL_HOSTS, SPOT_STREAM_HOST, HARNESS_HOST];
  const spot = new SpotHub();
  const cert = makeRunCert(hosts);
  const spyEvents: SpyEvent[] = [];
  const streams = new StreamHub(opts);
  const requests: RequestLogEntry[] = [];
  const pages = new Map<string, PageHandler | string>();
  const apis = new Map<string, ApiHandler>(); // `${host}${pathname}`
  const pageExchange = new Map<string, StreamExchange>(
    (Object.entries(PAGE_HOSTS) as [StreamExchange, string][]).map(([ex, host]) => [host, ex]),
  );
  const streamExchange = new Map<string, StreamExchange>(
    (Object.entries(STREAM_HOSTS) as [StreamExchange, string][]).map(([ex, host]) => [host, ex]),
  );
  const resetPage = (ex: StreamExchange) => pages.set(PAGE_HOSTS[ex], asDocument(fixtureHtml(ex), `${ex} futures (e2e fixture)`));
  for (const ex of pageExchange.values()) resetPage(ex);

  const server: Server = createServer({ key: cert.key, cert: cert.cert }, (req: IncomingMessage, res: ServerResponse) => {
    const host = hostOf(req.headers.host);
    if (host === HARNESS_HOST) return harnessRequest(req, res, spyEvents);
    requests.push({ host, path: req.url ?? '/', upgrade: false, at: Date.now() });
    const url = new URL(req.url ?? '/', `https://${host}`);
    const api = apis.get(`${host}${url.pathname}`);
    if (api) {
      const out = api(url, req) as { status?: number; json?: unknown };
      const wrapped = out && typeof out === 'object' && 'json' in out;
      res.writeHead(wrapped ? (out.status ?? 200) : 200, { 'content-type': 'application/json', 'access-control-allow-origin': '*' });
      res.end(JSON.stringify(wrapped ? out.json : out));
      return;
    }
    const page = pages.get(host);
    if (!page) {
      res.writeHead(streamExchange.has(host) ? 426 : 421, { 'content-type': 'text/plain' });
      res.end(streamExchange.has(host) ? 'WebSocket upgrade required' : `unknown host ${host}`);
      return;
    }
    if (url.pathname === '/favicon.ico') {
      res.writeHead(404).end();
      return;
    }
    if (typeof page === 'string' && !(req.headers.accept ?? '').includes('text/html')) {
      // A static page host answers navigations only; API calls (tier tables…) get the 404 an
      // unknown endpoint would, so the extension takes its documented fallback.
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"code":404,"msg":"not served by the e2e harness"}');
      return;
    }
    const out = typeof page === 'string' ? page : page(req, url);
    const r = typeof out === 'string' ? { body: out } : out;
    res.writeHead(r.status ?? 200, { 'content-type': r.type ?? 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(r.body);
  });
  server.on('upgrade', (req, socket, head) => {
    const host = hostOf(req.headers.host);
    requests.push({ host, path: req.url ?? '/', upgrade: true, at: Date.now() });
    if (host === SPOT_STREAM_HOST) {
      spot.handleUpgrade(req, socket, head);
      return;
    }
    const ex = streamExchange.get(host);
    if (!ex) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    streams.handleUpgrade(ex, req, socket, head);
  });
  // Browsers keep idle TLS connections; don't let them hold close() open.
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    port,
    streams,
    spot,
    spkiHash: cert.spkiHash,
    requests,
    spyEvents,
    hosts,
    setApi: (host, pathname, handler) => void apis.set(`${host}${pathname}`, handler),
    setPage: (host, handler) => void pages.set(host, handler),
    resetPage,
    close: async () => {
      streams.close();
      spot.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

function harnessRequest(req: IncomingMessage, res: ServerResponse, spyEvents: SpyEvent[]): void {
  if (req.method === 'GET' && req.url === '/') {
    // A neutral page for harness CDP sessions (no content script matches this host).
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><title>e2e harness</title>');
    return;
  }
  if (req.method !== 'POST' || req.url !== HARNESS_EVENT_PATH) {
    res.writeHead(404).end();
    return;
  }
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (chunk: string) => (body += chunk));
  req.on('end', () => {
    try {
      spyEvents.push(JSON.parse(body) as SpyEvent);
    } catch {
      /* a malformed report is a harness bug; the worker-side log still has it */
    }
    res.writeHead(204, { 'access-control-allow-origin': '*' }).end();
  });
}
