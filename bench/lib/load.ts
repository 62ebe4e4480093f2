import autocannon from 'autocannon';
import { waitingOn } from './watchdog.ts';

export interface LoadResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
}

export interface LoadOptions {
  url: string;
  headers?: Record<string, string>;
  /** Seconds; BENCH_DURATION overrides for quick local runs. */
  duration: number;
  connections: number;
}

export async function measure(options: LoadOptions): Promise<LoadResult> {
  waitingOn(`load on ${options.url} (${options.duration} s, ${options.connections} connections)`);
  const result = await autocannon({
    url: options.url,
    headers: options.headers ?? {},
    duration: options.duration,
    connections: options.connections,
  });
  return {
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

/**
 * Measures `first` and `second` in alternating slices (first, second, second, first), so drift in
 * the machine's load (other processes) falls on both alike; each gets about `duration` seconds in all.
 * Requests per second and latencies are the means over each one's two slices.
 */
export async function alternate(first: LoadOptions, second: LoadOptions): Promise<[LoadResult, LoadResult]> {
  const slice = (options: LoadOptions) => measure({ ...options, duration: Math.max(1, Math.round(options.duration / 2)) });
  const a1 = await slice(first);
  const b1 = await slice(second);
  const b2 = await slice(second);
  const a2 = await slice(first);
  const mean = (x: LoadResult, y: LoadResult): LoadResult => ({
    requestsPerSecond: (x.requestsPerSecond + y.requestsPerSecond) / 2,
    p50Ms: (x.p50Ms + y.p50Ms) / 2,
    p99Ms: (x.p99Ms + y.p99Ms) / 2,
    non2xx: x.non2xx + y.non2xx,
    errors: x.errors + y.errors,
  });
  return [mean(a1, a2), mean(b1, b2)];
}
