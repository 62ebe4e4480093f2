/**
 * CI helper: when a PostgreSQL service answers at 127.0.0.1:5432, create a fresh database for
 * this run and print its URL (nothing when no service answers, so tests use embedded PostgreSQL).
 * `drop <url>` removes it again.
 */
import pg from 'pg';

const SERVICE = 'postgres://postgres@127.0.0.1:5432/postgres';

async function create(): Promise<void> {
  const client = new pg.Client({ connectionString: SERVICE, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
  } catch {
    return;
  }
  const name = `plinth_ci_${Date.now().toString(36)}_${process.pid}`;
  await client.query(`CREATE DATABASE ${name}`);
  const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
  await client.end();
  process.stderr.write(`ci: PostgreSQL ${rows[0]?.server_version} service found; using fresh database ${name}\n`);
  process.stdout.write(`postgres://postgres@127.0.0.1:5432/${name}\n`);
}

async function drop(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  if (!/^plinth_ci_[a-z0-9_]+$/.test(name)) throw new Error(`refusing to drop ${name}`);
  const client = new pg.Client({ connectionString: SERVICE });
  await client.connect();
  await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await client.end();
}

const [command, url] = process.argv.slice(2);
await (command === 'drop' && url ? drop(url) : create());
