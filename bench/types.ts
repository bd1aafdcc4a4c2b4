/** One benchmark result row, printed by `npm run bench`. `median`/`p99` are in `unit` (sizes: p99 = median). */
export interface BenchRow {
  name: string;
  unit: 'ms' | 'KB' | 'MB' | 'x';
  median: number;
  p99: number;
  goal?: string;
  met?: boolean;
  note?: string;
}
