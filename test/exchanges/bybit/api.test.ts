/**
 * Bybit v5 account API against the loopback server, which verifies every RSA-SHA256 signature with
 * the exported public key: the read-only gate, the snapshot mapping with cursor paging, errors.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BYBIT_API, bybitGateVerdict } from '../../../lib/exchanges/bybit/api';
import { parseSnapshot } from '../../../lib/engine/snapshot';
import { bybitState, startAccountApiServer, type AccountApiServer } from '../../../harness/account-api-server';
import { connect } from '../../api/helpers';

let server: AccountApiServer;
beforeAll(async () => void (server = await startAccountApiServer()));
afterAll(() => server.close());

describe('Bybit read-only gate', () => {
  it('accepts readOnly 1 with our RSA public key, and passes on the days left', async () => {
    const ctx = await connect(server, 'bybit');
    expect(await BYBIT_API.gate(ctx)).toEqual({ ok: true, notes: [expect.stringMatching(/expires this key in 83 days/)], expiresInDays: 83 });
    expect(server.requests.at(-1)).toEqual({ exchange: 'bybit', path: '/v5/user/query-api', verified: true });
  });

  it('refuses a Read-Write key, naming it', async () => {
    const ctx = await connect(server, 'bybit');
    server.bybit.queryApi.readOnly = 0;
    expect(await BYBIT_API.gate(ctx)).toMatchObject({ ok: false, switchOff: ['Read-Write'] });
    server.bybit.queryApi.readOnly = 1;
  });

  it('refuses a key whose registered RSA public key is not ours, and one that may withdraw', () => {
    const q = bybitState().queryApi;
    expect(bybitGateVerdict({ ...q, rsaPublicKey: 'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA' }, '-----BEGIN PUBLIC KEY-----\nMIIBOTHER\n-----END PUBLIC KEY-----')).toMatchObject({ ok: false, reason: expect.stringMatching(/not created with the public key shown here/) });
    expect(bybitGateVerdict({ ...q, rsaPublicKey: 'AAA', permissions: { Wallet: ['AccountTransfer', 'Withdraw'] } }, 'AAA')).toMatchObject({ ok: false, switchOff: ['Withdrawal'] });
  });

  it('a bad signature comes back as Bybit retCode 10004 (exchange error), never accepted', async () => {
    const ctx = await connect(server, 'bybit');
    await connect(server, 'bybit'); // the server now holds another public key
    await expect(BYBIT_API.gate(ctx)).rejects.toMatchObject({ code: '10004' });
  });
});

describe('Bybit snapshot', () => {
  it('follows nextPageCursor and maps a cross (REGULAR_MARGIN) account with accountMMRate', async () => {
    const ctx = await connect(server, 'bybit');
    const st = bybitState();
    const base = st.positions[0] as Record<string, unknown>;
    Object.assign(server.bybit, { ...st, positions: [base, { ...base, symbol: 'ETHUSDT', side: 'Sell', size: '2', avgPrice: '3000', markPrice: '3000', liqPrice: '3500.5', leverage: '10' }] });
    const before = server.requests.length;
    const { snapshot, problems } = await BYBIT_API.snapshot(ctx);
    // Two USDT pages (cursor), then one USDC and one inverse list.
    expect(server.requests.slice(before).filter((r) => r.path === '/v5/position/list')).toHaveLength(4);
    expect(problems).toEqual([]);
    expect(parseSnapshot(snapshot)).toEqual(snapshot);
    expect(snapshot).toMatchObject({ exchange: 'bybit', positionMode: 'one-way', walletBalance: '2000', source: { reader: 'api' }, displayed: { marginRatio: '0.02', maintenanceMargin: '40', marginBalance: '2000' } });
    expect(snapshot.positions.map((p) => [p.symbol, p.side, p.size, p.marginMode, p.displayed?.liquidationPrice])).toEqual([
      ['BTCUSDT', 'long', '0.1', 'cross', null],
      ['ETHUSDT', 'short', '2', 'cross', '3500.5'],
    ]);
  });

  it('names USDC-settled and inverse positions as not monitored (never dropped silently)', async () => {
    const ctx = await connect(server, 'bybit');
    const st = bybitState();
    const base = st.positions[0] as Record<string, unknown>;
    Object.assign(server.bybit, { ...st, usdcPositions: [{ ...base, symbol: 'BTCPERP', size: '0.5' }], inversePositions: [{ ...base, symbol: 'BTCUSD', size: '300' }, { ...base, symbol: 'ETHUSD', size: '0', side: '' }] });
    const { snapshot, problems } = await BYBIT_API.snapshot(ctx);
    expect(snapshot.positions.map((p) => p.symbol)).toEqual(['BTCUSDT']);
    expect(problems).toEqual(['BTCPERP: USDC-settled positions are not monitored through the API', 'BTCUSD: inverse positions are not monitored through the API']);
  });

  it('isolated account mode: isolated positions with their position balance; portfolio margin is flagged', async () => {
    const ctx = await connect(server, 'bybit');
    const st = bybitState();
    Object.assign(server.bybit, { ...st, accountInfo: { ...st.accountInfo, marginMode: 'ISOLATED_MARGIN' } });
    const iso = await BYBIT_API.snapshot(ctx);
    expect(iso.snapshot.positions[0]).toMatchObject({ marginMode: 'isolated', isolatedMargin: '500' });
    expect(iso.snapshot.walletBalance).toBe('2000');
    server.bybit.accountInfo = { ...st.accountInfo, marginMode: 'PORTFOLIO_MARGIN' };
    expect((await BYBIT_API.snapshot(ctx)).problems).toEqual([expect.stringMatching(/portfolio margin is not modelled/)]);
  });
});
