/** The overlay wired to storage: watches the data, ticks the clock for ages, saves the placement. */
import { useEffect, useState } from 'preact/hooks';
import type { AccountRecord } from '../../lib/storage';
import { DEFAULT_PLACEMENT, Overlay, type OverlayPlacement } from './Overlay';
import { overlayPlacementItem, watchOverlayData } from './source';

export function OverlayRoot({ host }: { host: string }) {
  const [data, setData] = useState<{ accounts: AccountRecord[]; levels: number[]; priceMaxAgeMs: number; placement: OverlayPlacement }>({
    accounts: [],
    levels: [],
    priceMaxAgeMs: 60_000,
    placement: DEFAULT_PLACEMENT,
  });
  const [now, setNow] = useState(Date.now());
  useEffect(() => watchOverlayData(host, setData), [host]);
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  const onPlacement = (p: OverlayPlacement) => {
    setData((d) => ({ ...d, placement: p }));
    void overlayPlacementItem.setValue(p);
  };
  return <Overlay {...data} now={now} onPlacement={onPlacement} />;
}
