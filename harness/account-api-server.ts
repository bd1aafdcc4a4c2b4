/**
 * A loopback HTTP server speaking the three exchanges' private account REST APIs (reference
 * account-apis.md §2–§4, §7), laid out as lib/exchanges/endpoints.ts `apiOrigin` composes URLs
 * under an override origin:
 *
 *   http://127.0.0.1:PORT/binance-usdm/sapi/v1/account/apiRestrictions, …/fapi/v3/account, …
 *   http://127.0.0.1:PORT/bybit/v5/user/query-api, …/v5/account/wallet-balance, …
 *   http://127.0.0.1:PORT/okx/api/v5/account/config, …/api/v5/account/balance, …
 *
 * Every private request is VERIFIED as the exchange would: the API key header, the signature with
 * the registered public key (Binance Ed25519/RSA base64, Bybit RSA base64) or secret (OKX HMAC
 * base64), and the timestamp window (Binance/Bybit recvWindow, OKX 30 s). Failures answer with the
 * exchanges' own error bodies (-1022 / -2015, retCode 10003 / 10004, code 50113 / 50102). Responses use
 * the documented field names; the state is plain data the test edits (e.g. a "trading enabled" key).
 *
 * Private user-data streams on the same port (`ws://127.0.0.1:PORT/…`, use as `endpointOverride.privateStream`):
 *   /binance-usdm/private/ws/<listenKey>  (listen key from POST /fapi/v1/listenKey; PUT keeps it alive)
 *   /bybit/v5/private                     (auth frame verified with the RSA public key; subscribe; ping → pong)
 *   /okx/ws/v5/private                    (login frame verified with the HMAC secret; subscribe; "ping" → "pong")
 * {@link AccountApiServer.push} sends an event to every authenticated connection of an exchange.
 */
import { createHmac, createPublicKey, timingSafeEqual, verify } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { WebSocketServer, type WebSocket } from 'ws';

type Json = Record<string, unknown> | unknown[];

export interface ApiRequestLog {
  exchange: 'binance' | 'bybit' | 'okx';
  path: string;
  /** The signature check passed (null: an unsigned endpoint). */
  verified: boolean | null;
}

/** Binance USDⓈ-M state (documented shapes, valid JSON). */
export function binanceState() {
  return {
    apiRestrictions: {
      ipRestrict: false, createTime: 1698645219000, enableReading: true, enableWithdrawals: false, enableInternalTransfer: false,
      enableMargin: false, enableFutures: false, permitsUniversalTransfer: false, enableVanillaOptions: false, enableFixApiTrade: false,
      enableFixReadOnly: true, enableSpotAndMarginTrading: false, enablePortfolioMarginTrading: false,
    } as Record<string, unknown>,
    accountConfig: { feeTier: 0, canTrade: true, canDeposit: true, canWithdraw: true, dualSidePosition: false, updateTime: 0, multiAssetsMargin: false, tradeGroupId: -1 },
    symbolConfig: [{ symbol: 'BTCUSDT', marginType: 'CROSSED', isAutoAddMargin: false, leverage: 20, maxNotionalValue: '1000000' }] as Json,
    account: {
      totalInitialMargin: '500.00000000', totalMaintMargin: '40.00000000', totalWalletBalance: '1000.00000000', totalUnrealizedProfit: '0.00000000',
      totalMarginBalance: '1000.00000000', totalPositionInitialMargin: '500.00000000', totalOpenOrderInitialMargin: '0.00000000',
      totalCrossWalletBalance: '1000.00000000', totalCrossUnPnl: '0.00000000', availableBalance: '500.00000000', maxWithdrawAmount: '500.00000000',
      assets: [], positions: [],
    } as Json,
    positionRisk: [
      {
        symbol: 'BTCUSDT', positionSide: 'BOTH', positionAmt: '0.100', entryPrice: '100000.0', breakEvenPrice: '100040.0', markPrice: '100000.00000000',
        unRealizedProfit: '0.00000000', liquidationPrice: '90400.00000000', isolatedMargin: '0', notional: '10000.00000000', marginAsset: 'USDT',
        isolatedWallet: '0', initialMargin: '500.00000000', maintMargin: '40.00000000', positionInitialMargin: '500.00000000', openOrderInitialMargin: '0',
        adl: 2, bidNotional: '0', askNotional: '0', updateTime: 1720736417660,
      },
    ] as Json,
  };
}

