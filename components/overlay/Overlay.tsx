/**
 * On-page overlay: a compact, draggable, collapsible badge with the account's margin ratio
 * (exchange convention), the worst distance to liquidation and the data status; expanded, the
 * positions with our liquidation price beside the exchange's.
 *
 * Runs inside exchange pages: imports only the string formatter and types (no decimal.js, no
 * engine, no valibot) to keep the content-script bundle small.
 */
import { Component } from 'preact';
import { useRef, useState } from 'preact/hooks';
import type { AccountRecord } from '../../lib/storage';
import { bandOf } from '../bands';
import { formatAge, formatPercent, formatPrice, UNKNOWN } from '../format';

/** Where the badge sits: px from the viewport's left and bottom edges (bottom-left by default, away from order forms). */
export interface OverlayPlacement {
  left: number;
  bottom: number;
  collapsed: boolean;
}
export const DEFAULT_PLACEMENT: OverlayPlacement = { left: 16, bottom: 16, collapsed: true };

export type OverlayStatus = 'live' | 'stale' | 'unrecognized' | 'waiting';

/** Data status of a record for the badge, with a short text. */
export function overlayStatus(r: AccountRecord, now: number, priceMaxAgeMs: number): { status: OverlayStatus; text: string } {
  if (r.health?.status === 'unrecognized' || (r.snapshot === null && r.health !== null)) {
    const missing = r.health?.missing.length ? ` (missing: ${r.health.missing.join(', ')})` : '';
    return { status: 'unrecognized', text: `page not recognised${missing}` };
  }
  const at = r.riskAt ?? r.snapshotAt;
  if (r.stale) return { status: 'stale', text: `stale${at !== null ? ` ${formatAge(now - at)}` : ''}: ${r.stale}` };
  if (at !== null && (r.snapshot?.positions.length ?? 0) > 0 && now - at > priceMaxAgeMs + 30_000) return { status: 'stale', text: `stale: no update for ${formatAge(now - at)}` };
  if (!r.risk) return { status: 'waiting', text: 'waiting for data' };
  return { status: 'live', text: at !== null ? `live · ${formatAge(now - at)}` : 'live' };
}

export interface OverlayProps {
  accounts: AccountRecord[];
  now: number;
  levels: readonly number[];
  priceMaxAgeMs: number;
  placement: OverlayPlacement;
  onPlacement: (p: OverlayPlacement) => void;
}

function clamp(p: OverlayPlacement, w: number, h: number): OverlayPlacement {
  const maxLeft = Math.max(0, (globalThis.innerWidth || 1024) - w);
  const maxBottom = Math.max(0, (globalThis.innerHeight || 768) - h);
  return { ...p, left: Math.min(Math.max(0, Math.round(p.left)), maxLeft), bottom: Math.min(Math.max(0, Math.round(p.bottom)), maxBottom) };
}

/** Everything one account's badge shows, as text: the badge re-renders only when this changes. */
export interface BadgeView {
  key: string;
  name: string;
  band: string;
  status: OverlayStatus;
  statusText: string;
  ratio: { text: string; title: string };
  dist: { text: string; title: string };
  rows: {
    key: string;
    symbol: string;
    side: string;
    liq: { text: string; title: string | undefined };
    theirs: { text: string; mismatch: boolean; title: string | undefined };
    dist: { text: string; title: string | undefined };
  }[];
}

