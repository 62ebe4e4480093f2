import fs from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { Logger } from '../observability/logger.ts';
import { isAlive, markOf, stillRunning } from './process-mark.ts';

export class DataFolderLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
    message = `The database folder ${dataDir} is in use by another running PostgreSQL (pid ${pid}), ` +
      'probably another Plinth instance. Stop it first, or set PLINTH_DATA_DIR to another folder.',
  ) {
    super(message);
    this.name = 'DataFolderLockedError';
  }
}

const processMark = z.object({ pid: z.number().int().positive(), started: z.string().nullable() });
/** Which Plinth process started the cluster, and the postmaster it started. */
const ownerRecord = z.object({ owner: processMark, postmaster: processMark });
type OwnerRecord = z.infer<typeof ownerRecord>;

const ORPHAN_STOP_TIMEOUT_MS = 30_000;
const POLL_MS = 100;

/**
 * Who holds a cluster folder. PostgreSQL's own postmaster.pid says which postmaster runs on it;
 * `<dataDir>/pg-owner.json` says which Plinth process started that postmaster. A Plinth killed
 * hard (SIGKILL, out of memory) cannot stop its PostgreSQL, and PostgreSQL has no way to notice
 * its parent is gone, so the next start stops such an orphan before starting its own.
 */
export function clusterLock(dataDir: string, clusterDir: string, log: Logger) {
  const ownerFile = path.join(dataDir, 'pg-owner.json');
  const pidFile = path.join(clusterDir, 'postmaster.pid');

  /** The pid on postmaster.pid's first line. */
  const postmasterPid = async (): Promise<number | undefined> => {
    const content = await fs.readFile(pidFile, 'utf8').catch(() => undefined);
    const pid = Number.parseInt(content?.split('\n')[0] ?? '', 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  };

  /** A live pid in postmaster.pid means the folder is taken; a stale file from a crash PostgreSQL clears itself. */
  const runningPostmaster = async (): Promise<number | undefined> => {
    const pid = await postmasterPid();
    return pid !== undefined && isAlive(pid) ? pid : undefined;
  };

  const readRecord = async (): Promise<OwnerRecord | undefined> => {
    const content = await fs.readFile(ownerFile, 'utf8').catch(() => undefined);
    if (content === undefined) return undefined;
    try {
      return ownerRecord.parse(JSON.parse(content));
    } catch {
      return undefined;
    }
  };

  /**
   * Fast shutdown (SIGINT, what `pg_ctl stop -m fast` sends): open sessions end, nothing committed is lost.
   * On Windows Node ends the process forcibly instead; PostgreSQL then recovers from its WAL at start.
   */
  const stopOrphan = async (pid: number): Promise<void> => {
    const notStopped = (why: string) =>
      new DataFolderLockedError(
        clusterDir,
        pid,
        `The PostgreSQL (pid ${pid}) left running in ${clusterDir} by a Plinth process that is gone ${why}. ` +
          `Stop it by hand (kill -INT ${pid}), then start again.`,
      );
    try {
      process.kill(pid, 'SIGINT');
    } catch (error) {
      throw notStopped(`could not be signalled (${(error as NodeJS.ErrnoException).code})`);
    }
    const deadline = Date.now() + ORPHAN_STOP_TIMEOUT_MS;
    // PostgreSQL removes postmaster.pid as its last act; the pid itself may linger as a zombie.
    while ((await postmasterPid()) === pid && isAlive(pid)) {
      if (Date.now() > deadline) throw notStopped(`did not stop within ${ORPHAN_STOP_TIMEOUT_MS / 1000} s`);
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  };

  return {
    /**
     * Before start: a postmaster whose recorded owner is gone is stopped; one whose owner still
     * runs, or that Plinth did not record, keeps the folder and this start is refused.
     */
    async claim(): Promise<void> {
      const pid = await runningPostmaster();
      if (pid === undefined) return;
      const record = await readRecord();
      const orphaned =
        record !== undefined && record.postmaster.pid === pid && (await stillRunning(record.postmaster)) && !(await stillRunning(record.owner));
      if (!orphaned) throw new DataFolderLockedError(clusterDir, pid);
      log.warn({ postmaster: pid, owner: record.owner.pid, clusterDir }, 'stopping the embedded PostgreSQL left running by a Plinth process that is gone');
      await stopOrphan(pid);
    },

    /** After a failed start: another process may have taken the folder meanwhile. */
    async assertFree(): Promise<void> {
      const pid = await runningPostmaster();
      if (pid !== undefined) throw new DataFolderLockedError(clusterDir, pid);
    },

    /** After start: this process owns the running postmaster (written whole, by rename). */
    async record(): Promise<void> {
      const pid = await postmasterPid();
      const owner = await markOf(process.pid);
      const postmaster = pid === undefined ? undefined : await markOf(pid);
      if (!owner || !postmaster) throw new Error(`Embedded PostgreSQL started but its postmaster is not running (${pidFile})`);
      const temporary = `${ownerFile}.${process.pid}.tmp`;
      await fs.writeFile(temporary, JSON.stringify({ owner, postmaster } satisfies OwnerRecord) + '\n');
      await fs.rename(temporary, ownerFile);
    },

    /** After a clean stop; a record another process wrote since is left alone. */
    async release(): Promise<void> {
      if ((await readRecord())?.owner.pid === process.pid) await fs.rm(ownerFile, { force: true });
    },
  };
}
