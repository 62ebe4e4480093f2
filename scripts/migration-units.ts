import { readdirSync } from 'node:fs';
import path from 'node:path';

/** Each drizzle-kit migration set: one per kernel area and per module that owns tables. */
export interface MigrationSource {
  id: string;
  schemaGlob: string;
  out: string;
  tableFiles: string[];
}

export function migrationSources(root = process.cwd()): MigrationSource[] {
  const folders = (dir: string) =>
    readdirSync(path.join(root, dir), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
  const source = (id: string, dir: string): MigrationSource => ({
    id,
    schemaGlob: `${dir}/**/*.table.ts`,
    out: `${dir}/migrations`,
    tableFiles: (readdirSync(path.join(root, dir), { recursive: true }) as string[])
      .filter((file) => file.endsWith('.table.ts'))
      .map((file) => path.join(dir, file)),
  });
  const kernelAreas = folders('src/kernel').map((id) => source(id, `src/kernel/${id}`));
  const modules = folders('src/modules').map((id) => source(id, `src/modules/${id}`));
  return [...kernelAreas, ...modules].filter((candidate) => candidate.tableFiles.length > 0);
}
