/**
 * Position-attached stops read from the positions table: the `TP/SL` cell (take-profit and
 * stop-loss trigger prices of the position, `TP / SL`) and, where shown, the `Trailing Stop`
 * cell. True or unknown: a cell we cannot read gives `null` (the position's orders are unknown),
 * never a guessed price.
 *
 * Cell formats (reference exchange-pages.md): Binance `77,000.00 /` + `73,000.00`, unset
 * `-- / --` [C]; Bybit `-- / --`, `TP / SL` (E-Y1 parses `/\s*([0-9.]+)`) [A]; OKX `--` or
 * `2,800.00 / 3,100.00` [C, guessed]; Hyperliquid `View Orders` (prices not shown: unknown) [A],
 * `-- / --` [C, guessed]. Position TP/SL orders close the whole position (`closePosition`),
 * trigger-market, reduce-only [B for Binance "TP/SL for position"; C elsewhere].
 */
import type { OrderSnapshot, Side } from '../../../engine/snapshot';
import { fx, fxCmp } from '../fixed';
import { parseNumber, type NumberFormat } from '../number';

/** The orders one row's stop cells show, `[]` when they show none, or why they are unknown. */
export type RowStops = { ok: true; orders: OrderSnapshot[] } | { ok: false; why: string };

const PLACEHOLDER = /^(?:--|-|—)$/;

/** A price, or null for a placeholder; undefined when it is neither. */
function priceOrNone(text: string, format: NumberFormat): string | null | undefined {
  const t = text.trim();
  if (t === '' || PLACEHOLDER.test(t)) return null;
  const n = parseNumber(t, format);
  if (!n.ok || n.percent || n.sign || n.approx || n.unit || !/[1-9]/.test(n.value)) return undefined;
  return n.value;
}

/**
 * Read a `TP/SL` cell of a position.
 * @param figs the cell's figures (`['2,800.00 /', '3,100.00']`, `['-- / --']`, `['--']`, `['View Orders']`)
 * @param mark the position's mark price: the SL must be on the losing side, the TP on the winning side
 */
export function readTpSl(figs: readonly string[], symbol: string, side: Side, mark: string | null, format: NumberFormat): RowStops {
  const text = figs.join(' ').replace(/\s+/g, ' ').trim();
  if (text === '' || PLACEHOLDER.test(text)) return { ok: true, orders: [] };
  const parts = text.split('/');
  if (parts.length !== 2) return { ok: false, why: `TP/SL not readable ("${text}")` };
  const tp = priceOrNone(parts[0]!, format);
  const sl = priceOrNone(parts[1]!, format);
  if (tp === undefined || sl === undefined) return { ok: false, why: `TP/SL not readable ("${text}")` };
  const closing = side === 'long' ? 'sell' : 'buy';
  const orders: OrderSnapshot[] = [];
  const losing = (p: string) => mark !== null && (side === 'long' ? fxCmp(fx(p), fx(mark)) < 0 : fxCmp(fx(p), fx(mark)) > 0);
  if (tp !== null) {
    if (mark === null || losing(tp)) return { ok: false, why: `TP ${tp} is not on the winning side of the mark: TP/SL cell not trusted` };
    orders.push({ symbol, side: closing, type: 'take-profit-market', triggerPrice: tp, closePosition: true, reduceOnly: true });
  }
  if (sl !== null) {
    if (mark === null || !losing(sl)) return { ok: false, why: `SL ${sl} is not on the losing side of the mark: TP/SL cell not trusted` };
    orders.push({ symbol, side: closing, type: 'stop-market', triggerPrice: sl, closePosition: true, reduceOnly: true });
  }
  return { ok: true, orders };
}

/**
 * Read a `Trailing Stop` cell (Bybit): a placeholder = none; anything else = an active trailing
 * stop whose current trigger the cell does not show (its distance is shown instead), so the
 * order carries `triggerPrice: null` and `size: null` (unknown, said so downstream).
 */
export function readTrailing(figs: readonly string[], symbol: string, side: Side): RowStops {
  const text = figs.join(' ').trim();
  if (text === '' || PLACEHOLDER.test(text)) return { ok: true, orders: [] };
  // One figure (a distance or a percent): anything else is another column's content under this label.
  if (figs.length !== 1 || !/^[\d.,]+%?$/.test(text)) return { ok: false, why: `trailing stop not readable ("${text}")` };
  return { ok: true, orders: [{ symbol, side: side === 'long' ? 'sell' : 'buy', type: 'trailing-stop', triggerPrice: null, size: null, reduceOnly: true }] };
}
