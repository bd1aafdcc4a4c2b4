/**
 * Registry meta-test (after web-scrobbler's connectors test): every exchange is complete — each
 * part present where it should be, the folder holds the files its registry entries come from, a
 * page fixture exists for every page reader, example URLs lie inside the exchange's own match
 * patterns, and ids, hosts and patterns are well-formed and unique.
 */
import { MatchPattern } from '@webext-core/match-patterns';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONVENTIONS } from '@/lib/engine/conventions';
import { EXCHANGE_NAMES, EXCHANGES, type ExchangeId } from '@/lib/engine/exchanges';
import { BINANCE_USDM_EXAMPLES } from '@/lib/exchanges/binance-usdm/page';
import { BYBIT_EXAMPLES } from '@/lib/exchanges/bybit/page';
import { HYPERLIQUID_EXAMPLES } from '@/lib/exchanges/hyperliquid/page';
import { PAGE_HOSTS, REST_ORIGINS, STREAM_ENDPOINTS, TRADE_PAGES } from '@/lib/exchanges/endpoints';
import { CONTENT_MATCHES, EXCHANGE_META, REST_HOST_PERMISSIONS } from '@/lib/exchanges/meta';
import { OKX_EXAMPLES } from '@/lib/exchanges/okx/page';
import { EXCHANGE_PAGES } from '@/lib/exchanges/pages';
import { EXCHANGE_REGISTRY } from '@/lib/exchanges/registry';
import { defaultTierTables } from '@/lib/exchanges/tiers';

const ROOT = resolve(import.meta.dirname, '..', '..');
const EXCHANGES_DIR = join(ROOT, 'lib', 'exchanges');
const FIXTURES = readdirSync(join(ROOT, 'test', 'fixtures', 'pages'));

/**
 * Exchanges known to lack a part, and why. A new exchange gets every part, or an entry here that
 * a reviewer sees.
 */
const NO_PAGE_READER: readonly ExchangeId[] = ['binance-coinm']; // COIN-M pages are not read yet (stream + tiers only)
const NO_TIER_SOURCE: readonly ExchangeId[] = []; // every exchange has a public keyless tier endpoint (COIN-M: the website's bapi brackets)

/** Example URLs per page reader (kept next to each predicate in <id>/page.ts). */
const EXAMPLES: Partial<Record<ExchangeId, { match: readonly string[] }>> = {
  'binance-usdm': BINANCE_USDM_EXAMPLES,
  bybit: BYBIT_EXAMPLES,
  okx: OKX_EXAMPLES,
  hyperliquid: HYPERLIQUID_EXAMPLES,
};

/** Folders under lib/exchanges/ that are not exchanges: shared code. */
// binance-margin: the spot margin account kind (issue 16), its own reader/stream outside the futures registry.
const SHARED_FOLDERS = ['common', 'binance', 'binance-margin'];

