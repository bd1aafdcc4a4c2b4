// @vitest-environment happy-dom
import { it, expect } from 'vitest';
import { EXCHANGE_PAGES } from '../lib/exchanges/pages';
import { apply } from '../test/exchanges/damage';
import { FIXTURES, loadFixture } from '../test/exchanges/helpers';
it('base hyperliquid same damage', () => {
  const doc = loadFixture('hyperliquid');
  apply('hyperliquid', doc, {kind:'garble',node:0,op:0,at:0} as any); apply('hyperliquid', doc, {kind:'dropRow',row:0} as any);
  const r = EXCHANGE_PAGES.find(p=>p.id==='hyperliquid')!.read(doc, FIXTURES.hyperliquid.url, {});
  console.log(r.snapshot?.positions.length, r.health.positionsComplete, r.health.problems);
});
