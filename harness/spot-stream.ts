/**
 * Binance's public SPOT stream on loopback (`wss://stream.binance.com:9443/stream`), for spot
 * margin scenarios: combined `<symbol>@miniTicker` pushes (`24hrMiniTicker`, last price `c`),
 * streams named in the URL query or by `SUBSCRIBE`, re-pushed every second like Binance.
 * Format: https://developers.binance.com/docs/binance-spot-api-docs/web-socket-streams.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';

export const SPOT_STREAM_HOST = 'stream.binance.com';

interface Client {
  ws: WebSocket;
  symbols: Set<string>;
}

export class SpotHub {
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly clients = new Set<Client>();
  private readonly prices = new Map<string, string>();
  private readonly timer: ReturnType<typeof setInterval>;
  /** Every subscription request received (stream names), in order. */
  readonly subscribed: string[] = [];

  constructor(tickMs = 1000) {
    this.timer = setInterval(() => {
      for (const c of this.clients) for (const s of c.symbols) this.push(c, s);
    }, tickMs);
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'https://stream.binance.com');
    if (url.pathname !== '/stream' && url.pathname !== '/ws') {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      const c: Client = { ws, symbols: new Set() };
      this.clients.add(c);
      for (const s of (url.searchParams.get('streams') ?? '').split('/').filter(Boolean)) {
        this.subscribed.push(s);
        c.symbols.add(s.split('@')[0]!.toUpperCase());
      }
      for (const s of c.symbols) this.push(c, s);
      ws.on('message', (raw) => {
        let msg: { method?: string; params?: unknown; id?: unknown };
        try {
          msg = JSON.parse(raw.toString());
        } catch {
          return;
        }
        const names = Array.isArray(msg.params) ? msg.params.map(String) : [];
        for (const n of names) {
          const sym = n.split('@')[0]!.toUpperCase();
          if (msg.method === 'SUBSCRIBE') {
            this.subscribed.push(n);
            c.symbols.add(sym);
          } else if (msg.method === 'UNSUBSCRIBE') c.symbols.delete(sym);
        }
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ result: null, id: msg.id ?? null }));
        if (msg.method === 'SUBSCRIBE') for (const n of names) this.push(c, n.split('@')[0]!.toUpperCase());
      });
      ws.on('close', () => this.clients.delete(c));
      ws.on('error', () => this.clients.delete(c));
    });
  }

  /** Set a symbol's last price and push it now to its subscribers. */
  setPrice(symbol: string, price: string): void {
    this.prices.set(symbol, price);
    for (const c of this.clients) this.push(c, symbol);
  }

  /** Symbols currently subscribed by any client. */
  symbols(): string[] {
    return [...new Set([...this.clients].flatMap((c) => [...c.symbols]))].sort();
  }

  private push(c: Client, symbol: string): void {
    const price = this.prices.get(symbol);
    if (price === undefined || !c.symbols.has(symbol) || c.ws.readyState !== c.ws.OPEN) return;
    const E = Date.now();
    c.ws.send(JSON.stringify({ stream: `${symbol.toLowerCase()}@miniTicker`, data: { e: '24hrMiniTicker', E, s: symbol, c: price, o: price, h: price, l: price, v: '0', q: '0' } }));
  }

  close(): void {
    clearInterval(this.timer);
    for (const c of this.clients) c.ws.terminate();
    this.wss.close();
  }
}
