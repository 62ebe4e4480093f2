import { constants } from 'node:fs';
import { access, chmod, mkdir, stat } from 'node:fs/promises';
import path from 'node:path';

/** The folders an installation writes to besides its database. */
export interface InstallFolders {
  logs: string;
  backups: string;
  exports: string;
}

export const installFoldersOf = (config: { dataDir: string; backupDir: string }): InstallFolders => ({
  logs: path.join(config.dataDir, 'logs'),
  backups: config.backupDir,
  exports: path.join(config.dataDir, 'exports'),
});

export interface FolderCheck {
  name: keyof InstallFolders;
  path: string;
  /** created: made now; tightened: existed readable by others, now owner-only; ok: already as it should be. */
  state: 'created' | 'tightened' | 'ok';
}

export class FolderProblem extends Error {
  constructor(readonly folder: string, reason: string) {
    super(`${folder}: ${reason}`);
    this.name = 'FolderProblem';
  }
}

/**
 * Creates each folder owner-only (0700: backups and exports hold the whole business) or tightens
 * one that others could read, and checks this process may write there. Throws FolderProblem
 * naming the first folder it cannot use.
 */
export async function prepareInstallFolders(folders: InstallFolders): Promise<FolderCheck[]> {
  const checks: FolderCheck[] = [];
  for (const [name, folder] of Object.entries(folders) as [keyof InstallFolders, string][]) {
    const before = await stat(folder).catch(() => undefined);
    if (before && !before.isDirectory()) throw new FolderProblem(folder, 'exists and is not a folder');
    if (!before) await mkdir(folder, { recursive: true, mode: 0o700 });
    const loose = before ? (before.mode & 0o077) !== 0 : false;
    if (loose) await chmod(folder, 0o700).catch(() => Promise.reject(new FolderProblem(folder, 'others may read it and its mode cannot be changed by this user')));
    await access(folder, constants.W_OK | constants.X_OK).catch(() => Promise.reject(new FolderProblem(folder, 'this user may not write there')));
    checks.push({ name, path: folder, state: !before ? 'created' : loose ? 'tightened' : 'ok' });
  }
  return checks;
}
