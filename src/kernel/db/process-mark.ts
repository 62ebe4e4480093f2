import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';

/**
 * A process as recorded at one moment: its pid plus when it started, so that a pid the OS has
 * since handed to another process does not pass for the one recorded. `started` is null where
 * the platform cannot tell (Windows); there a live pid has to count as the same process.
 */
export interface ProcessMark {
  pid: number;
  started: string | null;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Linux: the start time in clock ticks since boot (field 22 of /proc/<pid>/stat), with the boot's
 * id. A live pid whose entry cannot be read (/proc mounted with hidepid) cannot be told: null.
 */
async function linuxStart(pid: number): Promise<string | null | undefined> {
  const stat = await fs.readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  if (stat === undefined) return isAlive(pid) ? null : undefined;
  // The command name (field 2) is in parentheses and may hold spaces; fields after it are plain.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  if (fields[0] === 'Z') return undefined; // a zombie: no longer running
  const bootId = (await fs.readFile('/proc/sys/kernel/random/boot_id', 'utf8').catch(() => '')).trim();
  return `${bootId}:${fields[19]}`;
}

/** macOS and other Unixes: `ps` prints the start time (to the second); nothing when the pid is gone. */
function psStart(pid: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('ps', ['-o', 'lstart=', '-p', String(pid)], (error, stdout) => resolve(error ? undefined : stdout.trim() || undefined));
  });
}

/** When the process started; undefined when it is not running, null when this platform cannot tell. */
async function startOf(pid: number): Promise<string | null | undefined> {
  if (!isAlive(pid)) return undefined;
  if (process.platform === 'linux') return linuxStart(pid);
  if (process.platform === 'win32') return null;
  return psStart(pid);
}

/** The mark of a running process, or undefined when it is not running. */
export async function markOf(pid: number): Promise<ProcessMark | undefined> {
  const started = await startOf(pid);
  return started === undefined ? undefined : { pid, started };
}

/** Whether the recorded process still runs: same pid, and the same start where the platform tells it. */
export async function stillRunning(mark: ProcessMark): Promise<boolean> {
  const started = await startOf(mark.pid);
  if (started === undefined) return false;
  return started === null || mark.started === null || started === mark.started;
}
