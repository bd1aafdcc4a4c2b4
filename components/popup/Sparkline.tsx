/** Inline SVG sparkline of the normalized risk ratio over the last hour; gaps where it was unknown. */
import type { RatioSample } from '../../lib/storage';

export interface SparklineProps {
  samples: readonly RatioSample[];
  now: number;
  levels: readonly number[];
  windowMs?: number;
  width?: number;
  height?: number;
}

export function Sparkline({ samples, now, levels, windowMs = 3_600_000, width = 120, height = 34 }: SparklineProps) {
  const known = samples.filter((s) => s.r !== null && Number.isFinite(s.r));
  if (known.length < 2) {
    return (
      <span class="spark-empty" data-testid="sparkline" title="The ratio history fills while the monitor runs (one sample per 5 s, last hour).">
        no ratio history yet
      </span>
    );
  }
  const values = known.map((s) => s.r as number);
  // Scale to the data (with headroom); only levels inside that range are drawn.
  const top = Math.max(...values) * 1.25 || 1;
  const shownLevels = levels.filter((l) => l <= top);
  const x = (t: number) => ((t - (now - windowMs)) / windowMs) * width;
  const y = (r: number) => height - (r / top) * height;
  const segments: string[] = [];
  let cur: string[] = [];
  for (const s of samples) {
    if (s.r === null || !Number.isFinite(s.r)) {
      if (cur.length) segments.push(cur.join(' '));
      cur = [];
      continue;
    }
    cur.push(`${x(s.t).toFixed(1)},${y(s.r).toFixed(1)}`);
  }
  if (cur.length) segments.push(cur.join(' '));
  const first = values[0]!;
  const last = values[values.length - 1]!;
  const pct = (r: number) => `${(r * 100).toFixed(1)} %`;
  return (
    <svg
      class="spark"
      data-testid="sparkline"
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label={`Risk ratio over the last hour: from ${pct(first)} to ${pct(last)}, highest ${pct(Math.max(...values))}`}
    >
      {shownLevels.map((l) => (
        <line key={l} class="spark-level" x1={0} x2={width} y1={y(l)} y2={y(l)} />
      ))}
      {segments.map((pts, i) => (
        <polyline key={i} class="spark-line" points={pts} fill="none" />
      ))}
    </svg>
  );
}
