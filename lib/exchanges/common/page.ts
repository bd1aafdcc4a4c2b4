/**
 * The shape of one exchange's page reader as the content-side registry (../pages.ts) lists it and
 * the page watcher (./watcher.ts) drives it. Types only.
 */
import type { ExchangeId } from '../../engine/exchanges';
import type { PageRead, ReadOptions } from './reader/config';

export interface ExchangePage {
  id: ExchangeId;
  /** Human name for the UI. */
  label: string;
  /** Content-script match patterns for the exchange's trade pages (../meta.ts). */
  matches: readonly string[];
  /** Pure URL test: is this the futures page this reader understands? */
  isPage(url: string | URL): boolean;
  /** Read the page: snapshot (null if unrecognised) + health + panels to observe. */
  read(doc: Document, url: string, opts?: ReadOptions): PageRead;
}
