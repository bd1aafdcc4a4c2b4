/**
 * A figure that may be unknown. Known: the formatted value, with the exact decimal string in
 * the title. Missing: "none" when the engine flags that the figure does not exist (`none`, from
 * `Reason.none`: see lib/view/reasons.ts), else the word "unknown" (never 0, never blank); either
 * way with the reason in the title and in text for screen readers.
 */
import { UNKNOWN } from '../lib/view/format';

export interface FigureProps {
  value: string | null | undefined;
  format: (s: string) => string;
  /** Why the value is missing (shown on hover and read by screen readers). */
  reason?: string | undefined;
  /** The engine says there is no such figure (e.g. no liquidation price: margin covers a fall to 0), rather than that it is unknown. */
  none?: boolean;
  class?: string;
}

export function Figure({ value, format, reason, none = false, class: cls }: FigureProps) {
  if (value === null || value === undefined) {
    const why = reason ?? 'not available';
    if (none) {
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
