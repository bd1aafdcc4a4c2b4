/**
 * OKX v5 account API against the loopback server, which verifies every HMAC signature with the
 * secret: the `perm` gate, the snapshot mapping (contracts × ctVal), errors.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OKX_API, okxGateVerdict } from '../../../lib/exchanges/okx/api';
import { parseSnapshot } from '../../../lib/engine/snapshot';
import { okxState, startAccountApiServer, type AccountApiServer } from '../../../harness/account-api-server';
import { connect } from '../../api/helpers';

let server: AccountApiServer;
beforeAll(async () => void (server = await startAccountApiServer()));
afterAll(() => server.close());

describe('OKX read-only gate', () => {
  it('accepts perm "read_only" only', async () => {
    const ctx = await connect(server, 'okx');
    expect(await OKX_API.gate(ctx)).toEqual({ ok: true, notes: [], expiresInDays: null });
    expect(server.requests.at(-1)).toEqual({ exchange: 'okx', path: '/api/v5/account/config', verified: true });
  });

  it('refuses the doc example "read_only,withdraw,trade", naming Withdraw and Trade', async () => {
    const ctx = await connect(server, 'okx');
    server.okx.config.perm = 'read_only,withdraw,trade';
    expect(await OKX_API.gate(ctx)).toMatchObject({ ok: false, switchOff: ['Withdraw', 'Trade'] });
    server.okx.config.perm = 'read_only';
    expect(okxGateVerdict({ perm: 'trade' })).toMatchObject({ ok: false });
  });

  it('a wrong passphrase or secret is an auth error', async () => {
    const ctx = await connect(server, 'okx');
    await expect(OKX_API.gate({ ...ctx, key: { ...ctx.key, passphrase: 'wrong' } })).rejects.toMatchObject({ kind: 'auth', code: '50105' });
    server.okx.secret = 'another';
    await expect(OKX_API.gate(ctx)).rejects.toMatchObject({ kind: 'auth', code: '50113' });
  });
});

describe('OKX snapshot', () => {
  it('converts contracts with ctVal and takes the USDT row ratio in Futures mode', async () => {
    const ctx = await connect(server, 'okx');
    Object.assign(server.okx, okxState());
    const { snapshot, problems } = await OKX_API.snapshot(ctx);
    expect(problems).toEqual([]);
    expect(parseSnapshot(snapshot)).toEqual(snapshot);
    expect(snapshot).toMatchObject({ exchange: 'okx', positionMode: 'one-way', walletBalance: '3000', source: { reader: 'api' }, displayed: { marginRatio: '50', maintenanceMargin: '60' } });
    expect(snapshot.positions).toEqual([
      { symbol: 'BTC-USDT-SWAP', side: 'long', size: '0.15', contract: 'linear', entryPrice: '100000', markPrice: '100000', marginMode: 'cross', leverage: '20', displayed: { liquidationPrice: '92000.5', unrealizedPnl: '0' } },
    ]);
  });

  it('fetches an unknown ctVal from the public instruments endpoint; leaves out an inverse swap and an unknown contract, naming them', async () => {
    const ctx = await connect(server, 'okx');
    const st = okxState();
    const base = st.positions[0] as Record<string, unknown>;
    st.instruments['SOL-USDT-SWAP'] = { instId: 'SOL-USDT-SWAP', ctVal: '1', ctType: 'linear' };
    st.positions = [
      { ...base, instId: 'SOL-USDT-SWAP', pos: '-3', avgPx: '150', posSide: 'net', mgnMode: 'isolated', margin: '45', mgnRatio: '12.5', liqPx: '' },
      { ...base, instId: 'BTC-USD-SWAP' },
      { ...base, instId: 'NEW-USDT-SWAP' },
    ];
    Object.assign(server.okx, st);
    st.config.acctLv = '3';
    st.balance.mgnRatio = '7.5';
    const { snapshot, problems } = await OKX_API.snapshot(ctx);
    expect(snapshot.positions).toEqual([
      { symbol: 'SOL-USDT-SWAP', side: 'short', size: '3', contract: 'linear', entryPrice: '150', markPrice: '100000', marginMode: 'isolated', leverage: '20', isolatedMargin: '45', displayed: { liquidationPrice: null, unrealizedPnl: '0', marginRatio: '12.5' } },
    ]);
    expect(snapshot.displayed?.marginRatio).toBe('7.5');
    expect(problems).toEqual([expect.stringMatching(/^BTC-USD-SWAP: only USDT-margined/), expect.stringMatching(/^NEW-USDT-SWAP: contract value unknown/)]);
  });
});
