import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { prepared, statement, withTx } from '../../../src/kernel/db/index.ts';
import { createEmptyDatabase, type TestDatabase } from '../../support/database.ts';

/** Module-level, as the rule for prepared queries says: built once per connection. */
const echo = prepared('test_prepared_echo', (tx) => tx.select({ value: sql<string>`${sql.placeholder('value')}::text`, backend: sql<number>`pg_backend_pid()` }).from(sql`(SELECT 1) AS one`));
const doubled = statement<{ doubled: number }>('test_statement_doubled', sql`SELECT ${sql.placeholder('n')}::int * 2 AS doubled`);

describe('prepared queries and statements (once per connection)', () => {
  let database: TestDatabase;
  before(async () => {
    database = await createEmptyDatabase();
  });
  after(() => database.drop());

  test('every call answers its own values, on every connection of the pool', async () => {
    const values = Array.from({ length: 40 }, (_, index) => `value-${index}`);
    const answers = await Promise.all(values.map((value) => withTx(database.db, async (tx) => (await echo.execute(tx, { value }))[0])));
    assert.deepEqual(answers.map((answer) => answer?.value), values);
    assert.ok(new Set(answers.map((answer) => answer?.backend)).size > 1, 'the calls ran on more than one connection');
  });

  test('a connection prepares the query once by its name and keeps using it', async () => {
    const texts = await withTx(database.db, async (tx) => {
      await echo.execute(tx, { value: 'one' });
      await echo.execute(tx, { value: 'two' });
      const { rows } = await tx.execute<{ name: string }>(sql`SELECT name FROM pg_prepared_statements WHERE name = 'test_prepared_echo'`);
      return rows;
    });
    assert.deepEqual(texts, [{ name: 'test_prepared_echo' }]);
  });

  test('a statement answers raw rows for its placeholders', async () => {
    const rows = await withTx(database.db, async (tx) => [...(await doubled.run(tx, { n: 21 })), ...(await doubled.run(tx, { n: 5 }))]);
    assert.deepEqual(rows, [{ doubled: 42 }, { doubled: 10 }]);
  });
});
