/**
 * A Binance USDⓈ-M futures page for a chosen account, in the layout of the shared fixture
 * (test/fixtures/pages/binance-usdm.html: same tabs, header labels, cell shapes), with
 * every displayed figure (margin ratio, MM, margin balance, uPnL, liquidation price…) computed
 * from the account by the margin engine, so what the page shows and what the extension
 * computes agree by construction. Used by the alert scenarios and `npm run demo`.
 *
 * Also: price paths by target risk ratio (bisection with the engine), for scripted scenarios.
 */
import { Decimal } from 'decimal.js';
import { evaluate } from '../lib/engine';
import type { AccountSnapshot } from '../lib/engine/snapshot';
import type { AccountRisk } from '../lib/engine/types';
import { defaultTierTables } from '../lib/exchanges/tiers';

export interface DemoPosition {
  /** Binance symbol, e.g. BTCUSDT. */
  symbol: string;
  side: 'long' | 'short';
  /** Base units, positive. */
  size: string;
  entryPrice: string;
  leverage: string;
}

/** A one-way, cross-margin USDⓈ-M account. Money in USDT. */
export interface DemoAccount {
  walletBalance: string;
  positions: DemoPosition[];
}

/** symbol → mark price. */
export type Marks = Record<string, string>;

export function demoSnapshot(acct: DemoAccount, marks: Marks): AccountSnapshot {
  return {
    exchange: 'binance-usdm',
    positionMode: 'one-way',
    walletBalance: acct.walletBalance,
    positions: acct.positions.map((p) => ({
      symbol: p.symbol,
      side: p.side,
      size: p.size,
      contract: 'linear',
      entryPrice: p.entryPrice,
      markPrice: marks[p.symbol] ?? p.entryPrice,
      marginMode: 'cross',
      leverage: p.leverage,
    })),
  };
}

/** Engine result for the account at `marks`, with the bundled Binance tier tables (as the extension falls back to here). */
export function demoRisk(acct: DemoAccount, marks: Marks): AccountRisk {
  return evaluate(demoSnapshot(acct, marks), defaultTierTables('binance-usdm'));
}

/**
 * Mark price of `symbol` (2 dp) at which the account's risk ratio is closest to `target` from
 * above (first price, moving against the position, where ratio ≥ target). Other marks fixed.
 * @throws Error when the target is not reachable between the entry and 50 % away from it.
 */
export function priceForRiskRatio(acct: DemoAccount, symbol: string, target: string, marks: Marks): string {
  const pos = acct.positions.find((p) => p.symbol === symbol);
  if (!pos) throw new Error(`no position on ${symbol}`);
  const ratioAt = (price: Decimal) => {
    const r = demoRisk(acct, { ...marks, [symbol]: price.toFixed(2) }).riskRatio;
    return r === null ? new Decimal(Infinity) : new Decimal(r);
  };
  const entry = new Decimal(pos.entryPrice);
  // Safe end and dangerous end of the search interval.
  let safe = pos.side === 'long' ? entry.mul(1.5) : entry.mul(0.5);
  let risky = pos.side === 'long' ? entry.mul(0.5) : entry.mul(1.5);
  const t = new Decimal(target);
  if (ratioAt(safe).gte(t) || ratioAt(risky).lt(t)) throw new Error(`risk ratio ${target} not reachable on ${symbol}`);
  while (safe.minus(risky).abs().gt('0.01')) {
    const mid = safe.plus(risky).div(2).toDecimalPlaces(2);
    if (mid.eq(safe) || mid.eq(risky)) break;
    if (ratioAt(mid).gte(t)) risky = mid;
    else safe = mid;
  }
  return risky.toFixed(2);
}

/**
 * A wallet balance that puts the account at risk ratio `target` at `marks` (2 dp, rounded so
 * the ratio is at most `target`). Risk ratio = (MM + fee) / margin balance, so solve for the wallet.
 */