/** Bybit v5 state (the `result` objects). */
export function bybitState() {
  return {
    queryApi: {
      id: '2208369', note: 'margin-sentinel', apiKey: '', readOnly: 1, secret: '',
      permissions: { ContractTrade: ['Order', 'Position'], Spot: ['SpotTrade'], Wallet: ['AccountTransfer'], Options: [], Derivatives: ['DerivativesTrade'], Exchange: ['ExchangeHistory'], Earn: [] },
      ips: [], type: 1, deadlineDay: 83, expiredAt: '2027-02-26T00:00:00Z', createdAt: '2026-12-05T03:20:45Z', uta: 1, userID: 1448939, vipLevel: 'No VIP',
      rsaPublicKey: '', isMaster: true, parentUid: '0',
    } as Record<string, unknown>,
    accountInfo: { marginMode: 'REGULAR_MARGIN', updatedTime: '1697078946000', unifiedMarginStatus: 5, dcpStatus: 'OFF', timeWindow: 10, smpGroup: 0, isMasterTrader: false, spotHedgingStatus: 'OFF' },
    wallet: {
      list: [
        {
          accountType: 'UNIFIED', accountIMRate: '0.25', accountMMRate: '0.02', totalEquity: '2000', totalWalletBalance: '2000', totalMarginBalance: '2000',
          totalAvailableBalance: '1500', totalPerpUPL: '0', totalInitialMargin: '500', totalMaintenanceMargin: '40', accountLTV: '0',
          coin: [{ coin: 'USDT', equity: '2000', usdValue: '2000', walletBalance: '2000', locked: '0', borrowAmount: '0', accruedInterest: '0', totalOrderIM: '0', totalPositionIM: '500', totalPositionMM: '40', unrealisedPnl: '0', cumRealisedPnl: '0', marginCollateral: true, collateralSwitch: true }],
        },
      ],
    } as Json,
    positions: [
      {
        positionIdx: 0, riskId: 1, riskLimitValue: '2000000', symbol: 'BTCUSDT', side: 'Buy', size: '0.1', avgPrice: '100000', positionValue: '10000', tradeMode: 0,
        positionStatus: 'Normal', autoAddMargin: 0, adlRankIndicator: 2, leverage: '20', breakEvenPrice: '100055', positionBalance: '500', markPrice: '100000',
        liqPrice: '', bustPrice: '', positionMM: '40', positionMMByMp: '40', positionIM: '500', positionIMByMp: '500', tpslMode: 'Full', takeProfit: '', stopLoss: '',
        trailingStop: '0', unrealisedPnl: '0', curRealisedPnl: '0', cumRealisedPnl: '0', seq: 5723621632, isReduceOnly: false, createdTime: '1676538056258', updatedTime: '1697673600012',
      },
    ] as unknown[],
    /** `category=linear&settleCoin=USDC` and `category=inverse` answers (named as not monitored). */
    usdcPositions: [] as unknown[],
    inversePositions: [] as unknown[],
  };
}

/** OKX v5 state (the `data` rows). */
export function okxState() {
  return {
    config: {
      acctLv: '2', acctStpMode: 'cancel_maker', autoLoan: false, ctIsoMode: 'automatic', enableSpotBorrow: false, greeksType: 'PA', ip: '', type: '0', kycLv: '3',
      label: 'margin-sentinel', level: 'Lv1', levelTmp: '', liquidationGear: '-1', mainUid: '44705892343619584', mgnIsoMode: 'automatic', opAuth: '1',
      perm: 'read_only', posMode: 'net_mode', roleType: '0', spotBorrowAutoRepay: false, spotOffsetType: '', spotRoleType: '0', spotTraderInsts: [], traderInsts: [], uid: '44705892343619584',
    } as Record<string, unknown>,
    balance: {
      adjEq: '', availEq: '', borrowFroz: '', imr: '', isoEq: '0', mgnRatio: '', mmr: '', notionalUsd: '', ordFroz: '', totalEq: '3000', uTime: '1705474164160', upl: '0',
      details: [{ ccy: 'USDT', eq: '3000', cashBal: '3000', isoEq: '0', availEq: '2500', availBal: '2500', disEq: '3000', frozenBal: '500', ordFrozen: '0', liab: '', upl: '0', mgnRatio: '50', imr: '500', mmr: '60', uTime: '1705449605015' }],
    } as Record<string, unknown>,
    positions: [
      {
        adl: '1', availPos: '', avgPx: '100000', cTime: '1619507758793', ccy: 'USDT', instId: 'BTC-USDT-SWAP', instType: 'SWAP', lever: '20', liqPx: '92000.5', markPx: '100000',
        mgnMode: 'cross', mgnRatio: '50', mmr: '60', imr: '500', margin: '', notionalUsd: '15000', pos: '15', posCcy: '', posId: '307173036051017730', posSide: 'net', upl: '0', uTime: '1619507761462', closeOrderAlgo: [],
      },
    ] as unknown[],
    instruments: { 'BTC-USDT-SWAP': { instId: 'BTC-USDT-SWAP', instType: 'SWAP', ctVal: '0.01', ctValCcy: 'BTC', ctType: 'linear', settleCcy: 'USDT' } } as Record<string, Record<string, unknown>>,
  };
}

