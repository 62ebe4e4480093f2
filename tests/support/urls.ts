/** The same server and credentials, another database. */
export function withDatabaseName(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** The URL without a database name, for connecting to `postgres`-level admin work. */
export function serverUrl(url: string): string {
  return withDatabaseName(url, 'postgres');
}
