/** The overlay wired to storage: watches the data, ticks the clock for ages, saves the placement. */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { AccountRecord } from '../../lib/storage';
import { DEFAULT_PLACEMENT, Overlay, overlayStatus, type OverlayPlacement } from './Overlay';
import { overlayPlacementItem, watchOverlayData } from './source';

export function OverlayRoot({ host }: { host: string }) {
  const [data, setData] = useState<{ accounts: AccountRecord[]; levels: number[]; priceMaxAgeMs: number; placement: OverlayPlacement }>({
    accounts: [],
    levels: [],
    priceMaxAgeMs: 60_000,
    placement: DEFAULT_PLACEMENT,
  });
  const [now, setNow] = useState(Date.now());
  const shown = useRef(data);
  shown.current = data;
  useEffect(
    () =>
      watchOverlayData(host, (d) => {
        setData(d);
        setNow(Date.now()); // new data renders anyway: with the current ages
      }),
    [host],
  );
  useEffect(() => {
    // The clock moves only the ages and the live → stale switch: re-render when one of those
    // texts changes, not every second (the overlay lives inside a busy trading page).
    const t = setInterval(() => {
      const next = Date.now();
      setNow((prev) => (timeTexts(shown.current, next) === timeTexts(shown.current, prev) ? prev : next));
    }, 1000);
    return () => clearInterval(t);
  }, []);
  const onPlacement = (p: OverlayPlacement) => {
    setData((d) => ({ ...d, placement: p }));
    void overlayPlacementItem.setValue(p);
  };
  return <Overlay {...data} now={now} onPlacement={onPlacement} />;
}

/** Every text of the overlay that depends on the clock, at time `now`. */
function timeTexts(d: { accounts: AccountRecord[]; priceMaxAgeMs: number }, now: number): string {
  let out = '';
  for (const r of d.accounts) out += `${overlayStatus(r, now, d.priceMaxAgeMs).text}\n`;
  return out;
}
