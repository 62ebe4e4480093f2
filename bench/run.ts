/**
 * `npm run bench [-- <name filter>]`: each benchmark measures Plinth against a baseline in the
 * same run and prints the ratio (machines are noisy; absolute numbers are not comparable).
 * BENCH_DURATION (seconds per measurement, default 10) and BENCH_CONNECTIONS (default 20).
 */
import { catalogListBenchmark } from './catalog-list.bench.ts';
import { guardOverheadBenchmark } from './guard-overhead.bench.ts';
import { outboxThroughputBenchmark } from './outbox-throughput.bench.ts';
import { posSaleBenchmark } from './pos-sale.bench.ts';
import { realtimeFanoutBenchmark } from './realtime-fanout.bench.ts';
import type { Benchmark } from './lib/types.ts';

const benchmarks: Benchmark[] = [catalogListBenchmark, guardOverheadBenchmark, realtimeFanoutBenchmark, outboxThroughputBenchmark, posSaleBenchmark];

const duration = Number(process.env.BENCH_DURATION ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 20);
const filter = process.argv[2];
const format = (value: number) => value.toLocaleString('en', { maximumFractionDigits: 1 });

for (const benchmark of benchmarks.filter((candidate) => !filter || candidate.name.includes(filter))) {
  process.stdout.write(`\n## ${benchmark.name}  (${duration} s each, ${connections} connections)\n`);
  const report = await benchmark.run({ duration, connections });
  for (const { label, result } of report.rows) {
    process.stdout.write(
      `  ${label.padEnd(44)} ${format(result.requestsPerSecond).padStart(10)} req/s   p50 ${result.p50Ms} ms   p99 ${result.p99Ms} ms` +
        `${result.non2xx + result.errors > 0 ? `   (${result.non2xx} non-2xx, ${result.errors} errors)` : ''}\n`,
    );
  }
  process.stdout.write(`  ratio: ${report.ratio.label} = ${report.ratio.value.toFixed(3)}${report.ratio.target ? ` (target ${report.ratio.target})` : ''}\n`);
}
