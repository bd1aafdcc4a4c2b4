/**
 * The worker-side exchange registry: everything the project knows about one exchange, in one
 * object per id. Built from the per-part registries, which stay separate so that each bundle
 * pulls only what it needs (the content script imports ./pages.ts and ./meta.ts only):
 *
 * | part         | from                                  | bundle                      |
 * |--------------|---------------------------------------|-----------------------------|
 * | meta         | ./meta.ts (name, hosts, matches, URLs)| config, content, background  |
 * | page         | ./pages.ts (`<id>/page.ts`, `reader.ts`) | content                   |
 * | stream       | ./streams.ts (`<id>/stream.ts`)       | background                  |
 * | tierSource   | ./tier-sources.ts (`<id>/tier-source.ts`) | background              |
 * | bundledTiers | ./tiers.ts (`<id>/tiers.ts`)          | background, popup           |
 * | instruments  | ./instrument-sources.ts (`<id>/instrument-source.ts`), ./instruments.ts (`<id>/instruments.ts`) | background |
 * | conventions  | lib/engine/conventions.ts             | engine                      |
 *
 * Adding an exchange: add its id to lib/engine/exchanges.ts `EXCHANGES` (the compiler then names
 * every `Record<ExchangeId, …>` table still missing it: meta, streams, tiers, conventions, …), add
 * the folder lib/exchanges/<id>/ with `stream.ts`, `tiers.ts` and, where they exist, `page.ts` +
 * `reader.ts` and `tier-source.ts`, one line in each registry that has the part, and a page
 * fixture. test/exchanges/registry.test.ts checks every exchange is complete.
 *
 * Registries import adapters; adapters import only ./common/ and lib/engine/ (never a registry
 * and never lib/background/): test/layout/imports.test.ts.
 */
import { CONVENTIONS, type Convention } from '../engine/conventions';
import type { InstrumentTable } from '../engine/instruments';
import { EXCHANGES, type ExchangeId } from '../engine/exchanges';
import type { StreamAdapter } from './common/stream';
import type { TierSource } from './common/tier-source';
import { EXCHANGE_META, type ExchangeMeta } from './meta';
import { PAGE_READERS, type ExchangePage } from './pages';
import { STREAM_ADAPTERS } from './streams';
import type { InstrumentSource } from './common/instrument-source';
import { INSTRUMENT_SOURCES } from './instrument-sources';
import { bundledInstruments } from './instruments';
import { TIER_SOURCES } from './tier-sources';
import { BUNDLED_TIER_SOURCES, type BundledTierSource } from './tiers';

/** Everything about one exchange. `null` parts do not exist for it (and the registry test pins which). */
export interface Exchange {
  id: ExchangeId;
  meta: ExchangeMeta;
  /** Page detection + reader (content side), or null when no page reader exists (Binance COIN-M). */
  page: ExchangePage | null;
  /** Public mark-price stream adapter. */
  stream: StreamAdapter;
  /** Live tier endpoint, or null when none is public and keyless (Binance COIN-M). */
  tierSource: TierSource | null;
  /** Where the bundled fallback tier tables come from, and which majors they lack. */
  bundledTiers: BundledTierSource;
  /** Formula conventions of the margin engine. */
  conventions: Convention;
  /** Live instruments endpoint (tick size, lot size, contract value). */
  instrumentSource: InstrumentSource;
  /** Bundled instrument specs of the majors (source and date in `<id>/instruments.ts`). */
  bundledInstruments: InstrumentTable;
}

/** Every exchange, keyed by id. */
export const EXCHANGE_REGISTRY: Readonly<Record<ExchangeId, Exchange>> = Object.fromEntries(
  EXCHANGES.map((id) => [
    id,
    {
      id,
      meta: EXCHANGE_META[id],
      page: PAGE_READERS[id] ?? null,
      stream: STREAM_ADAPTERS[id],
      tierSource: TIER_SOURCES[id] ?? null,
      bundledTiers: BUNDLED_TIER_SOURCES[id],
      conventions: CONVENTIONS[id],
      instrumentSource: INSTRUMENT_SOURCES[id],
      bundledInstruments: bundledInstruments(id),
    } satisfies Exchange,
  ]),
) as Record<ExchangeId, Exchange>;

/** The registry entry of an exchange. */
export function exchange(id: ExchangeId): Exchange {
  return EXCHANGE_REGISTRY[id];
}
