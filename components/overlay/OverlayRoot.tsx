/**
 * The overlay wired to storage: watches the data, ticks the clock for ages, saves the placement.
 *
 * The overlay lives inside a busy trading page and its data arrives about once a second (each
 * price tick the background evaluates). It renders only when something it shows changes: the
 * texts of every badge ({@link badgeView}, ages and live/stale included), the levels or the
 * placement. A tick that moves no displayed digit costs the comparison, not a render.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { AccountRecord } from '../../lib/storage';
import { badgeView, DEFAULT_PLACEMENT, Overlay, type OverlayPlacement } from './Overlay';
import { overlayPlacementItem, watchOverlayData } from './source';

interface OverlayData {
  accounts: AccountRecord[];
  levels: number[];
  priceMaxAgeMs: number;
  placement: OverlayPlacement;
}

/** Everything the overlay shows for `d` at time `now`, as one string. */
function shownAt(d: OverlayData, now: number): string {
  return JSON.stringify([d.accounts.map((r) => badgeView(r, now, d.levels, d.priceMaxAgeMs)), d.placement]);
}

export function OverlayRoot({ host }: { host: string }) {
  const latest = useRef<OverlayData>({ accounts: [], levels: [], priceMaxAgeMs: 60_000, placement: DEFAULT_PLACEMENT });
  const shown = useRef('');
  // What is rendered: the latest data as of `now`; replaced only when the shown texts change.
  const [view, setView] = useState<{ data: OverlayData; now: number }>({ data: latest.current, now: Date.now() });
  useEffect(() => {
    const refresh = () => {
      const now = Date.now();
      const sig = shownAt(latest.current, now);
      if (sig === shown.current) return;
      shown.current = sig;
      setView({ data: latest.current, now });
    };
    const unwatch = watchOverlayData(host, (d) => {
      latest.current = d;
      refresh();
    });
    // The clock moves the ages and the live → stale switch.
    const t = setInterval(refresh, 1000);
    return () => {
      unwatch();
      clearInterval(t);
    };
  }, [host]);
  const onPlacement = (p: OverlayPlacement) => {
    latest.current = { ...latest.current, placement: p };
    shown.current = shownAt(latest.current, view.now);
    setView({ data: latest.current, now: view.now });
    void overlayPlacementItem.setValue(p);
  };
  return <Overlay {...view.data} now={view.now} onPlacement={onPlacement} />;
}
