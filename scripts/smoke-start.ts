/**
 * CI smoke test of the README's first command: `npm start` on embedded PostgreSQL (no
 * DATABASE_URL) in a fresh data folder must answer /ready with 200 within 30 s, then stop
 * cleanly on SIGTERM, leaving no PostgreSQL running.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

const READY_WITHIN_MS = 30_000;
const dataDir = await mkdtemp(path.join(os.tmpdir(), 'plinth-smoke-'));
const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', PLINTH_DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
delete env.DATABASE_URL;

const started = Date.now();
const child = spawn('npm', ['start'], { env, stdio: ['ignore', 'pipe', 'inherit'], detached: true });
let output = '';
child.stdout.on('data', (chunk: Buffer) => {
  output += chunk.toString();
  process.stdout.write(chunk);
});

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

function fail(message: string): never {
  process.stderr.write(`smoke: ${message}\n`);
  try {
    process.kill(-(child.pid as number), 'SIGKILL');
  } catch {
    // already gone
  }
  process.exit(1);
}

const url = await new Promise<string>((resolve) => {
  const timer = setTimeout(() => fail(`no banner within ${READY_WITHIN_MS} ms`), READY_WITHIN_MS);
  child.stdout.on('data', () => {
    const match = /Plinth is running at (http:\/\/\S+?)\/?\s/.exec(output);
    if (match?.[1]) {
      clearTimeout(timer);
      resolve(match[1]);
    }
  });
  child.once('exit', (code) => fail(`npm start exited early with code ${code}`));
});

let ready = false;
while (!ready && Date.now() - started < READY_WITHIN_MS) {
  const response = await fetch(`${url}/ready`).catch(() => undefined);
  ready = response?.status === 200;
  if (!ready) await new Promise((resolve) => setTimeout(resolve, 250));
}
if (!ready) fail(`/ready did not answer 200 within ${READY_WITHIN_MS} ms`);
process.stdout.write(`smoke: /ready = 200 after ${Date.now() - started} ms\n`);

// Signal the whole process group, as a terminal's Ctrl+C does (npm and the node process under it).
child.removeAllListeners('exit');
const exited = once(child, 'exit');
process.kill(-(child.pid as number), 'SIGTERM');
const [code, signal] = (await exited) as [number | null, NodeJS.Signals | null];
// npm re-raises the signal on itself once its child has exited, so "killed by SIGTERM" is a clean
// exit for npm; what must hold is that the server and its PostgreSQL are gone.
if (code !== 0 && signal !== 'SIGTERM') fail(`npm start ended with code ${code}, signal ${signal} after SIGTERM`);
const stopDeadline = Date.now() + 10_000;
while (groupAlive(child.pid as number) && Date.now() < stopDeadline) await new Promise((resolve) => setTimeout(resolve, 100));
if (groupAlive(child.pid as number)) fail('processes of npm start still running 10 s after SIGTERM');
if (existsSync(path.join(dataDir, 'pg', 'postmaster.pid'))) fail('embedded PostgreSQL did not shut down (postmaster.pid left behind)');
await rm(dataDir, { recursive: true, force: true });
process.stdout.write('smoke: npm start stopped cleanly\n');
