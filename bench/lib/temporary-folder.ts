import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { onTimeout } from './watchdog.ts';

export interface TemporaryFolder {
  path: string;
  remove(): Promise<void>;
}

/** A new folder under the system's temporary one, removed by `remove()` or, past a benchmark's budget, by the watchdog. */
export async function temporaryFolder(prefix: string): Promise<TemporaryFolder> {
  const folder = await mkdtemp(path.join(os.tmpdir(), prefix));
  const removeFolder = () => rm(folder, { recursive: true, force: true });
  const forget = onTimeout(removeFolder);
  return {
    path: folder,
    remove: async () => {
      await removeFolder();
      forget();
    },
  };
}
