/**
 * `npm run bench [-- <name filter>]`: each benchmark measures Plinth against a baseline in the
 * same run and prints the baseline's definition and the ratio (machines are noisy; absolute
 * numbers are not comparable). BENCH_DURATION (seconds per measurement, default 10),
 * BENCH_CONNECTIONS (default 20), BENCH_TIMEOUT (seconds each benchmark may take, default
 * 240 + 6 × BENCH_DURATION): past it the run fails, naming the step the benchmark waited on.
 * Exits 1 when any benchmark failed, timed out or measured no ratio; `.ci/run` runs them all once
 * in a short mode (a second per measurement, small sizes) so that a broken one fails CI.
 */
import { catalogListBenchmark } from './catalog-list.bench.ts';
import { guardOverheadBenchmark } from './guard-overhead.bench.ts';
import { outboxThroughputBenchmark } from './outbox-throughput.bench.ts';
import { posSaleBenchmark } from './pos-sale.bench.ts';
import { realtimeFanoutBenchmark } from './realtime-fanout.bench.ts';
import type { Benchmark } from './lib/types.ts';
import { BenchmarkTimeout, tearDownAll, withinBudget } from './lib/watchdog.ts';

const benchmarks: Benchmark[] = [catalogListBenchmark, guardOverheadBenchmark, realtimeFanoutBenchmark, outboxThroughputBenchmark, posSaleBenchmark];

const duration = Number(process.env.BENCH_DURATION ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 20);
const budgetSeconds = Number(process.env.BENCH_TIMEOUT ?? 240 + 6 * duration);
const filter = process.argv[2];
const format = (value: number) => value.toLocaleString('en', { maximumFractionDigits: 1 });

let failed = 0;
for (const benchmark of benchmarks.filter((candidate) => !filter || candidate.name.includes(filter))) {
  process.stdout.write(`\n## ${benchmark.name}  (${duration} s each, ${connections} connections)\n  baseline: ${benchmark.baseline}\n`);
  try {
    const report = await withinBudget(benchmark.run({ duration, connections }), budgetSeconds, benchmark.name);
    for (const { label, result } of report.rows) {
      process.stdout.write(
        `  ${label.padEnd(44)} ${format(result.requestsPerSecond).padStart(10)} req/s   p50 ${result.p50Ms} ms   p99 ${result.p99Ms} ms` +
          `${result.non2xx + result.errors > 0 ? `   (${result.non2xx} non-2xx, ${result.errors} errors)` : ''}\n`,
      );
    }
    process.stdout.write(`  ratio: ${report.ratio.label} = ${report.ratio.value.toFixed(3)}${report.ratio.target ? ` (target ${report.ratio.target})` : ''}\n`);
    // A ratio of nothing (no request answered on one side) is a broken benchmark, not a slow one.
    if (!Number.isFinite(report.ratio.value) || report.ratio.value <= 0) throw new Error(`the ratio came out as ${report.ratio.value}: one side answered nothing`);
  } catch (error) {
    failed++;
    // A timeout's message names the step; any other failure shows where it came from.
    process.stdout.write(`  FAILED: ${error instanceof BenchmarkTimeout ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    // Whatever it started and did not stop (all of it, on a timeout: its work is still pending).
    await tearDownAll();
    if (error instanceof BenchmarkTimeout) break;
  }
}
if (failed > 0) process.stdout.write(`\n${failed} benchmark(s) failed\n`);
// A handle a benchmark left open must not keep the run alive after its last line.
process.exit(failed > 0 ? 1 : 0);
