/**
 * On-page overlay: a compact, draggable, collapsible badge with the account's margin ratio
 * (exchange convention), the worst distance to liquidation and the data status; expanded, the
 * positions with our liquidation price beside the exchange's.
 *
 * Runs inside exchange pages and renders what the background sent ({@link OverlayAccount}: texts
 * built in the background); evaluates only the data status against the clock. No decimal.js, no
 * engine, no valibot: the content-script bundle stays small.
 */
import { GlyphText } from '../GlyphText';
import { Component } from 'preact';
import { useRef, useState } from 'preact/hooks';
import type { BadgeView, OverlayAccount, OverlayPlacement } from '../../lib/protocol/overlay-feed';
import { overlayStatus, type FeedState, type OverlayStatus } from '../../lib/view/overlay';

export interface OverlayProps {
  accounts: OverlayAccount[];
  now: number;
  /** The feed from the background: when it closed and when it was last heard (see {@link overlayStatus}). */
  feed: FeedState;
  placement: OverlayPlacement;
  onPlacement: (p: OverlayPlacement) => void;
}

function clamp(p: OverlayPlacement, w: number, h: number): OverlayPlacement {
  const maxLeft = Math.max(0, (globalThis.innerWidth || 1024) - w);
  const maxBottom = Math.max(0, (globalThis.innerHeight || 768) - h);
  return { ...p, left: Math.min(Math.max(0, Math.round(p.left)), maxLeft), bottom: Math.min(Math.max(0, Math.round(p.bottom)), maxBottom) };
}

interface BadgeProps {
  view: BadgeView;
  status: { status: OverlayStatus; text: string };
  /** JSON of `view` and `status`: equal signatures render the same, so the badge is not re-rendered. */
  sig: string;
  expanded: boolean;
}

function AccountBadgeView({ view: v, status: st, expanded }: BadgeProps) {
  return (
    <div class={`ms-account band-${v.band} st-${st.status}`} data-account={v.key}>
      <div class="ms-line">
        <span class="ms-name">
          <GlyphText text={v.name} />
        </span>
        <span class="ms-ratio" title={v.ratio.title}>
          {v.ratio.text}
        </span>
        <span class="ms-dist" title={v.dist.title}>
          {v.dist.text}
        </span>
      </div>
      <div class={`ms-status ms-status-${st.status}`} role={st.status === 'live' ? undefined : 'alert'}>
        {st.text}
      </div>
      {v.stopWarning && (
        <div class="ms-stop-warn" title={v.stopWarning.title} data-stop-warning="true">
          {v.stopWarning.text}
        </div>
      )}
      {expanded && v.rows.length > 0 && (
        <table class="ms-pos">
          <thead>
            <tr>
              <th scope="col">Position</th>
              <th scope="col">Our liq.</th>
              <th scope="col">Exchange</th>
              <th scope="col">Dist.</th>
              <th scope="col">Stop · 24 h</th>
            </tr>
          </thead>
          <tbody>
            {v.rows.map((row) => (
              <tr key={row.key}>
                <th scope="row">
                  {row.symbol} <span class={`ms-side-${row.side}`}>{row.side}</span>
                </th>
                <td title={row.liq.title}>{row.liq.text}</td>
                <td class={`${row.theirs.mismatch ? 'ms-mismatch' : ''}${row.theirs.old ? ' ms-old' : ''}`} title={row.theirs.title}>
                  {row.theirs.text}
                  {row.theirs.mismatch && <span class="ms-sr"> mismatch</span>}
                </td>
                <td title={row.dist.title}>{row.dist.text}</td>
                <td>
                  {row.stop && (
                    <span class={`ms-stop ms-stop-${row.stop.tone}`} title={row.stop.title}>
                      {row.stop.text}
                    </span>
                  )}
                  {row.odds && (
                    <div class="ms-odds" title={row.odds.title}>
                      {row.odds.text}
                    </div>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

// The badge runs inside a trading page: when the texts it shows are unchanged, it is not re-rendered.
class AccountBadge extends Component<BadgeProps> {
  override shouldComponentUpdate(next: BadgeProps): boolean {
    return next.expanded !== this.props.expanded || next.sig !== this.props.sig;
  }
  override render(props: BadgeProps) {
    return <AccountBadgeView {...props} />;
  }
}

export function Overlay({ accounts, now, feed, placement, onPlacement }: OverlayProps) {
  const box = useRef<HTMLDivElement>(null);
  const [drag, setDrag] = useState<{ x: number; y: number; left: number; bottom: number } | null>(null);
  const [live, setLive] = useState<OverlayPlacement | null>(null);
  const at = live ?? placement;
  if (!accounts.length) return null;
  const size = () => ({ w: box.current?.offsetWidth ?? 200, h: box.current?.offsetHeight ?? 40 });

  const onPointerDown = (e: PointerEvent) => {
    if (e.button !== 0) return;
    (e.currentTarget as HTMLElement).setPointerCapture?.(e.pointerId);
    setDrag({ x: e.clientX, y: e.clientY, left: at.left, bottom: at.bottom });
    e.preventDefault();
  };
  const onPointerMove = (e: PointerEvent) => {
    if (!drag) return;
    const { w, h } = size();
    setLive(clamp({ ...at, left: drag.left + (e.clientX - drag.x), bottom: drag.bottom - (e.clientY - drag.y) }, w, h));
  };
  const onPointerUp = () => {
    if (!drag) return;
    setDrag(null);
    if (live) onPlacement(live);
    setLive(null);
  };
  const onKeyDown = (e: KeyboardEvent) => {
    const step = e.shiftKey ? 50 : 10;
    const d: Record<string, [number, number]> = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, step], ArrowDown: [0, -step] };
    const m = d[e.key];
    if (!m) return;
    e.preventDefault();
    const { w, h } = size();
    onPlacement(clamp({ ...at, left: at.left + m[0], bottom: at.bottom + m[1] }, w, h));
  };

  return (
    <div ref={box} class="ms-overlay" style={{ left: `${at.left}px`, bottom: `${at.bottom}px` }} role="region" aria-label="Margin Sentinel">
      <div class="ms-bar">
        <span
          class="ms-handle"
          role="button"
          tabIndex={0}
          aria-label="Move the Margin Sentinel badge (drag, or arrow keys)"
          title="Drag to move (arrow keys also work)"
          onPointerDown={onPointerDown}
          onPointerMove={onPointerMove}
          onPointerUp={onPointerUp}
          onPointerCancel={onPointerUp}
          onKeyDown={onKeyDown}
        >
          ⠿
        </span>
        <span class="ms-title">Margin Sentinel</span>
        <button
          type="button"
          class="ms-toggle"
          aria-expanded={!at.collapsed}
          aria-label={at.collapsed ? 'Show positions' : 'Hide positions'}
          onClick={() => onPlacement({ ...at, collapsed: !at.collapsed })}
        >
          {at.collapsed ? '▸' : '▾'}
        </button>
      </div>
      {accounts.map((a) => {
        const status = overlayStatus(a.status, now, feed);
        return <AccountBadge key={a.badge.key} view={a.badge} status={status} sig={JSON.stringify([a.badge, status])} expanded={!at.collapsed} />;
      })}
    </div>
  );
}
