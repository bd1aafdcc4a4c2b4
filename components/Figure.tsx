/**
 * A figure that may be unknown. Known: the formatted value, with the exact decimal string in
 * the title. Unknown: the word "unknown" (never 0, never blank), with the reason in the title and
 * in text for screen readers.
 */
import { UNKNOWN } from './format';

export interface FigureProps {
  value: string | null | undefined;
  format: (s: string) => string;
  /** Why the value is unknown (shown on hover and read by screen readers). */
  reason?: string | undefined;
  class?: string;
}

/**
 * Engine reasons that mean "there is no such figure" rather than "we could not compute it"
 * (a liquidation price for a position whose margin covers a fall to 0, a move that never
 * liquidates). Shown as "none", with the reason, instead of "unknown".
 */
export function meansNone(reason: string | undefined): boolean {
  return reason !== undefined && /no liquidation price|^no (fall|rise)\b.*liquidates|^fully hedged|^no cross positions/.test(reason);
}

export function Figure({ value, format, reason, class: cls }: FigureProps) {
  if (value === null || value === undefined) {
    const why = reason ?? 'not available';
    if (meansNone(reason)) {
      return (
        <span class={`fig none ${cls ?? ''}`} title={why} data-none="true">
          none
          <span class="sr-only"> ({why})</span>
        </span>
      );
    }
    return (
      <span class={`fig unknown ${cls ?? ''}`} title={why} data-unknown="true">
        {UNKNOWN}
        <span class="sr-only"> ({why})</span>
      </span>
    );
  }
  return (
    <span class={`fig ${cls ?? ''}`} title={value}>
      {format(value)}
    </span>
  );
}
