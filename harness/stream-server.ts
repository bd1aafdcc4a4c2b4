/**
 * A loopback server speaking the four exchanges' public mark-price stream formats (as in
 * reference exchange-pages.md §6), one port, one path per exchange, laid out the way
 * lib/exchanges/endpoints.ts composes URLs under an override origin:
 *
 *   ws://127.0.0.1:PORT/binance-usdm/market/stream?streams=btcusdt@markPrice@1s   (combined pushes, SUBSCRIBE)
 *   ws://127.0.0.1:PORT/binance-coinm/stream?streams=btcusd_perp@markPrice@1s
 *   ws://127.0.0.1:PORT/bybit/v5/public/linear      (op subscribe/ping; snapshot then markPrice deltas)
 *   ws://127.0.0.1:PORT/okx/ws/v5/public            (op subscribe; plain "ping" → "pong")
 *   ws://127.0.0.1:PORT/hyperliquid/ws              (method subscribe/ping; activeAssetCtx pushes)
 *   ws://127.0.0.1:PORT/binance-spot/stream?streams=btcusdt@miniTicker   (spot margin prices: 24hrMiniTicker pushes, SUBSCRIBE)
 *
 * Plain HTTP on the same port serves whatever {@link StreamServer.setRest} registered (tier
 * endpoints, Hyperliquid info), so `endpointOverride = { stream: origin, rest: httpOrigin }`
 * points the whole extension here. Used by unit tests, the benchmark and the end-to-end harness.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { StreamSource } from '../lib/exchanges/common/stream';

/** Exchanges and the spot price source (`binance-spot`) this server speaks. */
type ExchangeId = StreamSource;
import { spotStreamUrl, streamUrl } from '../lib/exchanges/endpoints';

export interface ReceivedFrame {
  exchange: ExchangeId;
  data: string;
  at: number;
}

export interface StreamServer {
  /** `ws://127.0.0.1:PORT` (use as `endpointOverride.stream`). */
  origin: string;
  /** `http://127.0.0.1:PORT` (use as `endpointOverride.rest`). */
  httpOrigin: string;
  port: number;
  /** Stream URL for an exchange (no query), exactly as the extension composes it under the override. */
  url(exchange: ExchangeId): string;
  /**
   * Set a mark price and push it now to every client subscribed to the symbol (stream spelling:
   * `BTCUSDT`, `BTC-USDT-SWAP`, `BTC`). `time` defaults to Date.now(). Returns the number of frames sent.
   */
  setMark(exchange: ExchangeId, symbol: string, price: string, time?: number): number;
  /** Send a raw text frame to every client of an exchange (garbage, old messages…). */
  sendRaw(exchange: ExchangeId, text: string): number;
  /** Terminate every open connection (abrupt server drop). */
  drop(): void;
  /** Refuse new WebSocket connections for `ms` (HTTP 503 on upgrade). */
  refuse(ms: number): void;
  /** Stop answering keepalive pings (to test pong timeouts); `true` again to resume. */
  answerPings(on: boolean): void;
  /** Serve JSON on `GET|POST /<exchange><path>` (query ignored unless `match` is given). */
  setRest(exchange: ExchangeId, path: string, body: unknown, opts?: { status?: number; match?: (url: URL, body: string) => boolean }): void;
  /** Forget every mark and REST route, and drop all connections (between tests). */
  reset(): void;
  /** Open connections per exchange. */
  connections(exchange: ExchangeId): number;
  /** Subscribed stream symbols per exchange (union over connections). */
  subscriptions(exchange: ExchangeId): string[];
  /** Every frame received from clients, in order. */
  received: ReceivedFrame[];
  /** Successful upgrade count per exchange (first connect + reconnects). */
  connectCount: Record<string, number>;
  close(): Promise<void>;
}

interface Client {
  ws: WebSocket;
  exchange: ExchangeId;
  symbols: Set<string>;
}

const PATHS: Record<string, ExchangeId> = {
  '/binance-usdm/market/stream': 'binance-usdm',
  '/binance-usdm/market/ws': 'binance-usdm',
  '/binance-coinm/stream': 'binance-coinm',
  '/bybit/v5/public/linear': 'bybit',
  '/okx/ws/v5/public': 'okx',
  '/hyperliquid/ws': 'hyperliquid',
  '/binance-spot/stream': 'binance-spot',
};

