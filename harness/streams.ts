/**
 * Loopback stand-in for the exchanges' public mark-price WebSocket servers, speaking their
 * real wire formats (reference: exchange-pages.md §6) so the extension's real stream
 * clients run unchanged:
 *
 * - Binance USDⓈ-M `wss://fstream.binance.com/market/ws/<sym>@markPrice[@1s]` (raw) and
 *   `/market/stream?streams=a/b` (combined, `{stream, data}`), live `SUBSCRIBE`/`UNSUBSCRIBE`/
 *   `LIST_SUBSCRIPTIONS`; pushes `markPriceUpdate`. The legacy paths (`/ws`, `/stream`) were
 *   decommissioned in 2026 and get a 404 here too.
 * - Bybit v5 `wss://stream.bybit.com/v5/public/linear`, `op: subscribe` `tickers.<SYM>`:
 *   a `snapshot`, then `delta`s carrying only changed fields; `op: ping` → pong.
 * - OKX v5 `wss://ws.okx.com:8443/ws/v5/public`, `mark-price` channel; plain `ping` → `pong`.
 * - Hyperliquid `wss://api.hyperliquid.xyz/ws`, `activeAssetCtx` and `allMids`;
 *   `{"method":"ping"}` → `{"channel":"pong"}`.
 *
 * Symbols are exchange-native: `BTCUSDT` (Binance, Bybit), `BTC-USDT-SWAP` (OKX), `BTC`
 * (Hyperliquid). Prices are decimal strings and are sent verbatim.
 *
 * Attach to an HTTPS server with `noServer` upgrades: {@link StreamHub.handleUpgrade}.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { StreamExchange } from './hosts';

export interface ReceivedMessage {
  exchange: StreamExchange;
  /** Request path of the connection (`/market/stream?streams=…`). */
  path: string;
  /** Text frame as sent by the client. */
  data: string;
  at: number;
}

export interface StreamHubOptions {
  /**
   * Interval of the periodic re-push of every subscribed mark price (ms). Real servers push
   * continuously (Binance `@1s` every 1 s, Bybit deltas every 100 ms, OKX at least every 10 s),
   * which is also what keeps an MV3 service worker alive. Default 1000.
   */
  tickMs?: number;
}

interface Conn {
  exchange: StreamExchange;
  ws: WebSocket;
  path: string;
  id: string;
  /** Subscription keys, exchange-native (see `push*`). */
  subs: Set<string>;
  /** Binance: whether pushes are wrapped as combined-stream `{stream, data}`. */
  combined: boolean;
  /** Bybit: symbols that already got their snapshot on this connection. */
  snapshotSent: Set<string>;
}

export class StreamHub {
  /** Every text message any client sent, in order. */
  readonly received: ReceivedMessage[] = [];
  /** Every upgrade attempt: accepted or refused. */
  readonly connectionLog: { exchange: StreamExchange; path: string; accepted: boolean; at: number }[] = [];
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly conns = new Set<Conn>();
  private readonly marks = new Map<string, string>(); // `${exchange}|${symbol}` → price
  private refuseUntil = 0;
  private paused = false;
  private nextId = 1;
  private readonly timer: NodeJS.Timeout;

  constructor(opts: StreamHubOptions = {}) {
    this.timer = setInterval(() => this.tick(), opts.tickMs ?? 1000);
    this.timer.unref();
  }

  /** Set the mark price of `symbol` on `exchange` and push it to every subscriber now. */
  setMark(exchange: StreamExchange, symbol: string, price: string): void {
    this.marks.set(`${exchange}|${symbol}`, price);
    if (this.paused) return;
    for (const c of this.conns) if (c.exchange === exchange) this.pushSymbol(c, symbol);
  }

  getMark(exchange: StreamExchange, symbol: string): string | undefined {
    return this.marks.get(`${exchange}|${symbol}`);
  }

  /** Cut every open connection abruptly (TCP reset, no close frame), like a network loss. */
  drop(): void {
    for (const c of this.conns) c.ws.terminate();
    this.conns.clear();
  }

