/**
 * The overlay wired to its feed: shows what the background sends (./source.ts), ticks the clock
 * for the data status, saves the placement.
 *
 * The overlay lives inside a busy trading page. The background sends it a host's badge texts
 * only when one changes (lib/background/overlay-feed.ts), and it renders only then, when the
 * clock changes a status text (feed closed → stale, ages in stale texts) or on a placement change.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { Overlay } from './Overlay';
import { DEFAULT_PLACEMENT, overlayStatus, type OverlayFeedMessage, type OverlayPlacement } from './view';
import { overlayPlacementItem, type FeedHandlers } from './source';

/** Subscribe to the feed (./source.ts `watchOverlayFeed` in the page); returns an unsubscribe function. */
export type OverlaySubscribe = (on: FeedHandlers) => () => void;

interface View {
  data: OverlayFeedMessage;
  /** When the feed closed (ms epoch), or null while open. */
  lostAt: number | null;
  now: number;
}

/** The status texts at time `now`, as one string (what the clock alone can change). */
function statusTexts(v: View, now: number): string {
  let out = '';
  for (const a of v.data.accounts) out += `${overlayStatus(a.status, now, v.lostAt).text}\n`;
  return out;
}

const EMPTY: OverlayFeedMessage = { type: 'overlay-feed', accounts: [], placement: DEFAULT_PLACEMENT };

export function OverlayRoot({ subscribe }: { subscribe: OverlaySubscribe }) {
  // What is rendered: the latest message as of `now`; replaced only when a shown text changes.
  const [view, setView] = useState<View>({ data: EMPTY, lostAt: null, now: Date.now() });
  const latest = useRef(view);
  latest.current = view;
  useEffect(
    () =>
      subscribe({
        message: (data) => setView({ data, lostAt: null, now: Date.now() }),
        lost: (at) => setView({ ...latest.current, lostAt: at, now: Date.now() }),
      }),
    [subscribe],
  );
  // The clock moves a status text only while the feed is closed (→ stale after 5 s) or a stale
  // text shows an age: only then does it tick (an idle page pays no timer).
  const clockNeeded = view.lostAt !== null || view.data.accounts.some((a) => a.status.stale !== null && a.status.at !== null);
  useEffect(() => {
    if (!clockNeeded) return;
    const t = setInterval(() => {
      const v = latest.current;
      const now = Date.now();
      if (statusTexts(v, now) !== statusTexts(v, v.now)) setView({ ...v, now });
    }, 1000);
    return () => clearInterval(t);
  }, [clockNeeded]);
  const onPlacement = (placement: OverlayPlacement) => {
    setView({ ...view, data: { ...view.data, placement } });
    void overlayPlacementItem.setValue(placement);
  };
  return <Overlay accounts={view.data.accounts} feedLostAt={view.lostAt} placement={view.data.placement} now={view.now} onPlacement={onPlacement} />;
}
