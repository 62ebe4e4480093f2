import { execFile } from 'node:child_process';
import { access, constants, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { LoadResult } from './load.ts';
import { onTimeout, waitingOn } from './watchdog.ts';

const run = promisify(execFile);

/**
 * The pgbench binary: PGBENCH when set, else `pgbench` on PATH, else the newest
 * /usr/lib/postgresql/<version>/bin/pgbench (Debian's layout). Undefined when there is none.
 */
export async function findPgbench(): Promise<string | undefined> {
  const executable = async (file: string) =>
    access(file, constants.X_OK).then(
      () => true,
      () => false,
    );
  if (process.env.PGBENCH) return (await executable(process.env.PGBENCH)) ? process.env.PGBENCH : undefined;
  for (const dir of (process.env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    if (await executable(path.join(dir, 'pgbench'))) return path.join(dir, 'pgbench');
  }
  const versions = await readdir('/usr/lib/postgresql').catch(() => [] as string[]);
  for (const version of versions.sort((a, b) => Number(b) - Number(a))) {
    const candidate = path.join('/usr/lib/postgresql', version, 'bin', 'pgbench');
    if (await executable(candidate)) return candidate;
  }
  return undefined;
}

export interface PgbenchOptions {
  binary: string;
  /** A libpq connection string (URI) of the database to run against. */
  url: string;
  scriptFile: string;
  /** Passed as -D name=value. */
  variables: Record<string, string>;
  duration: number;
  connections: number;
}

/** Per-transaction latencies (ms) from pgbench's -l logs in `dir`. */
async function loggedLatencies(dir: string): Promise<number[]> {
  const latencies: number[] = [];
  for (const file of await readdir(dir)) {
    // Each line: client_id transaction_no time_us script_no time_epoch time_us_frac [lag]
    for (const line of (await readFile(path.join(dir, file), 'utf8')).split('\n')) {
      const fields = line.split(' ');
      if (fields.length >= 3 && fields[2] !== 'failed' && fields[2] !== 'skipped') latencies.push(Number(fields[2]) / 1000);
    }
  }
  return latencies.sort((a, b) => a - b);
}

const percentile = (sorted: number[], p: number) => (sorted.length === 0 ? 0 : (sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] as number));

export interface PgbenchResult extends LoadResult {
  transactions: number;
}

/**
 * Runs the custom script with `connections` clients for `duration` seconds (-M prepared, -n: no
 * vacuum of pgbench's own tables) and answers its tps (excluding connection set-up), p50/p99 from
 * the per-transaction log, and failed transactions as errors. Throws with pgbench's output when
 * it exits non-zero (e.g. a client aborted on an SQL error).
 */
export async function runPgbench(options: PgbenchOptions): Promise<PgbenchResult> {
  const logDir = await mkdtemp(path.join(os.tmpdir(), 'plinth-pgbench-'));
  try {
    const args = [
      '-n',
      '-M',
      'prepared',
      '-f',
      options.scriptFile,
      '-c',
      String(options.connections),
      '-j',
      String(Math.max(1, Math.min(options.connections, os.availableParallelism()))),
      '-T',
      String(options.duration),
      '-l',
      `--log-prefix=${path.join(logDir, 'tx')}`,
      ...Object.entries(options.variables).flatMap(([name, value]) => ['-D', `${name}=${value}`]),
      options.url,
    ];
    let stdout: string;
    waitingOn(`pgbench (${options.duration} s, ${options.connections} clients)`);
    const running = run(options.binary, args, { maxBuffer: 16 * 1024 * 1024 });
    const forget = onTimeout(async () => running.child.kill('SIGKILL'));
    try {
      ({ stdout } = await running);
    } catch (error) {
      const failed = error as { stdout?: string; stderr?: string; message: string };
      throw new Error(`pgbench failed: ${failed.message}\n${failed.stdout ?? ''}\n${failed.stderr ?? ''}`, { cause: error });
    } finally {
      forget();
    }
    const tps = /^tps = ([\d.]+) \(without initial connection time\)/m.exec(stdout);
    const processed = /^number of transactions actually processed: (\d+)/m.exec(stdout);
    const failedCount = /^number of failed transactions: (\d+)/m.exec(stdout);
    if (!tps || !processed) throw new Error(`could not read pgbench's output:\n${stdout}`);
    const latencies = await loggedLatencies(logDir);
    const round = (ms: number) => Math.round(ms * 100) / 100;
    return {
      requestsPerSecond: Number(tps[1]),
      p50Ms: round(percentile(latencies, 0.5)),
      p99Ms: round(percentile(latencies, 0.99)),
      non2xx: 0,
      errors: Number(failedCount?.[1] ?? 0),
      transactions: Number(processed[1]),
    };
  } finally {
    await rm(logDir, { recursive: true, force: true });
  }
}