describe('exchange registry', () => {
  it('has exactly one entry per exchange id, keyed by its own id', () => {
    expect(Object.keys(EXCHANGE_REGISTRY).sort()).toEqual([...EXCHANGES].sort());
    expect(new Set(EXCHANGES).size).toBe(EXCHANGES.length);
    for (const id of EXCHANGES) {
      const e = EXCHANGE_REGISTRY[id];
      expect(e.id).toBe(id);
      expect(e.meta.id).toBe(id);
      expect(e.stream.exchange).toBe(id);
      expect(e.conventions.exchange).toBe(id);
      expect(e.conventions).toBe(CONVENTIONS[id]);
      if (e.page) expect(e.page.id).toBe(id);
      if (e.tierSource) expect(e.tierSource.exchange).toBe(id);
    }
  });

  it('every folder under lib/exchanges/ is an exchange or a named shared folder', () => {
    const folders = readdirSync(EXCHANGES_DIR).filter((f) => statSync(join(EXCHANGES_DIR, f)).isDirectory());
    expect(folders.filter((f) => !SHARED_FOLDERS.includes(f)).sort()).toEqual([...EXCHANGES].sort());
  });

  describe.each(EXCHANGES)('%s', (id) => {
    const e = EXCHANGE_REGISTRY[id];
    const has = (file: string) => existsSync(join(EXCHANGES_DIR, id, file));

    it('has a name, page host, trade page on that host, REST origin and stream endpoint', () => {
      expect(e.meta.label).toBe(EXCHANGE_NAMES[id]);
      expect(e.meta.pageHost).toMatch(/^[a-z0-9.-]+\.[a-z]{2,}$/);
      expect(new URL(e.meta.tradePage).protocol).toBe('https:');
      expect(new URL(e.meta.tradePage).hostname).toBe(e.meta.pageHost);
      expect(new URL(e.meta.restOrigin).protocol).toBe('https:');
      expect(new URL(e.meta.restOrigin).origin).toBe(e.meta.restOrigin);
      expect(new URL(e.meta.stream.origin).protocol).toBe('wss:');
      expect(e.meta.stream.path).toMatch(/^\//);
      // endpoints.ts derives from the same table
      expect([PAGE_HOSTS[id], TRADE_PAGES[id], REST_ORIGINS[id], STREAM_ENDPOINTS[id]]).toEqual([e.meta.pageHost, e.meta.tradePage, e.meta.restOrigin, e.meta.stream]);
      expect(REST_HOST_PERMISSIONS).toContain(`${e.meta.restOrigin}/*`);
    });

    it('has a stream adapter (stream.ts) and bundled tier data (tiers.ts)', () => {
      expect(has('stream.ts')).toBe(true);
      expect(has('tiers.ts')).toBe(true);
      expect(typeof e.stream.createParser().parse).toBe('function');
      expect(e.bundledTiers.source.length).toBeGreaterThan(0);
      // Every bundled table is for this exchange; an exchange with none names what it lacks.
      const tables = Object.values(defaultTierTables(id));
      for (const t of tables) expect(t.exchange).toBe(id);
      if (tables.length === 0) expect(e.bundledTiers.unavailable.length).toBeGreaterThan(0);
    });

    it('has a page reader (page.ts, reader.ts, matches, fixture, example URLs inside its patterns), or is listed as having none', () => {
      if (NO_PAGE_READER.includes(id)) {
        expect(e.page).toBeNull();
        expect(e.meta.matches).toEqual([]);
        return;
      }
      expect(e.page).not.toBeNull();
      expect(has('page.ts') && has('reader.ts')).toBe(true);
      expect(EXCHANGE_PAGES.filter((p) => p.id === id)).toHaveLength(1);
      expect(FIXTURES.some((f) => f.startsWith(id) && f.endsWith('.html')), `a test/fixtures/pages/${id}*.html fixture`).toBe(true);
      expect(e.meta.matches.length).toBeGreaterThan(0);
      const patterns = e.meta.matches.map((p) => new MatchPattern(p));
      for (const p of e.meta.matches) {
        expect(p.startsWith(`https://${e.meta.pageHost}/`), p).toBe(true);
        expect(CONTENT_MATCHES).toContain(p);
      }
      const examples = EXAMPLES[id]!.match;
      expect(examples.length).toBeGreaterThan(0);
      for (const url of examples) {
        expect(e.page!.isPage(url), url).toBe(true);
        expect(patterns.some((p) => p.includes(url)), `${url} inside ${e.meta.matches.join(' ')}`).toBe(true);
      }
      expect(e.page!.isPage(e.meta.tradePage)).toBe(true);
    });

    it('has a live tier source (tier-source.ts), or is listed as having none', () => {
      if (NO_TIER_SOURCE.includes(id)) {
        expect(e.tierSource).toBeNull();
        expect(has('tier-source.ts')).toBe(false);
        return;
      }
      expect(e.tierSource).not.toBeNull();
      expect(has('tier-source.ts')).toBe(true);
    });
  });

  it('no two exchanges share a content-script match pattern or a stream endpoint', () => {
    const patterns = EXCHANGES.flatMap((id) => EXCHANGE_META[id].matches);
    expect(new Set(patterns).size).toBe(patterns.length);
    const streams = EXCHANGES.map((id) => `${EXCHANGE_META[id].stream.origin}${EXCHANGE_META[id].stream.path}`);
    expect(new Set(streams).size).toBe(streams.length);
  });
});