export interface AccountApiServer {
  /** `http://127.0.0.1:PORT` (use as `endpointOverride.rest`). */
  origin: string;
  binance: ReturnType<typeof binanceState> & { apiKey: string | null; publicKeyPem: string | null };
  bybit: ReturnType<typeof bybitState> & { apiKey: string | null; publicKeyPem: string | null };
  okx: ReturnType<typeof okxState> & { apiKey: string | null; secret: string | null; passphrase: string | null };
  /** Answer the next `n` private requests of `exchange` with HTTP `status` (429, 418) and `Retry-After: retryAfterS`. */
  limit(exchange: ApiRequestLog['exchange'], n: number, status?: number, retryAfterS?: number): void;
  /** `ws://127.0.0.1:PORT` (use as `endpointOverride.privateStream`). */
  wsOrigin: string;
  /** Send a frame (object → JSON) to every authenticated private-stream connection of `exchange`; returns how many. */
  push(exchange: ApiRequestLog['exchange'], frame: unknown): number;
  /** Cut every private-stream connection abruptly. */
  dropStreams(): void;
  /** Successful private-stream logins (Binance: connections) per exchange. */
  streamLogins: Record<ApiRequestLog['exchange'], number>;
  /** Frames received on private streams, in order. */
  streamFrames: { exchange: ApiRequestLog['exchange']; data: string }[];
  /** What Binance reports in `X-MBX-USED-WEIGHT-1M` on `/fapi` answers (default 25). */
  binanceUsedWeight: number;
  /** Binance listen-key calls: POST (create) and PUT (keepalive). */
  listenKeyCalls: string[];
  /** Server clock (ms) used for timestamp windows; default Date.now. */
  now: () => number;
  requests: ApiRequestLog[];
  close(): Promise<void>;
}

/**
 * CORS for callers that enforce it (happy-dom page tests): an extension with the host permission is
 * not subject to CORS (https://developer.chrome.com/docs/extensions/develop/concepts/network-requests),
 * so the test server lets any origin read, with the custom signing headers.
 */
const CORS = { 'access-control-allow-origin': '*', 'access-control-allow-headers': '*', 'access-control-allow-methods': 'GET, POST, PUT, DELETE', 'access-control-expose-headers': 'retry-after' };

function send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...CORS, ...headers });
  res.end(JSON.stringify(body));
}

/** Verify an asymmetric base64 signature with a PEM public key (Ed25519 or RSA-SHA256). */
function verifyAsym(pem: string, payload: string, sigB64: string): boolean {
  try {
    const key = createPublicKey(pem);
    return verify(key.asymmetricKeyType === 'ed25519' ? null : 'sha256', Buffer.from(payload), key, Buffer.from(sigB64, 'base64'));
  } catch {
    return false;
  }
}

