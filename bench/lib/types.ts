import type { LoadResult } from './load.ts';

export interface BenchmarkReport {
  rows: { label: string; result: LoadResult }[];
  ratio: { label: string; value: number; target?: string };
}

export interface Benchmark {
  name: string;
  /** What the ratio is measured against, printed before the figures: the baseline's exact definition. */
  baseline: string;
  run(options: { duration: number; connections: number }): Promise<BenchmarkReport>;
}
