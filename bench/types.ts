/** One benchmark result row, printed by `npm run bench`. Times in milliseconds. */
export interface BenchRow {
  name: string;
  unit: 'ms';
  median: number;
  p99: number;
  goal?: string;
  met?: boolean;
  note?: string;
}