export function walletForRiskRatio(acct: DemoAccount, target: string, marks: Marks): string {
  const r = demoRisk({ ...acct, walletBalance: '1000000' }, marks);
  if (r.riskRatio === null || r.marginBalance === null) throw new Error('risk not computable for this account');
  const numerator = new Decimal(r.riskRatio).mul(r.marginBalance); // MM + fee, USDT
  const upnl = new Decimal(r.marginBalance).minus('1000000');
  return numerator.div(target).minus(upnl).toDecimalPlaces(2, Decimal.ROUND_UP).toFixed(2);
}

/** `12,345.67`-style: thousands separators, fixed decimals. */
export function grouped(value: string | Decimal, dp: number): string {
  const s = new Decimal(value).toFixed(dp);
  const neg = s.startsWith('-');
  const [int, frac] = (neg ? s.slice(1) : s).split('.');
  const g = int!.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${neg ? '-' : ''}${g}${frac !== undefined ? `.${frac}` : ''}`;
}

const signed = (v: string | Decimal, dp: number) => (new Decimal(v).gte(0) ? `+${grouped(v, dp)}` : grouped(v, dp));
const pct = (fraction: string | null, dp = 2) => (fraction === null ? '--' : `${new Decimal(fraction).mul(100).toFixed(dp)}%`);

/** What the page shows besides the engine's figures (all optional; default: the plain demo page). */
export interface PageVariant {
  /**
   * Account identity shown in the Account widget as one leaf element
   * `<div class="css-account-uid">UID 12345678</div>` right under the widget's title (the
   * text is `UID ` + these digits). Omitted when unset.
   */
  uid?: string;
  /**
   * Hidden balances (the "eye" toggle): every PnL figure (each row's PNL and ROI lines, the
   * account's Unrealized PNL) is shown as `******` (exchange-pages.md §0: "treat any value with
   * no digits as unknown").
   */
  maskPnl?: boolean;
  /**
   * The margin ratio the exchange shows (fraction, e.g. `'0.95'`) in the Account widget and the
   * rows' Margin Ratio column instead of the engine's, with the Maintenance Margin that goes with
   * it (ratio × margin balance, Binance's definition MR = MM / margin balance): an exchange whose
   * tiers give more maintenance margin than ours.
   */
  exchangeMarginRatio?: string;
}

/** The `******` Binance shows for a hidden figure. */
export const MASKED = '******';

/** Inner HTML of `#__APP` for the account at `marks`: trade form, Account widget, Positions grid. */
export function binanceAppHtml(acct: DemoAccount, marks: Marks, variant: PageVariant = {}): string {
  const risk = demoRisk(acct, marks);
  const shownRatio = variant.exchangeMarginRatio ?? risk.marginRatio;
  const shownMm =
    variant.exchangeMarginRatio !== undefined && risk.marginBalance !== null
      ? new Decimal(variant.exchangeMarginRatio).mul(risk.marginBalance).toFixed(2)
      : risk.maintenanceMargin;
  const pnlText = (v: string | null, text: string) => (variant.maskPnl ? MASKED : v === null ? '--' : text);
  const first = acct.positions[0];
  const rows = risk.positions
    .map((p, i) => {
      const d = acct.positions[i]!;
      const cls = p.side === 'long' ? 'Buy' : 'Sell';
      const base = d.symbol.replace(/USDT$/, '');
      const im = p.initialMargin ?? '0';
      const roi = p.unrealizedPnl !== null && new Decimal(im).gt(0) ? new Decimal(p.unrealizedPnl).div(im) : null;
      return `
        <div class="list-row css-row">
          <div class="css-td css-symbol">
            <div class="css-dir bg-${cls}" aria-hidden="true"></div>
            <div class="css-name">${d.symbol}</div>
            <div class="css-tag">Perp</div>
            <div class="css-lev text-${cls}">Cross ${d.leverage}x</div>
          </div>
          <div class="css-td text-${cls}">${p.side === 'short' ? '-' : ''}${grouped(d.size, 3)} ${base}</div>
          <div class="css-td">${grouped(d.entryPrice, 2)}</div>
          <div class="css-td">${grouped(d.entryPrice, 2)}</div>
          <div class="css-td">${grouped(p.markPrice ?? d.entryPrice, 2)}</div>
          <div class="css-td text-Yellow">${p.liquidationPrice === null ? '--' : grouped(p.liquidationPrice, 2)}</div>
          <div class="css-td">${pct(shownRatio)}</div>
          <div class="css-td"><span>${grouped(im, 2)} USDT</span><span class="css-mode">(Cross)</span></div>
          <div class="css-td"><div class="text-${p.unrealizedPnl !== null && new Decimal(p.unrealizedPnl).gte(0) ? 'Buy' : 'Sell'}">${pnlText(p.unrealizedPnl, `${signed(p.unrealizedPnl ?? '0', 2)} USDT`)}</div><div>${variant.maskPnl ? MASKED : roi === null ? '--' : `${signed(roi.mul(100), 2)}%`}</div></div>
          <div class="css-td">0.00 USDT</div>
          <div class="css-td"><span class="css-btn">Market</span><span class="css-btn">Limit</span></div>
          <div class="css-td"><div>-- /</div><div>--</div></div>
        </div>`;
    })
    .join('');
  const money = (v: string | null) => (v === null ? '--' : `${grouped(v, 2)} USDT`);
  return `
  <section class="react-grid-item css-1n4ytcm" id="orderForm">
    <div class="bn-tabs__buySell" role="tablist">
      <div role="tab" aria-selected="true" id="tab-OPEN">Open</div>
      <div role="tab" aria-selected="false" id="tab-CLOSE">Close</div>
    </div>
    <div class="css-1kpz6ph">
      <button type="button" class="css-margin-mode">Cross</button>
      <button type="button" class="css-leverage">${first?.leverage ?? '20'}x</button>
      <button type="button" class="css-asset-mode">S</button>
    </div>
    <div class="css-avbl"><span>Avbl</span><span>${money(risk.availableBalance)}</span></div>
  </section>
  <section class="react-grid-item css-account">
    <div class="css-title">Account</div>${variant.uid !== undefined ? `\n    <div class="css-account-uid">UID ${variant.uid}</div>` : ''}
    <div class="css-mr-row">
      <div class="css-gauge" aria-hidden="true"></div>
      <div class="css-label">Margin Ratio</div>
      <div class="css-value">${pct(shownRatio)}</div>
    </div>
    <div class="css-kv"><div class="css-label">Maintenance Margin</div><div class="css-value">${money(shownMm)}</div></div>
    <div class="css-kv"><div class="css-label">Margin Balance</div><div class="css-value">${money(risk.marginBalance)}</div></div>
    <div class="css-pill">Single-Asset Mode</div>
    <div class="css-assets">
      <div class="css-asset-name">USDT</div>
      <div class="css-kv"><div class="css-label">Wallet Balance</div><div class="css-value">${money(acct.walletBalance)}</div></div>
      <div class="css-kv"><div class="css-label">Unrealized PNL</div><div class="css-value">${pnlText(risk.unrealizedPnl, `${signed(risk.unrealizedPnl ?? '0', 2)} USDT`)}</div></div>
    </div>
  </section>
  <section class="react-grid-item css-account-orders">
    <div class="css-tabs" role="tablist">
      <div role="tab" aria-selected="true" aria-controls="POSITIONS" id="tab-POSITIONS">Positions(${acct.positions.length})</div>
      <div role="tab" aria-selected="false" aria-controls="OPEN_ORDERS" id="tab-OPEN_ORDERS">Open Orders(0)</div>
      <div role="tab" aria-selected="false" aria-controls="ASSETS" id="tab-ASSETS">Assets</div>
    </div>
    <div id="POSITIONS" role="tabpanel" class="css-4q7727">
      <div class="list-header css-1s5qj1n">
        <div class="css-th">Symbol</div><div class="css-th">Size</div><div class="css-th">Entry Price</div>
        <div class="css-th">Break Even Price</div><div class="css-th">Mark Price</div><div class="css-th">Liq.Price</div>
        <div class="css-th">Margin Ratio</div><div class="css-th">Margin</div><div class="css-th">PNL(ROI %)</div>
        <div class="css-th">Est. Funding Fee</div><div class="css-th"><span>MKT Close All</span></div><div class="css-th">TP/SL for position</div>
      </div>
      <div class="list-grid css-1ju8iel">${rows}
      </div>
    </div>
  </section>`;
}

/**
 * Full page. With `livePath`, the page polls `livePath` (same origin) every `pollMs` and applies
 * the returned `#__APP` HTML in place, the way React updates a live page: changed text and
 * attributes are patched, elements are replaced only where the structure differs.
 */
export function binancePageHtml(appHtml: string, opts: { title?: string; livePath?: string; pollMs?: number } = {}): string {
  const poll = opts.livePath
    ? `<script>
  (() => {
    const patch = (cur, next) => {
      if (cur.nodeType !== next.nodeType || cur.nodeName !== next.nodeName) { cur.replaceWith(next.cloneNode(true)); return; }
      if (cur.nodeType === 3) { if (cur.nodeValue !== next.nodeValue) cur.nodeValue = next.nodeValue; return; }
      if (cur.nodeType !== 1) return;
      for (const a of [...next.attributes]) if (cur.getAttribute(a.name) !== a.value) cur.setAttribute(a.name, a.value);
      for (const a of [...cur.attributes]) if (!next.hasAttribute(a.name)) cur.removeAttribute(a.name);
      const a = [...cur.childNodes], b = [...next.childNodes];
      for (let i = 0; i < b.length; i++) { if (i < a.length) patch(a[i], b[i]); else cur.appendChild(b[i].cloneNode(true)); }
      for (let i = b.length; i < a.length; i++) a[i].remove();
    };
    let last = '';
    setInterval(async () => {
      try {
        const r = await fetch(${JSON.stringify(opts.livePath)}, { cache: 'no-store' });
        const html = await r.text();
        if (!r.ok || html === last) return;
        last = html;
        const next = document.createElement('div');
        next.id = '__APP';
        next.innerHTML = html;
        patch(document.getElementById('__APP'), next);
      } catch (e) {}
    }, ${opts.pollMs ?? 1000});
  })();
  </script>`
    : '';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${opts.title ?? 'BTCUSDT Perpetual'}</title>
<style>body{font:13px system-ui,sans-serif;margin:16px;background:#181a20;color:#eaecef}.react-grid-item{border:1px solid #2b3139;border-radius:6px;padding:8px 12px;margin:0 0 12px}
.css-kv,.css-mr-row,.css-avbl{display:flex;gap:12px}.css-label{color:#848e9c;min-width:160px}.list-header,.list-row{display:grid;grid-template-columns:repeat(12,minmax(70px,1fr));gap:6px;padding:4px 0}
.list-header{color:#848e9c;border-bottom:1px solid #2b3139}.text-Buy{color:#0ecb81}.text-Sell{color:#f6465d}.text-Yellow{color:#f0b90b}[role=tab]{display:inline-block;margin-right:12px}[aria-selected=true]{color:#f0b90b}
.css-symbol div{display:inline;margin-right:4px}</style></head>
<body><div id="__APP">${appHtml}</div>${poll}</body></html>`;
}

/** Opening marks of the demo/scenario account. */
export const DEMO_MARKS: Marks = { BTCUSDT: '100000.00', ETHUSDT: '4000.00' };

/**
 * The demo/scenario account: cross longs on BTCUSDT (0.5 @ 100,000) and ETHUSDT (5 @ 4,000),
 * wallet chosen so the risk ratio is 40 % at {@link DEMO_MARKS} (700 USDT with the bundled tiers).
 */
export function demoAccount(): DemoAccount {
  const base: DemoAccount = {
    walletBalance: '0',
    positions: [
      { symbol: 'BTCUSDT', side: 'long', size: '0.5', entryPrice: '100000', leverage: '50' },
      { symbol: 'ETHUSDT', side: 'long', size: '5', entryPrice: '4000', leverage: '50' },
    ],
  };
  return { ...base, walletBalance: walletForRiskRatio(base, '0.40', DEMO_MARKS) };
}
