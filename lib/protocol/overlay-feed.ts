/**
 * The overlay feed: the runtime port between the on-page overlay (entrypoints/overlay.content.tsx,
 * client in components/overlay/source.ts) and the background (lib/background/overlay-feed.ts).
 * The overlay opens a port named {@link OVERLAY_PORT}; the background posts it
 * {@link OverlayFeedMessage}s, at once when what a badge shows changes and at least every
 * {@link FEED_HEARTBEAT_MS}. The overlay posts nothing.
 *
 * Everything on the wire is text and plain numbers, built by lib/view/overlay.ts: the overlay
 * bundles no engine and no decimal.js. Times are ms since the Unix epoch.
 */

/** Name of the runtime port the overlay opens to the background. */
export const OVERLAY_PORT = 'ms-overlay';

/** The background posts each overlay at least this often (ms), from its 30 s watchdog: proof that the monitor runs. */
export const FEED_HEARTBEAT_MS = 60_000;
/** How long the overlay's feed may be closed before every account shows stale (ms): a worker restart reconnects well within it. */
export const FEED_SILENT_STALE_MS = 5_000;
/** How long an open feed may stay silent before every account shows stale (ms): heartbeat + watchdog period (30 s) + slack. */
export const FEED_QUIET_STALE_MS = 150_000;

/** Where the badge sits: px from the viewport's left and bottom edges, and whether it is collapsed (no position rows). */
export interface OverlayPlacement {
  left: number;
  bottom: number;
  collapsed: boolean;
}

/**
 * What the data status of an account depends on, as the background sees it; the overlay adds
 * its own check that the background still answers (lib/view/overlay.ts `overlayStatus`).
 */
export interface StatusInput {
  /** "page not recognised…" text when the page reader could not read the page, else null. */
  unrecognized: string | null;
  /** Why monitoring cannot see this account (the background's `stale`), or null. */
  stale: string | null;
  /** Time of the latest evaluation (or page read), ms epoch, for the age in a stale text; null before the first. */
  at: number | null;
  /** Whether a risk evaluation exists. */
  evaluated: boolean;
}

/**
 * Everything one account's badge shows that does not move with the clock, as text (the data
 * status is evaluated against the clock on the page, from {@link StatusInput}).
 */
export interface BadgeView {
  key: string;
  name: string;
  /** Colour band of the account (`ok`, `warn`, `high`, `critical`, `unknown`): a CSS class suffix. */
  band: string;
  ratio: { text: string; title: string };
  dist: { text: string; title: string };
  rows: {
    key: string;
    symbol: string;
    side: string;
    liq: { text: string; title: string | undefined };
    /** The exchange's own figure from the last page read; `old` when that read is older than our evaluation. */
    theirs: { text: string; mismatch: boolean; old: boolean; title: string | undefined };
    dist: { text: string; title: string | undefined };
    /** The position's stop (fires first / beyond liquidation / none) and its 24 h liquidation probability (lib/view/stops.ts). */
    stop?: { text: string; tone: string; title: string };
    odds?: { text: string; title: string };
  }[];
  /** Stops that will never fire and positions without one, one line (shown collapsed too), or absent. */
  stopWarning?: { text: string; title: string };
}

/** What the overlay is sent for one account: its badge texts and its status input. */
export interface OverlayAccount {
  badge: BadgeView;
  status: StatusInput;
}

/** What the background posts on an overlay port: everything the overlay on one exchange page host shows. */
export interface OverlayFeedMessage {
  type: 'overlay-feed';
  /** This host's accounts, by label (position rows only while the badge is expanded). */
  accounts: OverlayAccount[];
  /** Where the user put the badge. */
  placement: OverlayPlacement;
  /**
   * The account this page's own reads are keyed by (lib/background/accounts.ts `pageAccountKey`),
   * when the background knows it: the overlay then shows that account only
   * (components/overlay/OverlayRoot.tsx `pageAccounts`). Absent or null: every account of the host.
   */
  pageAccount?: string | null;
}

/**
 * Shape check of a message on the overlay port (it can only come from our background, but a
 * message we do not understand must not break the page): the fields the overlay reads.
 */
export function isOverlayFeedMessage(m: unknown): m is OverlayFeedMessage {
  const x = m as Partial<OverlayFeedMessage> | null;
  const p = x?.placement;
  return (
    x?.type === 'overlay-feed' &&
    Array.isArray(x.accounts) &&
    x.accounts.every((a) => typeof a?.badge?.key === 'string' && Array.isArray(a.badge.rows) && typeof a.status === 'object' && a.status !== null) &&
    typeof p?.left === 'number' &&
    typeof p.bottom === 'number' &&
    typeof p.collapsed === 'boolean'
  );
}
