import { readdirSync } from 'node:fs';
import path from 'node:path';

/** Each drizzle-kit migration set: the kernel's, and one per module that owns tables. */
export interface MigrationSource {
  id: string;
  schemaGlob: string;
  out: string;
  tableFiles: string[];
}

export function migrationSources(root = process.cwd()): MigrationSource[] {
  const modulesDir = path.join(root, 'src/modules');
  const modules = readdirSync(modulesDir, { withFileTypes: true })
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
  return [source('kernel', 'src/kernel'), ...modules.map((id) => source(id, `src/modules/${id}`))];
}
