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
import { badgeView, DEFAULT_PLACEMENT, Overlay, overlayStatus, type OverlayPlacement } from './Overlay';
import { overlayPlacementItem, watchOverlayData } from './source';

interface OverlayData {
  accounts: AccountRecord[];
  levels: number[];
  priceMaxAgeMs: number;
  placement: OverlayPlacement;
}

/** The texts that move with the clock alone (ages, live → stale), as one string. */
function timeTexts(d: OverlayData, now: number): string {
  let out = '';
  for (const r of d.accounts) out += `${overlayStatus(r, now, d.priceMaxAgeMs).text}\n`;
  return out;
}

/** Everything the overlay shows for `d` at time `now`, as one string. */
function shownAt(d: OverlayData, now: number): string {
  return JSON.stringify([d.accounts.map((r) => badgeView(r, now, d.levels, d.priceMaxAgeMs)), d.placement]);
}

export function OverlayRoot({ host }: { host: string }) {
  const latest = useRef<OverlayData>({ accounts: [], levels: [], priceMaxAgeMs: 60_000, placement: DEFAULT_PLACEMENT });
  const shown = useRef('');
  const shownTimes = useRef('');
  // What is rendered: the latest data as of `now`; replaced only when the shown texts change.
  const [view, setView] = useState<{ data: OverlayData; now: number }>({ data: latest.current, now: Date.now() });
  useEffect(() => {
    const refresh = (clockOnly: boolean) => {
      const now = Date.now();
      const times = timeTexts(latest.current, now);
      if (clockOnly && times === shownTimes.current) return;
      const sig = shownAt(latest.current, now);
      if (sig === shown.current) return;
      shown.current = sig;
      shownTimes.current = times;
      setView({ data: latest.current, now });
    };
    const unwatch = watchOverlayData(host, (d) => {
      latest.current = d;
      refresh(false);
    });
    // The clock moves the ages and the live → stale switch (compared alone: cheap).
    const t = setInterval(() => refresh(true), 1000);
    return () => {
      unwatch();
      clearInterval(t);
    };
  }, [host]);
  const onPlacement = (p: OverlayPlacement) => {
    latest.current = { ...latest.current, placement: p };
    shown.current = shownAt(latest.current, view.now);
    shownTimes.current = timeTexts(latest.current, view.now);
    setView({ data: latest.current, now: view.now });
    void overlayPlacementItem.setValue(p);
  };
  return <Overlay {...view.data} now={view.now} onPlacement={onPlacement} />;
}