/** Start the server on an ephemeral loopback port. */
export async function startAccountApiServer(): Promise<AccountApiServer> {
  const limits: Record<string, { n: number; status: number; retryAfterS: number }> = {};
  let listenKey: string | null = null;
  const conns = new Set<{ exchange: ApiRequestLog['exchange']; ws: WebSocket; authed: boolean }>();
  const s = {
    binance: { ...binanceState(), apiKey: null, publicKeyPem: null },
    bybit: { ...bybitState(), apiKey: null, publicKeyPem: null },
    okx: { ...okxState(), apiKey: null, secret: null, passphrase: null },
    requests: [] as ApiRequestLog[],
    now: () => Date.now(),
    streamLogins: { binance: 0, bybit: 0, okx: 0 },
    streamFrames: [],
    listenKeyCalls: [],
    binanceUsedWeight: 25,
  } as unknown as AccountApiServer;

  const limited = (ex: string, res: http.ServerResponse): boolean => {
    const l = limits[ex];
    if (!l || l.n <= 0) return false;
    l.n--;
    send(res, l.status, ex === 'binance' ? { code: -1003, msg: 'Too many requests.' } : { code: '50011', msg: 'Too Many Requests' }, { 'retry-after': String(l.retryAfterS) });
    return true;
  };

  const binance = (path: string, url: URL, req: http.IncomingMessage, res: http.ServerResponse) => {
    const b = s.binance;
    if (path === '/fapi/v1/time') return send(res, 200, { serverTime: s.now() });
    if (path === '/fapi/v1/listenKey') {
      // USER_STREAM: the API key header only, no signature.
      if (!b.apiKey || req.headers['x-mbx-apikey'] !== b.apiKey) return send(res, 401, { code: -2015, msg: 'Invalid API-key, IP, or permissions for action.' });
      s.listenKeyCalls.push(req.method ?? '');
      if (req.method === 'POST') listenKey ??= randomBytes(32).toString('hex');
      if (!listenKey) return send(res, 400, { code: -1125, msg: 'This listenKey does not exist.' });
      return send(res, 200, { listenKey });
    }
    const raw = url.search.slice(1);
    const at = raw.lastIndexOf('&signature=');
    const payload = at >= 0 ? raw.slice(0, at) : raw;
    const sig = at >= 0 ? decodeURIComponent(raw.slice(at + '&signature='.length)) : '';
    const q = new URLSearchParams(payload);
    const apiKey = req.headers['x-mbx-apikey'];
    if (!b.apiKey || apiKey !== b.apiKey) return send(res, 401, { code: -2015, msg: 'Invalid API-key, IP, or permissions for action.' });
    const ts = Number(q.get('timestamp'));
    const recv = Number(q.get('recvWindow') ?? 5000);
    const ok = !!b.publicKeyPem && verifyAsym(b.publicKeyPem, payload, sig);
    s.requests.push({ exchange: 'binance', path, verified: ok });
    if (!ok) return send(res, 400, { code: -1022, msg: 'Signature for this request is not valid.' });
    const now = s.now();
    if (!(ts < now + 1000 && now - ts <= recv)) return send(res, 400, { code: -1021, msg: "Timestamp for this request is outside of the recvWindow." });
    if (limited('binance', res)) return;
    const routes: Record<string, unknown> = {
      '/sapi/v1/account/apiRestrictions': b.apiRestrictions,
      '/fapi/v1/accountConfig': b.accountConfig,
      '/fapi/v1/symbolConfig': b.symbolConfig,
      '/fapi/v3/account': b.account,
      '/fapi/v3/positionRisk': b.positionRisk,
    };
    if (path in routes) return send(res, 200, routes[path], path.startsWith('/fapi/') ? { 'x-mbx-used-weight-1m': String(s.binanceUsedWeight) } : {});
    send(res, 404, { code: -5000, msg: 'Path not found' });
  };

  const bybit = (path: string, url: URL, req: http.IncomingMessage, res: http.ServerResponse) => {
    const b = s.bybit;
    if (path === '/v5/market/time') {
      const t = s.now();
      return send(res, 200, { retCode: 0, retMsg: 'OK', result: { timeSecond: String(Math.floor(t / 1000)), timeNano: `${t}000000` }, retExtInfo: {}, time: t });
    }
    const h = (n: string) => String(req.headers[n] ?? '');
    if (!b.apiKey || h('x-bapi-api-key') !== b.apiKey) return send(res, 200, { retCode: 10003, retMsg: 'API key is invalid.', result: {}, retExtInfo: {}, time: s.now() });
    const ts = Number(h('x-bapi-timestamp'));
    const recv = Number(h('x-bapi-recv-window') || 5000);
    const ok = !!b.publicKeyPem && verifyAsym(b.publicKeyPem, `${h('x-bapi-timestamp')}${b.apiKey}${h('x-bapi-recv-window')}${url.search.slice(1)}`, h('x-bapi-sign'));
    s.requests.push({ exchange: 'bybit', path, verified: ok });
    if (!ok) return send(res, 200, { retCode: 10004, retMsg: 'error sign! origin_string[…]', result: {}, retExtInfo: {}, time: s.now() });
    const now = s.now();
    if (!(now - recv <= ts && ts < now + 1000)) return send(res, 200, { retCode: 10002, retMsg: 'invalid request, please check your server timestamp or recv_window param', result: {}, retExtInfo: {}, time: now });
    if (limited('bybit', res)) return;
    const envelope = (result: unknown) => send(res, 200, { retCode: 0, retMsg: 'OK', result, retExtInfo: {}, time: now });
    if (path === '/v5/user/query-api') return envelope({ ...b.queryApi, apiKey: b.apiKey });
    if (path === '/v5/account/info') return envelope(b.accountInfo);
    if (path === '/v5/account/wallet-balance') return envelope(b.wallet);
    if (path === '/v5/position/list') {
      // Two pages of at most one position each when there are two or more (tests cursor paging).
      const category = url.searchParams.get('category') ?? '';
      if (category !== 'linear' && category !== 'inverse') return send(res, 200, { retCode: 10001, retMsg: 'params error: category', result: {}, retExtInfo: {}, time: now });
      if (category === 'inverse') return envelope({ category, list: b.inversePositions, nextPageCursor: '' });
      if (url.searchParams.get('settleCoin') === 'USDC') return envelope({ category, list: b.usdcPositions, nextPageCursor: '' });
      const cursor = url.searchParams.get('cursor');
      const start = cursor ? Number(cursor) : 0;
      const list = b.positions.slice(start, start + 1);
      const next = start + 1 < b.positions.length ? String(start + 1) : '';
      return envelope({ category, list, nextPageCursor: next });
    }
    send(res, 404, { retCode: 10001, retMsg: 'path not found' });
  };

  const okx = (path: string, url: URL, req: http.IncomingMessage, res: http.ServerResponse) => {
    const o = s.okx;
    const envelope = (data: unknown[]) => send(res, 200, { code: '0', msg: '', data });
    if (path === '/api/v5/public/time') return envelope([{ ts: String(s.now()) }]);
    if (path === '/api/v5/public/instruments') {
      s.requests.push({ exchange: 'okx', path, verified: null });
      const row = o.instruments[url.searchParams.get('instId') ?? ''];
      return envelope(row ? [row] : []);
    }
    const h = (n: string) => String(req.headers[n] ?? '');
    if (!o.apiKey || h('ok-access-key') !== o.apiKey) return send(res, 401, { code: '50111', msg: 'Invalid OK-ACCESS-KEY', data: [] });
    if (h('ok-access-passphrase') !== o.passphrase) return send(res, 401, { code: '50105', msg: 'Invalid OK-ACCESS-PASSPHRASE', data: [] });
    const ts = h('ok-access-timestamp');
    const expected = createHmac('sha256', o.secret ?? '').update(`${ts}GET${path}${url.search}`).digest();
    const given = Buffer.from(h('ok-access-sign'), 'base64');
    const ok = given.length === expected.length && timingSafeEqual(given, expected);
    s.requests.push({ exchange: 'okx', path, verified: ok });
    if (!ok) return send(res, 401, { code: '50113', msg: 'Invalid Sign', data: [] });
    if (Math.abs(s.now() - Date.parse(ts)) > 30_000) return send(res, 400, { code: '50102', msg: 'Timestamp request expired', data: [] });
    if (limited('okx', res)) return;
    if (path === '/api/v5/account/config') return envelope([o.config]);
    if (path === '/api/v5/account/balance') return envelope([o.balance]);
    if (path === '/api/v5/account/positions') {
      const type = url.searchParams.get('instType');
      return envelope(type ? o.positions.filter((p) => (p as { instType?: string }).instType === type) : o.positions);
    }
    send(res, 404, { code: '50000', msg: 'not found', data: [] });
  };

  const server = http.createServer((req, res) => {
    if (req.method === 'OPTIONS') {
      res.writeHead(204, CORS);
      return res.end();
    }
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const m = /^\/(binance-usdm|bybit|okx)(\/.*)$/.exec(url.pathname);
    if (!m) return send(res, 404, { error: 'unknown exchange prefix' });
    const path = m[2]!;
    if (m[1] === 'binance-usdm') return binance(path, url, req, res);
    if (m[1] === 'bybit') return bybit(path, url, req, res);
    return okx(path, url, req, res);
  });
  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const m = /^\/binance-usdm\/private\/ws\/([A-Za-z0-9]+)$/.exec(path);
    const exchange = m ? 'binance' : path === '/bybit/v5/private' ? 'bybit' : path === '/okx/ws/v5/private' ? 'okx' : null;
    if (!exchange || (m && m[1] !== listenKey)) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const c = { exchange, ws, authed: exchange === 'binance' } as { exchange: ApiRequestLog['exchange']; ws: WebSocket; authed: boolean };
      conns.add(c);
      if (exchange === 'binance') s.streamLogins.binance++;
      ws.on('close', () => conns.delete(c));
      ws.on('message', (buf) => {
        const data = buf.toString();
        s.streamFrames.push({ exchange, data });
        if (exchange === 'okx' && data === 'ping') return ws.send('pong');
        let msg: { op?: string; args?: unknown[] };
        try {
          msg = JSON.parse(data);
        } catch {
          return;
        }
        if (exchange === 'bybit') {
          if (msg.op === 'ping') return ws.send(JSON.stringify({ req_id: 'ping', op: 'pong', args: [String(s.now())], conn_id: 'c1' }));
          if (msg.op === 'auth') {
            const [key, expires, sig] = (msg.args ?? []) as [string, number, string];
            const ok = key === s.bybit.apiKey && typeof expires === 'number' && expires > s.now() && !!s.bybit.publicKeyPem && verifyAsym(s.bybit.publicKeyPem, `GET/realtime${expires}`, sig);
            c.authed = ok;
            if (ok) s.streamLogins.bybit++;
            return ws.send(JSON.stringify({ success: ok, ret_msg: ok ? '' : 'Params Error', op: 'auth', conn_id: 'c1' }));
          }
          if (msg.op === 'subscribe') return ws.send(JSON.stringify({ success: c.authed, ret_msg: '', op: 'subscribe', conn_id: 'c1' }));
        }
        if (exchange === 'okx') {
          const o = s.okx;
          if (msg.op === 'login') {
            const a = (msg.args?.[0] ?? {}) as { apiKey?: string; passphrase?: string; timestamp?: string; sign?: string };
            const expected = createHmac('sha256', o.secret ?? '').update(`${a.timestamp}GET/users/self/verify`).digest('base64');
            const ok = a.apiKey === o.apiKey && a.passphrase === o.passphrase && a.sign === expected && Math.abs(Number(a.timestamp) * 1000 - s.now()) < 30_000;
            c.authed = ok;
            if (ok) s.streamLogins.okx++;
            return ws.send(JSON.stringify(ok ? { event: 'login', code: '0', msg: '', connId: 'c1' } : { event: 'error', code: '60009', msg: 'Login failed.', connId: 'c1' }));
          }
          if (msg.op === 'subscribe') {
            if (!c.authed) return ws.send(JSON.stringify({ event: 'error', code: '60011', msg: 'Please log in', connId: 'c1' }));
            for (const arg of (msg.args ?? []) as unknown[]) ws.send(JSON.stringify({ event: 'subscribe', arg, connId: 'c1' }));
          }
        }
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  s.origin = `http://127.0.0.1:${port}`;
  s.wsOrigin = `ws://127.0.0.1:${port}`;
  s.push = (exchange, frame) => {
    let n = 0;
    for (const c of conns) if (c.exchange === exchange && c.authed) (c.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame)), n++);
    return n;
  };
  s.dropStreams = () => {
    for (const c of conns) c.ws.terminate();
    conns.clear();
  };
  s.limit = (ex, n, status = 429, retryAfterS = 1) => void (limits[ex] = { n, status, retryAfterS });
  s.close = () => {
    s.dropStreams();
    wss.close();
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return s;
}
