import { createHash } from 'node:crypto';
import pg from 'pg';
import { TenantScopedQuery } from './scoped-query.ts';

/** Named statements one connection keeps at most; later texts run unnamed (parsed per call). */
export const PREPARED_PER_CONNECTION = 500;

/** Statement name per query text, shared by all connections (the name is a hash of the text). */
const names = new Map<string, string>();

function nameOf(text: string): string {
  let name = names.get(text);
  if (name === undefined) {
    name = `p_${createHash('sha256').update(text).digest('base64url').slice(0, 24)}`;
    // Texts come from the code's statements, but generated ones (IN lists, multi-row inserts)
    // vary: keep the map bounded like each connection's set.
    if (names.size >= PREPARED_PER_CONNECTION * 4) names.clear();
    names.set(text, name);
  }
  return name;
}

/**
 * A pg client that sends every query with parameters as a named prepared statement, so
 * PostgreSQL parses and plans each statement text once per connection instead of on every call
 * (node-postgres prepares only queries given a name, and drizzle names none; `npm run bench --
 * pos` measures the difference). Per connection at most PREPARED_PER_CONNECTION texts are
 * prepared, so statements with generated text cannot grow a session without bound. Prepared
 * statements live outside transactions and survive rollbacks; the schema changes only in
 * migrations, which run before the app's pool serves queries.
 */
export class PreparingClient extends pg.Client {
  private readonly prepared = new Set<string>();
  /** While set (withReadScope), every query runs read-only in this tenant's scope, in its own round trip. */
  readScope: string | undefined;

  // pg's query() has a dozen overloads; this forwards every call unchanged except for the name.
  override query(...args: unknown[]): never {
    const [given, values] = args;
    const config = typeof given === 'string' ? { text: given } : given;
    if (isUnnamedWithParameters(config, values)) {
      const name = nameOf(config.text);
      if (this.prepared.has(name) || this.prepared.size < PREPARED_PER_CONNECTION) {
        this.prepared.add(name);
        args[0] = { ...config, name };
      }
    }
    if (this.readScope !== undefined) return this.scoped(args[0] as string | pg.QueryConfig, values as unknown[] | undefined, this.readScope);
    return (pg.Client.prototype.query as (...forwarded: unknown[]) => never).apply(this, args);
  }

  private scoped(given: string | pg.QueryConfig, values: unknown[] | undefined, tenantId: string): never {
    const query = new TenantScopedQuery(typeof given === 'string' ? { text: given } : given, values, tenantId) as unknown as pg.Query & { callback: (error: Error | undefined, result: unknown) => void };
    return new Promise((resolve, reject) => {
      query.callback = (error, result) => (error ? reject(error) : resolve(result));
      super.query(query);
    }) as never;
  }
}

function isUnnamedWithParameters(config: unknown, values: unknown): config is { text: string; name?: string; values?: unknown[] } {
  if (typeof config !== 'object' || config === null || !('text' in config) || typeof config.text !== 'string' || ('name' in config && config.name)) return false;
  const parameters = Array.isArray(values) ? values : 'values' in config && Array.isArray(config.values) ? config.values : [];
  return parameters.length > 0;
}