/** Start the server on 127.0.0.1 (`port` 0 or omitted: any free port). */
export async function startStreamServer(opts: { port?: number } = {}): Promise<StreamServer> {
  const clients = new Set<Client>();
  const marks = new Map<string, { price: string; time: number }>(); // key exchange|symbol
  const rest = new Map<string, { body: unknown; status: number; match?: (url: URL, body: string) => boolean }[]>();
  const received: ReceivedFrame[] = [];
  const connectCount: Record<string, number> = {};
  let refuseUntil = 0;
  let pings = true;

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const routes = rest.get(url.pathname) ?? [];
      const r = routes.find((x) => !x.match || x.match(url, body));
      if (!r) {
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"no route"}');
        return;
      }
      res.writeHead(r.status, { 'content-type': 'application/json' }).end(typeof r.body === 'string' ? r.body : JSON.stringify(r.body));
    });
  });
  const wss = new WebSocketServer({ noServer: true });

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const exchange = PATHS[url.pathname];
    if (!exchange || Date.now() < refuseUntil) {
      socket.end(`HTTP/1.1 ${exchange ? '503 Service Unavailable' : '404 Not Found'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      connectCount[exchange] = (connectCount[exchange] ?? 0) + 1;
      const client: Client = { ws, exchange, symbols: new Set() };
      clients.add(client);
      if (exchange.startsWith('binance')) {
        for (const s of (url.searchParams.get('streams') ?? '').split('/').filter(Boolean)) client.symbols.add(s.split('@')[0]!.toUpperCase());
        // Binance pushes the current mark right away at the next 1 s tick; we push immediately.
        for (const s of client.symbols) pushTo(client, s);
      }
      ws.on('message', (raw) => onFrame(client, raw.toString()));
      ws.on('close', () => clients.delete(client));
      ws.on('error', () => clients.delete(client));
    });
  });

  function send(c: Client, text: string): void {
    if (c.ws.readyState === c.ws.OPEN) c.ws.send(text);
  }

  function markFrame(exchange: ExchangeId, symbol: string, price: string, time: number, first: boolean): string {
    switch (exchange) {
      case 'binance-usdm':
      case 'binance-coinm':
        return JSON.stringify({
          stream: `${symbol.toLowerCase()}@markPrice@1s`,
          data: { e: 'markPriceUpdate', E: time, s: symbol, p: price, i: price, P: price, r: '0.00010000', T: time + 3_600_000 },
        });
      case 'bybit':
        return JSON.stringify(
          first
            ? {
                topic: `tickers.${symbol}`,
                type: 'snapshot',
                data: { symbol, tickDirection: 'PlusTick', lastPrice: price, markPrice: price, indexPrice: price, fundingRate: '0.0001', openInterest: '1000' },
                cs: 1,
                ts: time,
              }
            : { topic: `tickers.${symbol}`, type: 'delta', data: { symbol, markPrice: price, indexPrice: price }, cs: 2, ts: time },
        );
      case 'binance-spot':
        return JSON.stringify({
          stream: `${symbol.toLowerCase()}@miniTicker`,
          data: { e: '24hrMiniTicker', E: time, s: symbol, c: price, o: price, h: price, l: price, v: '0', q: '0' },
        });
      case 'okx':
        return JSON.stringify({ arg: { channel: 'mark-price', instId: symbol }, data: [{ instType: 'SWAP', instId: symbol, markPx: price, ts: String(time) }] });
      case 'hyperliquid':
        return JSON.stringify({
          channel: 'activeAssetCtx',
          data: { coin: symbol, ctx: { funding: '0.0000125', openInterest: '100', oraclePx: price, markPx: price, midPx: price, prevDayPx: price, dayNtlVlm: '0' } },
        });
    }
  }

  const snapshotSent = new WeakMap<Client, Set<string>>();
  function pushTo(c: Client, symbol: string): boolean {
    const m = marks.get(`${c.exchange}|${symbol}`);
    if (!m || !c.symbols.has(symbol)) return false;
    let sent = snapshotSent.get(c);
    if (!sent) snapshotSent.set(c, (sent = new Set()));
    const first = !sent.has(symbol);
    sent.add(symbol);
    send(c, markFrame(c.exchange, symbol, m.price, m.time, first));
    return true;
  }

  function onFrame(c: Client, text: string): void {
    received.push({ exchange: c.exchange, data: text, at: Date.now() });
    if (c.exchange === 'okx' && text === 'ping') {
      if (pings) send(c, 'pong');
      return;
    }
    let msg: any;
    try {
      msg = JSON.parse(text);
    } catch {
      if (c.exchange === 'okx') send(c, JSON.stringify({ event: 'error', code: '60012', msg: `Invalid request: ${text.slice(0, 50)}`, connId: 'loop' }));
      return;
    }
    switch (c.exchange) {
      case 'binance-usdm':
      case 'binance-coinm':
      case 'binance-spot': {
        const names: string[] = Array.isArray(msg.params) ? msg.params : [];
        const syms = names.map((n) => n.split('@')[0]!.toUpperCase());
        if (msg.method === 'SUBSCRIBE') syms.forEach((s) => c.symbols.add(s));
        if (msg.method === 'UNSUBSCRIBE') syms.forEach((s) => c.symbols.delete(s));
        send(c, JSON.stringify({ result: null, id: msg.id }));
        if (msg.method === 'SUBSCRIBE') syms.forEach((s) => pushTo(c, s));
        return;
      }
      case 'bybit': {
        if (msg.op === 'ping') {
          if (pings) send(c, JSON.stringify({ success: true, ret_msg: 'pong', conn_id: 'loop', req_id: msg.req_id ?? '', op: 'ping' }));
          return;
        }
        const syms: string[] = (Array.isArray(msg.args) ? msg.args : []).map((a: string) => String(a).replace(/^tickers\./, ''));
        if (msg.op === 'subscribe') syms.forEach((s) => c.symbols.add(s));
        if (msg.op === 'unsubscribe') syms.forEach((s) => c.symbols.delete(s));
        send(c, JSON.stringify({ success: true, ret_msg: '', conn_id: 'loop', req_id: msg.req_id ?? '', op: msg.op }));
        if (msg.op === 'subscribe') syms.forEach((s) => pushTo(c, s));
        return;
      }
      case 'okx': {
        const args: { channel: string; instId: string }[] = Array.isArray(msg.args) ? msg.args : [];
        for (const a of args) {
          if (msg.op === 'subscribe') c.symbols.add(a.instId);
          if (msg.op === 'unsubscribe') c.symbols.delete(a.instId);
          send(c, JSON.stringify({ id: msg.id, event: msg.op, arg: a, connId: 'loop' }));
        }
        if (msg.op === 'subscribe') args.forEach((a) => pushTo(c, a.instId));
        return;
      }
      case 'hyperliquid': {
        if (msg.method === 'ping') {
          if (pings) send(c, JSON.stringify({ channel: 'pong' }));
          return;
        }
        const coin = msg.subscription?.coin;
        if (typeof coin === 'string') {
          if (msg.method === 'subscribe') c.symbols.add(coin);
          if (msg.method === 'unsubscribe') c.symbols.delete(coin);
        }
        send(c, JSON.stringify({ channel: 'subscriptionResponse', data: msg }));
        if (msg.method === 'subscribe' && typeof coin === 'string') pushTo(c, coin);
        return;
      }
    }
  }

  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const origin = `ws://127.0.0.1:${port}`;

  return {
    origin,
    httpOrigin: `http://127.0.0.1:${port}`,
    port,
    url: (exchange) => (exchange === 'binance-spot' ? spotStreamUrl('', { stream: origin }) : streamUrl(exchange, '', { stream: origin })),
    setMark(exchange, symbol, price, time = Date.now()) {
      marks.set(`${exchange}|${symbol}`, { price, time });
      let n = 0;
      for (const c of clients) if (c.exchange === exchange && pushTo(c, symbol)) n++;
      return n;
    },
    sendRaw(exchange, text) {
      let n = 0;
      for (const c of clients) if (c.exchange === exchange) (send(c, text), n++);
      return n;
    },
    drop() {
      for (const c of clients) c.ws.terminate();
      clients.clear();
    },
    refuse(ms) {
      refuseUntil = Date.now() + ms;
    },
    answerPings(on) {
      pings = on;
    },
    setRest(exchange, path, body, o = {}) {
      const key = `/${exchange}${path}`;
      const list = rest.get(key) ?? [];
      list.unshift({ body, status: o.status ?? 200, match: o.match });
      rest.set(key, list);
    },
    reset() {
      marks.clear();
      rest.clear();
      for (const c of clients) c.ws.terminate();
      clients.clear();
      refuseUntil = 0;
      pings = true;
    },
    connections: (exchange) => [...clients].filter((c) => c.exchange === exchange).length,
    subscriptions: (exchange) => [...new Set([...clients].filter((c) => c.exchange === exchange).flatMap((c) => [...c.symbols]))].sort(),
    received,
    connectCount,
    async close() {
      for (const c of clients) c.ws.terminate();
      wss.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
