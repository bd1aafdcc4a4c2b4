import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import WebSocket from 'ws';
import { startBackground } from '@/lib/background';
import { hyperliquidAccountKey } from '@/lib/background/hyperliquid-watch';
import { snapshotFromClearinghouse } from '@/lib/exchanges/hyperliquid/account';
import type { Monitor } from '@/lib/background/monitor';
import { parseSnapshot } from '@/lib/engine/snapshot';
import { DEFAULT_SETTINGS } from '@/lib/settings/schema';
import { endpointOverrideItem, settingsItem } from '@/lib/storage';
import { startStreamServer, type StreamServer } from '../../harness/stream-server';

// Example response of POST /info {"type":"clearinghouseState"} from the Hyperliquid API docs
// (isolated ETH position), plus one cross BTC short added to exercise the cross path.
const STATE = {
  assetPositions: [
    {
      position: {
        coin: 'ETH',
        cumFunding: { allTime: '514.085417', sinceChange: '0.0', sinceOpen: '0.0' },
        entryPx: '2986.3',
        leverage: { rawUsd: '-95.059824', type: 'isolated', value: 20 },
        liquidationPx: '2866.26936529',
        marginUsed: '4.967826',
        maxLeverage: 50,
        positionValue: '100.02765',
        returnOnEquity: '-0.0026789',
        szi: '0.0335',
        unrealizedPnl: '-0.0134',
      },
      type: 'oneWay',
    },
    {
      position: {
        coin: 'BTC',
        entryPx: '95000.0',
        leverage: { type: 'cross', value: 20 },
        liquidationPx: '140000.0',
        marginUsed: '950.0',
        maxLeverage: 40,
        positionValue: '19000.0',
        returnOnEquity: '0.0',
        szi: '-0.2',
        unrealizedPnl: '0.0',
      },
      type: 'oneWay',
    },
  ],
  crossMaintenanceMarginUsed: '237.5',
  crossMarginSummary: { accountValue: '13104.514502', totalMarginUsed: '950.0', totalNtlPos: '19000.0', totalRawUsd: '13104.514502' },
  marginSummary: { accountValue: '13109.482328', totalMarginUsed: '954.967826', totalNtlPos: '19100.02765', totalRawUsd: '13009.454678' },
  time: 1708622398623,
  withdrawable: '13104.514502',
};
const ADDRESS = '0x' + 'ab'.repeat(20);

describe('Hyperliquid address watch', () => {
  it('converts clearinghouseState into a valid snapshot (signed szi → side, mark from position value)', () => {
    const s = parseSnapshot(snapshotFromClearinghouse(STATE, 'u', 1));
    expect(s.walletBalance).toBe('13104.514502');
    expect(s.positions.map((p) => [p.symbol, p.side, p.size, p.marginMode, p.markPrice])).toEqual([
      ['ETH', 'long', '0.0335', 'isolated', '2985.9'],
      ['BTC', 'short', '0.2', 'cross', '95000'],
    ]);
    expect(s.positions[0]!.isolatedMargin).toBe('4.981226');
    expect(() => snapshotFromClearinghouse({ ...STATE, assetPositions: [{ position: { coin: 'X' } }] }, 'u', 1)).toThrow(/clearinghouseState/);
  });

  describe('through the background', () => {
    let server: StreamServer;
    let started: { monitor: Monitor; ready: Promise<void> } | null = null;
    beforeAll(async () => {
      server = await startStreamServer();
    });
    afterAll(async () => {
      await server.close();
    });
    beforeEach(() => {
      fakeBrowser.reset();
      server.reset();
    });
    afterEach(async () => {
      await started?.monitor.dispose();
    });

    it('polls the info endpoint for watched addresses (no tab) and monitors the account with live marks', async () => {
      server.setRest('hyperliquid', '/info', STATE, { match: (_u, body) => JSON.parse(body).type === 'clearinghouseState' && JSON.parse(body).user === ADDRESS });
      await endpointOverrideItem.setValue({ stream: server.origin, rest: server.httpOrigin });
      await settingsItem.setValue({ ...DEFAULT_SETTINGS, hyperliquidAddresses: [ADDRESS] });
      started = startBackground({ WebSocket, backoff: { minMs: 30, maxMs: 100, jitterMs: 5 } });
      await started.ready;
      const acc = started.monitor.accounts[hyperliquidAccountKey(ADDRESS)];
      expect(acc?.label).toBe('Hyperliquid 0xabab…abab');
      expect(acc?.risk?.riskRatio).not.toBeNull();
      const t0 = Date.now();
      while (server.subscriptions('hyperliquid').join() !== 'BTC,ETH') {
        if (Date.now() - t0 > 5000) throw new Error('not subscribed');
        await new Promise((r) => setTimeout(r, 10));
      }
    });
  });
});
