/**
 * The overlay wired to its feed: shows what the background sends (./source.ts), ticks the clock
 * for the data status, saves the placement.
 *
 * The overlay lives inside a busy trading page. The background sends it a host's badge texts
 * only when one changes, plus a heartbeat (lib/background/overlay-feed.ts), and it renders only
 * then, when the clock changes a status text (feed closed or quiet → stale, ages in stale texts)
 * or on a placement change.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { Overlay } from './Overlay';
import { FEED_QUIET_STALE_MS, type OverlayFeedMessage, type OverlayPlacement } from '../../lib/protocol/overlay-feed';
import { DEFAULT_PLACEMENT, overlayStatus, type FeedState } from '../../lib/view/overlay';
import { overlayPlacementItem } from '../../lib/storage/overlay';
import type { FeedHandlers } from './source';

/** Subscribe to the feed (./source.ts `watchOverlayFeed` in the page); returns an unsubscribe function. */
export type OverlaySubscribe = (on: FeedHandlers) => () => void;

interface View {
  data: OverlayFeedMessage;
  feed: FeedState;
  now: number;
}

/** The status texts at time `now`, as one string (what the clock alone can change). */
function statusTexts(v: View, now: number): string {
  let out = '';
  for (const a of v.data.accounts) out += `${overlayStatus(a.status, now, v.feed).text}\n`;
  return out;
}

/**
 * The accounts this page's overlay shows. A feed message naming the page's own account
 * (`pageAccount`: the account key the background keyed this tab's reads by, from the page's
 * identity or its tab) shows that account only; a message without it, or naming an account it
 * does not carry, shows every account it carries (never a blank badge because of a mismatch).
 */
export function pageAccounts(data: OverlayFeedMessage): OverlayFeedMessage['accounts'] {
  const key = data.pageAccount;
  if (typeof key !== 'string') return data.accounts;
  const own = data.accounts.filter((a) => a.badge.key === key);
  return own.length ? own : data.accounts;
}

const EMPTY: OverlayFeedMessage = { type: 'overlay-feed', accounts: [], placement: DEFAULT_PLACEMENT };

export function OverlayRoot({ subscribe }: { subscribe: OverlaySubscribe }) {
  // What is rendered: the latest message as of `now`; replaced only when a shown text changes.
  const [view, setView] = useState<View>(() => ({ data: EMPTY, feed: { lostAt: null, heardAt: Date.now() }, now: Date.now() }));
  const latest = useRef(view);
  latest.current = view;
  useEffect(
    () =>
      subscribe({
        message: (data) => {
          const now = Date.now();
          setView({ data, feed: { lostAt: null, heardAt: now }, now });
        },
        lost: (at) => setView({ ...latest.current, feed: { ...latest.current.feed, lostAt: at }, now: Date.now() }),
      }),
    [subscribe],
  );
  // An open feed that goes quiet past the heartbeat is noticed by one timer per message.
  useEffect(() => {
    const t = setTimeout(() => setView({ ...latest.current, now: Date.now() }), FEED_QUIET_STALE_MS + 1000);
    return () => clearTimeout(t);
  }, [view.feed.heardAt]);
  // The clock moves a status text only while the feed is closed or quiet (→ stale) or a stale
  // text shows an age: only then does it tick each second (a live badge pays no timer but the one above).
  const clockNeeded =
    view.feed.lostAt !== null || view.now - view.feed.heardAt > FEED_QUIET_STALE_MS || view.data.accounts.some((a) => a.status.stale !== null && a.status.at !== null);
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
  return <Overlay accounts={pageAccounts(view.data)} feed={view.feed} placement={view.data.placement} now={view.now} onPlacement={onPlacement} />;
}
