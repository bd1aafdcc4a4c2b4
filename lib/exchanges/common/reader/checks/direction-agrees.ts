/**
 * Law (row): every piece of direction evidence agrees: the size's sign, the colour of the
 * configured columns, and (when the move is clear) the sign of PnL against mark − entry.
 *
 * The PnL relation may decide on its own only where the exchange shows no sign by design
 * (`ReaderConfig.direction.pnlAlone`, Hyperliquid): elsewhere alone it cannot tell a long from a
 * short whose Entry and Mark headers were swapped, so a lost sign/colour makes the row unknown.
 */
import type { Direction } from '../../dom';
import { fx, fxAbs, fxCmp, fxMul, fxSign, fxSub, type Fixed } from '../../fixed';

const ONE_THOUSAND = fx('1000');

/** The direction evidence of one row. */
export interface DirectionEvidence {
  /** Directions named by sign and colour (the direct evidence), with what named them. */
  direct: ReadonlySet<Direction>;
  because: readonly string[];
  /** Entry price, mark price and PnL shown (null when unknown or not shown). */
  entry: Fixed;
  mark: Fixed | null;
  pnl: Fixed | null;
  /** The PnL relation may decide alone (no sign on the page by design). */
  pnlAlone: boolean;
}

/**
 * @returns the direction when every piece of evidence agrees, else `{ problem }`.
 */
export function directionAgrees(e: DirectionEvidence): { side: Direction } | { problem: string } {
  const evidence = new Set<Direction>(e.direct);
  const because = [...e.because];
  if (e.pnl && e.mark && fxSign(e.pnl) !== 0) {
    const move = fxSub(e.mark, e.entry);
    // Only when the move is clear (> 0.1 % of entry), so a last-price PnL basis cannot flip it.
    if (fxCmp(fxMul(fxAbs(move), ONE_THOUSAND), e.entry) > 0) {
      evidence.add(fxSign(move) === fxSign(e.pnl) ? 'long' : 'short');
      because.push('PnL vs mark − entry');
    }
  }
  if (e.direct.size === 0 && evidence.size === 1 && !e.pnlAlone) {
    return { problem: 'direction unknown (no sign or colour; PnL vs mark − entry alone cannot rule out swapped Entry/Mark columns)' };
  }
  if (evidence.size !== 1) {
    return { problem: evidence.size === 0 ? 'direction unknown (no sign, no colour, no usable PnL)' : `direction unknown (contradictory evidence: ${because.join(', ')})` };
  }
  return { side: evidence.values().next().value! };
}