  /** Drop every connection and refuse new ones (HTTP 503 on upgrade) for `ms`. */
  refuse(ms: number): void {
    this.refuseUntil = Date.now() + ms;
    this.drop();
  }

  /** Keep connections open but stop sending anything (a silently stuck stream). */
  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    this.tick();
  }

  /** Open connections, optionally for one exchange. */
  connections(exchange?: StreamExchange): number {
    let n = 0;
    for (const c of this.conns) if (c.ws.readyState === c.ws.OPEN && (!exchange || c.exchange === exchange)) n++;
    return n;
  }

  /** Symbols currently subscribed on `exchange` (exchange-native names), across connections. */
  subscribed(exchange: StreamExchange): string[] {
    const out = new Set<string>();
    for (const c of this.conns) if (c.exchange === exchange) for (const s of c.subs) out.add(symbolOfSub(exchange, s));
    return [...out].sort();
  }

  handleUpgrade(exchange: StreamExchange, req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const path = req.url ?? '/';
    const at = Date.now();
    const status = at < this.refuseUntil ? 503 : routeStatus(exchange, path);
    if (status !== 101) {
      this.connectionLog.push({ exchange, path, accepted: false, at });
      socket.end(`HTTP/1.1 ${status} ${status === 503 ? 'Service Unavailable' : 'Not Found'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    this.connectionLog.push({ exchange, path, accepted: true, at });
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(exchange, ws, path));
  }

  close(): void {
    clearInterval(this.timer);
    this.drop();
    this.wss.close();
  }

  private accept(exchange: StreamExchange, ws: WebSocket, path: string): void {
    const c: Conn = {
      exchange, ws, path, id: `conn-${this.nextId++}`, subs: new Set(), combined: false, snapshotSent: new Set(),
    };
    this.conns.add(c);
    ws.on('close', () => this.conns.delete(c));
    ws.on('error', () => this.conns.delete(c));
    if (exchange === 'binance') {
      const url = new URL(path, 'https://fstream.binance.com');
      if (url.pathname.startsWith('/market/stream')) {
        c.combined = true;
        for (const s of (url.searchParams.get('streams') ?? '').split('/')) if (s) c.subs.add(s);
      } else {
        const raw = url.pathname.slice('/market/ws/'.length);
        for (const s of raw.split('/')) if (s) c.subs.add(decodeURIComponent(s));
      }
      for (const s of c.subs) this.pushSub(c, s);
    }
    ws.on('message', (buf, isBinary) => {
      if (isBinary) return;
      const data = buf.toString();
      this.received.push({ exchange, path, data, at: Date.now() });
      this.onMessage(c, data);
    });
  }

  private onMessage(c: Conn, data: string): void {
    if (c.exchange === 'okx' && data === 'ping') return this.send(c, 'pong');
    let msg: any;
    try {
      msg = JSON.parse(data);
    } catch {
      if (c.exchange === 'okx') this.send(c, JSON.stringify({ event: 'error', code: '60012', msg: `Invalid request: ${data}`, connId: c.id }));
      return;
    }
    switch (c.exchange) {
      case 'binance': {
        const params: string[] = Array.isArray(msg?.params) ? msg.params.filter((p: unknown) => typeof p === 'string') : [];
        if (msg?.method === 'SUBSCRIBE') {
          for (const p of params) c.subs.add(p);
          this.send(c, JSON.stringify({ result: null, id: msg.id }));
          for (const p of params) this.pushSub(c, p);
        } else if (msg?.method === 'UNSUBSCRIBE') {
          for (const p of params) c.subs.delete(p);
          this.send(c, JSON.stringify({ result: null, id: msg.id }));
        } else if (msg?.method === 'LIST_SUBSCRIPTIONS') {
          this.send(c, JSON.stringify({ result: [...c.subs], id: msg.id }));
        } else {
          this.send(c, JSON.stringify({ error: { code: 2, msg: 'Invalid request: unknown method' }, id: msg?.id ?? null }));
        }
        return;
      }
      case 'bybit': {
        const reqId = typeof msg?.req_id === 'string' ? msg.req_id : '';
        if (msg?.op === 'ping') {
          this.send(c, JSON.stringify({ success: true, ret_msg: 'pong', conn_id: c.id, req_id: reqId, op: 'ping' }));
        } else if (msg?.op === 'subscribe' || msg?.op === 'unsubscribe') {
          const args: string[] = Array.isArray(msg.args) ? msg.args.filter((a: unknown) => typeof a === 'string') : [];
          const bad = args.find((a) => !/^tickers\.[A-Z0-9]+$/.test(a));
          this.send(c, JSON.stringify({
            success: !bad, ret_msg: bad ? `Invalid topic: ${bad}` : '', conn_id: c.id, req_id: reqId, op: msg.op,
          }));
          if (bad) return;
          for (const a of args) {
            if (msg.op === 'subscribe') c.subs.add(a);
            else {
              c.subs.delete(a);
              c.snapshotSent.delete(a.slice('tickers.'.length));
            }
          }
          if (msg.op === 'subscribe') for (const a of args) this.pushSub(c, a);
        } else {
          this.send(c, JSON.stringify({ success: false, ret_msg: 'Invalid op', conn_id: c.id, req_id: reqId, op: msg?.op ?? '' }));
        }
        return;
      }
      case 'okx': {
        if (msg?.op === 'subscribe' || msg?.op === 'unsubscribe') {
          const args: any[] = Array.isArray(msg.args) ? msg.args : [];
          for (const arg of args) {
            if (arg?.channel !== 'mark-price' || typeof arg.instId !== 'string') {
              this.send(c, JSON.stringify({ ...(msg.id ? { id: msg.id } : {}), event: 'error', code: '60018', msg: `Wrong URL or channel:${arg?.channel},instId:${arg?.instId} doesn't exist.`, connId: c.id }));
              continue;
            }
            const key = arg.instId as string;
            if (msg.op === 'subscribe') c.subs.add(key);
            else c.subs.delete(key);
            this.send(c, JSON.stringify({ ...(msg.id ? { id: msg.id } : {}), event: msg.op, arg: { channel: 'mark-price', instId: key }, connId: c.id }));
            if (msg.op === 'subscribe') this.pushSub(c, key);
          }
        } else {
          this.send(c, JSON.stringify({ event: 'error', code: '60012', msg: `Invalid request: ${data}`, connId: c.id }));
        }
        return;
      }
      case 'hyperliquid': {
        if (msg?.method === 'ping') return this.send(c, JSON.stringify({ channel: 'pong' }));
        if (msg?.method === 'subscribe' || msg?.method === 'unsubscribe') {
          const sub = msg.subscription;
          const key = sub?.type === 'allMids' ? 'allMids' : sub?.type === 'activeAssetCtx' && typeof sub.coin === 'string' ? `activeAssetCtx:${sub.coin}` : null;
          if (!key) {
            this.send(c, JSON.stringify({ channel: 'error', data: `Invalid subscription ${JSON.stringify(sub)}` }));
            return;
          }
          if (msg.method === 'subscribe') c.subs.add(key);
          else c.subs.delete(key);
          this.send(c, JSON.stringify({ channel: 'subscriptionResponse', data: { method: msg.method, subscription: sub } }));
          if (msg.method === 'subscribe') this.pushSub(c, key);
        } else {
          this.send(c, JSON.stringify({ channel: 'error', data: `Invalid method: ${data}` }));
        }
        return;
      }
    }
  }

  private tick(): void {
    if (this.paused) return;
    for (const c of this.conns) for (const s of c.subs) this.pushSub(c, s);
  }

  /** Push `symbol` on every subscription of `c` that carries it. */
  private pushSymbol(c: Conn, symbol: string): void {
    for (const s of c.subs) if (symbolOfSub(c.exchange, s) === symbol || (c.exchange === 'hyperliquid' && s === 'allMids')) this.pushSub(c, s);
  }

  private pushSub(c: Conn, sub: string): void {
    if (this.paused || c.ws.readyState !== c.ws.OPEN) return;
    const now = Date.now();
    switch (c.exchange) {
      case 'binance': {
        const m = /^([a-z0-9]+)@markPrice(@1s)?$/.exec(sub);
        if (!m) return;
        const symbol = m[1]!.toUpperCase();
        const p = this.marks.get(`binance|${symbol}`);
        if (p === undefined) return;
        const data = { e: 'markPriceUpdate', E: now, s: symbol, p, i: p, P: p, r: '0.00010000', T: nextFundingTime(now) };
        this.send(c, JSON.stringify(c.combined ? { stream: sub, data } : data));
        return;
      }
      case 'bybit': {
        const symbol = sub.slice('tickers.'.length);
        const p = this.marks.get(`bybit|${symbol}`);
        if (p === undefined) return;
        if (!c.snapshotSent.has(symbol)) {
          c.snapshotSent.add(symbol);
          this.send(c, JSON.stringify({
            topic: sub, type: 'snapshot',
            data: {
              symbol, tickDirection: 'ZeroPlusTick', lastPrice: p, markPrice: p, indexPrice: p, fundingRate: '0.0001',
              nextFundingTime: String(nextFundingTime(now)), openInterest: '50000', bid1Price: p, ask1Price: p,
            },
            cs: now, ts: now,
          }));
        } else {
          this.send(c, JSON.stringify({ topic: sub, type: 'delta', data: { symbol, markPrice: p }, cs: now, ts: now }));
        }
        return;
      }
      case 'okx': {
        const p = this.marks.get(`okx|${sub}`);
        if (p === undefined) return;
        this.send(c, JSON.stringify({
          arg: { channel: 'mark-price', instId: sub },
          data: [{ instType: sub.endsWith('-SWAP') ? 'SWAP' : 'FUTURES', instId: sub, markPx: p, ts: String(now) }],
        }));
        return;
      }
      case 'hyperliquid': {
        if (sub === 'allMids') {
          const mids: Record<string, string> = {};
          for (const [k, v] of this.marks) if (k.startsWith('hyperliquid|')) mids[k.slice('hyperliquid|'.length)] = v;
          if (Object.keys(mids).length) this.send(c, JSON.stringify({ channel: 'allMids', data: { mids } }));
          return;
        }
        const coin = sub.slice('activeAssetCtx:'.length);
        const p = this.marks.get(`hyperliquid|${coin}`);
        if (p === undefined) return;
        this.send(c, JSON.stringify({
          channel: 'activeAssetCtx',
          data: { coin, ctx: { markPx: p, oraclePx: p, midPx: p, funding: '0.0000125', openInterest: '10000.0', prevDayPx: p, dayNtlVlm: '0.0', premium: '0.0' } },
        }));
        return;
      }
    }
  }

  private send(c: Conn, text: string): void {
    if (c.ws.readyState === c.ws.OPEN) c.ws.send(text);
  }
}

/** 101 for a path the real exchange serves its public stream on, else 404. */
function routeStatus(exchange: StreamExchange, path: string): 101 | 404 {
  const pathname = new URL(path, 'https://x').pathname;
  switch (exchange) {
    case 'binance':
      return pathname === '/market/stream' || /^\/market\/ws(\/|$)/.test(pathname) ? 101 : 404;
    case 'bybit':
      return pathname === '/v5/public/linear' ? 101 : 404;
    case 'okx':
      return pathname === '/ws/v5/public' ? 101 : 404;
    case 'hyperliquid':
      return pathname === '/ws' ? 101 : 404;
  }
}

function symbolOfSub(exchange: StreamExchange, sub: string): string {
  switch (exchange) {
    case 'binance':
      return sub.split('@')[0]!.toUpperCase();
    case 'bybit':
      return sub.slice('tickers.'.length);
    case 'okx':
      return sub;
    case 'hyperliquid':
      return sub.startsWith('activeAssetCtx:') ? sub.slice('activeAssetCtx:'.length) : sub;
  }
}

function nextFundingTime(now: number): number {
  const eightHours = 8 * 3600_000;
  return Math.ceil((now + 1) / eightHours) * eightHours;
}