/** The badge's texts for one account record at time `now` (pure). */
export function badgeView(r: AccountRecord, now: number, levels: readonly number[], priceMaxAgeMs: number): BadgeView {
  const risk = r.risk;
  const st = overlayStatus(r, now, priceMaxAgeMs);
  const worst = risk && risk.firstToLiquidate !== null ? risk.positions[risk.firstToLiquidate] : undefined;
  const ratioWhy = risk?.reasons.find((x) => x.field === 'marginRatio' || x.field === 'riskRatio')?.reason ?? 'not computed yet';
  return {
    key: r.key,
    name: r.label,
    band: bandOf(risk?.riskRatio ?? null, levels),
    status: st.status,
    statusText: st.text,
    ratio: {
      text: risk?.marginRatio ? formatPercent(risk.marginRatio, 1) : UNKNOWN,
      title: risk?.marginRatio ? `${risk.marginRatioConvention.definition}: ${formatPercent(risk.marginRatio, 3)}` : ratioWhy,
    },
    dist: {
      text: worst ? `liq ${formatPercent(worst.distanceToLiquidation, 1)} away` : risk && risk.positions.length ? 'no liq. price' : 'no positions',
      title: worst ? `${worst.symbol} ${worst.side} is nearest to liquidation` : 'no position near liquidation',
    },
    rows: (risk?.positions ?? []).map((p) => {
      const rec = p.reconciliation.find((x) => x.field === 'liquidationPrice');
      const liqReason = p.reasons.find((x) => x.field === 'liquidationPrice');
      const why = liqReason?.reason;
      // "none": no liquidation price exists (e.g. margin covers a fall to 0), which is not "unknown"
      const none = p.liquidationPrice === null && (liqReason?.none === true || /no liquidation price|^fully hedged/.test(why ?? ''));
      return {
        key: `${p.symbol}|${p.side}|${p.marginMode}`,
        symbol: p.symbol,
        side: p.side,
        liq: { text: p.liquidationPrice ? formatPrice(p.liquidationPrice) : none ? 'none' : UNKNOWN, title: p.liquidationPrice ?? why },
        theirs: {
          text: rec ? `${formatPrice(rec.theirs)}${rec.mismatch ? ' ⚠' : ''}` : '—',
          mismatch: !!rec?.mismatch,
          title: rec?.mismatch ? `differs from ours beyond ${rec.tolerance}` : undefined,
        },
        dist: { text: none ? 'none' : formatPercent(p.distanceToLiquidation, 1), title: p.distanceToLiquidation === null ? why : undefined },
      };
    }),
  };
}

interface BadgeProps {
  view: BadgeView;
  /** JSON of `view`: equal signatures render the same, so the badge is not re-rendered. */
  sig: string;
  expanded: boolean;
}

function AccountBadgeView({ view: v, expanded }: BadgeProps) {
  return (
    <div class={`ms-account band-${v.band} st-${v.status}`} data-account={v.key}>
      <div class="ms-line">
        <span class="ms-name">{v.name}</span>
        <span class="ms-ratio" title={v.ratio.title}>
          {v.ratio.text}
        </span>
        <span class="ms-dist" title={v.dist.title}>
          {v.dist.text}
        </span>
      </div>
      <div class={`ms-status ms-status-${v.status}`} role={v.status === 'live' ? undefined : 'alert'}>
        {v.statusText}
      </div>
      {expanded && v.rows.length > 0 && (
        <table class="ms-pos">
          <thead>
            <tr>
              <th scope="col">Position</th>
              <th scope="col">Our liq.</th>
              <th scope="col">Exchange</th>
              <th scope="col">Dist.</th>
            </tr>
          </thead>
          <tbody>
            {v.rows.map((row) => (
              <tr key={row.key}>
                <th scope="row">
                  {row.symbol} <span class={`ms-side-${row.side}`}>{row.side}</span>
                </th>
                <td title={row.liq.title}>{row.liq.text}</td>
                <td class={row.theirs.mismatch ? 'ms-mismatch' : ''} title={row.theirs.title}>
                  {row.theirs.text}
                  {row.theirs.mismatch && <span class="ms-sr"> mismatch</span>}
                </td>
                <td title={row.dist.title}>{row.dist.text}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

// The badge runs inside a trading page and its data arrives every second: when the texts it
// shows are unchanged (most price ticks move no displayed digit), it is not re-rendered.
class AccountBadge extends Component<BadgeProps> {
  override shouldComponentUpdate(next: BadgeProps): boolean {
    return next.expanded !== this.props.expanded || next.sig !== this.props.sig;
  }
  override render(props: BadgeProps) {
    return <AccountBadgeView {...props} />;
  }
}

export function Overlay({ accounts, now, levels, priceMaxAgeMs, placement, onPlacement }: OverlayProps) {
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
      {accounts.map((r) => {
        const view = badgeView(r, now, levels, priceMaxAgeMs);
        return <AccountBadge key={r.key} view={view} sig={JSON.stringify(view)} expanded={!at.collapsed} />;
      })}
    </div>
  );
}
