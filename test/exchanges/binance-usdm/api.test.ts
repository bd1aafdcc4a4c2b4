/**
 * Binance USDⓈ-M account API against the loopback server, which verifies every Ed25519 signature
 * with the exported public key: the read-only gate, the snapshot mapping, errors and rate limits.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../../lib/api/client';
import { BINANCE_API, binanceGateVerdict } from '../../../lib/exchanges/binance-usdm/api';
import { parseSnapshot } from '../../../lib/engine/snapshot';
import { binanceState, startAccountApiServer, type AccountApiServer } from '../../../harness/account-api-server';
import { connect } from '../../api/helpers';

let server: AccountApiServer;
beforeAll(async () => void (server = await startAccountApiServer()));
afterAll(() => server.close());

describe('Binance read-only gate', () => {
  it('accepts a key with only "Enable Reading" (read-only FIX allowed), after a futures read', async () => {
    const ctx = await connect(server, 'binance');
    Object.assign(server.binance, binanceState());
    const before = server.requests.length;
    const v = await BINANCE_API.gate(ctx);
    expect(v.ok).toBe(true);
    const seen = server.requests.slice(before);
    expect(seen.map((r) => r.path)).toEqual(['/sapi/v1/account/apiRestrictions', '/fapi/v3/account']);
    expect(seen.every((r) => r.verified)).toBe(true);
  });

  it('refuses a key that can trade futures or withdraw, naming each switch', async () => {
    const ctx = await connect(server, 'binance');
    Object.assign(server.binance, binanceState());
    server.binance.apiRestrictions.enableFutures = true;
    server.binance.apiRestrictions.enableWithdrawals = true;
    const v = await BINANCE_API.gate(ctx);
    expect(v).toMatchObject({ ok: false, switchOff: ['Enable Withdrawals', 'Enable Futures'] });
    expect(!v.ok && v.reason).toMatch(/switch off "Enable Withdrawals", "Enable Futures"/);
  });

  it('treats an unknown future permission flag that is on as not read-only, and the doc example (Portfolio Margin Trading on) as refused', () => {
    expect(binanceGateVerdict({ enableReading: true, enableSomethingNew: true })).toMatchObject({ ok: false, switchOff: ['enableSomethingNew'] });
    expect(binanceGateVerdict({ ...binanceState().apiRestrictions, enablePortfolioMarginTrading: true })).toMatchObject({ ok: false, switchOff: ['Enable Portfolio Margin Trading'] });
    expect(binanceGateVerdict({ enableReading: false })).toMatchObject({ ok: false });
    expect(() => binanceGateVerdict({ nothing: 1 })).toThrow(/enableReading/);
  });

  it('a key registered with another public key fails with Binance -1022 (auth), never accepted', async () => {
    const ctx = await connect(server, 'binance');
    const other = await connect(server, 'binance'); // re-registers the server with a new public key
    void other;
    const e = await BINANCE_API.gate(ctx).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ApiError);
    expect(e).toMatchObject({ code: '-1022' });
  });

  it('a clock outside recvWindow is refused by the server (-1021)', async () => {
    const ctx = await connect(server, 'binance', { now: () => Date.now() - 60_000 });
    const e = await BINANCE_API.gate(ctx).catch((x: unknown) => x);
    expect(e).toMatchObject({ code: '-1021' });
  });

  it('HTTP 429 becomes a rate-limit error with the Retry-After wait (at least 60 s)', async () => {
    const ctx = await connect(server, 'binance');
    server.limit('binance', 1, 429, 90);
    const e = await BINANCE_API.gate(ctx).catch((x: unknown) => x);
    expect(e).toMatchObject({ kind: 'rate-limit', retryAfterMs: 90_000 });
    server.limit('binance', 1, 418, 1);
    expect(await BINANCE_API.gate(ctx).catch((x: unknown) => x)).toMatchObject({ kind: 'rate-limit', retryAfterMs: 120_000 });
  });
});

describe('Binance snapshot', () => {
  it('maps account, configs and positionRisk to a valid snapshot with Binance figures beside ours', async () => {
    const ctx = await connect(server, 'binance');
    Object.assign(server.binance, binanceState());
    const { snapshot, problems } = await BINANCE_API.snapshot(ctx);
    expect(problems).toEqual([]);
    expect(parseSnapshot(snapshot)).toEqual(snapshot);
    expect(snapshot).toMatchObject({
      exchange: 'binance-usdm',
      positionMode: 'one-way',
      walletBalance: '1000.00000000',
      source: { reader: 'api' },
      displayed: { marginRatio: '0.04', maintenanceMargin: '40.00000000', marginBalance: '1000.00000000' },
    });
    expect(snapshot.positions).toEqual([
      {
        symbol: 'BTCUSDT', side: 'long', size: '0.1', contract: 'linear', entryPrice: '100000.0', markPrice: '100000.00000000', marginMode: 'cross', leverage: '20',
        displayed: { liquidationPrice: '90400.00000000', unrealizedPnl: '0.00000000' },
      },
    ]);
  });

  it('hedge mode, an isolated short, liquidationPrice "0" as unknown, a USDC position listed as a problem', async () => {
    const ctx = await connect(server, 'binance');
    const st = binanceState();
    st.accountConfig.dualSidePosition = true;
    st.symbolConfig = [{ symbol: 'ETHUSDT', marginType: 'ISOLATED', isAutoAddMargin: false, leverage: 10, maxNotionalValue: '1' }];
    const base = (st.positionRisk as Record<string, unknown>[])[0]!;
    st.positionRisk = [
      { ...base, symbol: 'ETHUSDT', positionSide: 'SHORT', positionAmt: '-2', entryPrice: '3000', markPrice: '3000', liquidationPrice: '0', isolatedWallet: '600', isolatedMargin: '600' },
      { ...base, symbol: 'BTCUSDC', positionSide: 'LONG', marginAsset: 'USDC' },
      { ...base, symbol: 'XRPUSDT', positionSide: 'LONG', positionAmt: '0' },
    ];
    Object.assign(server.binance, st);
    const { snapshot, problems } = await BINANCE_API.snapshot(ctx);
    expect(snapshot.positionMode).toBe('hedge');
    expect(snapshot.positions).toEqual([
      expect.objectContaining({ symbol: 'ETHUSDT', side: 'short', size: '2', marginMode: 'isolated', isolatedMargin: '600', leverage: '10', displayed: { liquidationPrice: null, unrealizedPnl: '0.00000000', margin: '600' } }),
    ]);
    expect(problems).toEqual([expect.stringMatching(/^BTCUSDC: USDC-margined/)]);
    parseSnapshot(snapshot);
  });
});
