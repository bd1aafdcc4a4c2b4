import { Window } from 'happy-dom';
import { readFileSync } from 'node:fs';
import { EXCHANGE_PAGES } from '/work/wt-stops/lib/exchanges/pages';
import { positionStops } from '/work/wt-stops/lib/engine/stops';
import { evaluate } from '/work/wt-stops/lib/engine';
import { defaultTierTables } from '/work/wt-stops/lib/exchanges/tiers';
const F: any = { 'binance-usdm': ['orders/binance-usdm-stops.html','https://www.binance.com/en/futures/BTCUSDT'], okx: ['okx-swap.html','https://www.okx.com/trade-swap/btc-usdt-swap'], bybit: ['orders/bybit-linear-stops.html','https://www.bybit.com/trade/usdt/BTCUSDT']};
for (const ex of Object.keys(F)) {
  const w = new Window({ url: F[ex][1] }); const d = new w.DOMParser().parseFromString(readFileSync(`/work/wt-stops/test/fixtures/pages/${F[ex][0]}`,'utf8'), 'text/html');
  const r = EXCHANGE_PAGES.find(p=>p.id===ex)!.read(d as any, F[ex][1], {});
  console.log(ex, JSON.stringify(r.snapshot?.orders), r.snapshot?.ordersComplete, r.health.status);
  const ev = evaluate(r.snapshot, defaultTierTables(ex as any));
  console.log(ev.positions.map(p => [p.symbol, p.liquidationPrice, p.reasons.map(x=>x.reason)]));
  console.log(JSON.stringify(positionStops(r.snapshot, defaultTierTables(ex as any)).map(s => [s.status, s.reasons])));
}
