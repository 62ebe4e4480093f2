import { appendFile, readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { AuditCheckpoint } from './checkpoint.ts';

/**
 * The checkpoint log: every checkpoint written, one JSON line each, appended beside the signing
 * key (outside the database). Someone who can delete checkpoint rows in the database cannot
 * delete these, so verify still knows how far the chain was signed.
 */
export const checkpointLogOf = (signingKeyFile: string) => path.join(path.dirname(signingKeyFile), 'audit-checkpoints.jsonl');

/** One line: the whole line is written by one append, so lines of concurrent writers do not interleave. */
export async function appendCheckpointLog(signingKeyFile: string, checkpoint: AuditCheckpoint): Promise<void> {
  await appendFile(checkpointLogOf(signingKeyFile), `${JSON.stringify(checkpoint)}\n`, { mode: 0o600 });
}

const logLine = z.strictObject({
  tenantId: z.string(),
  seq: z.number().int().positive(),
  hash: z.string(),
  hashFormat: z.number().int(),
  signedAt: z.string(),
  keyId: z.string(),
  signature: z.string(),
});

const parseJson = (line: string): unknown => {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
};

export interface CheckpointLog {
  checkpoints: AuditCheckpoint[];
  /** Line numbers (from 1) that are not a checkpoint: the file was edited or a write was cut short. */
  unreadableLines: number[];
}

/** The log's checkpoints of the tenants asked for (all when `tenantIds` is undefined); empty when there is no log yet. */
export async function readCheckpointLog(signingKeyFile: string, tenantIds?: ReadonlySet<string>): Promise<CheckpointLog> {
  const log: CheckpointLog = { checkpoints: [], unreadableLines: [] };
  const text = await readFile(checkpointLogOf(signingKeyFile), 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return '';
    throw error;
  });
  text.split('\n').forEach((line, index) => {
    if (line === '') return;
    const parsed = logLine.safeParse(parseJson(line));
    if (!parsed.success) log.unreadableLines.push(index + 1);
    else if (!tenantIds || tenantIds.has(parsed.data.tenantId)) log.checkpoints.push(parsed.data);
  });
  return log;
}
