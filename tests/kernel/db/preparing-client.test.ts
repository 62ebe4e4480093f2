import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { PREPARED_PER_CONNECTION } from '../../../src/kernel/db/preparing-client.ts';
import { createEmptyDatabase, type TestDatabase } from '../../support/database.ts';

describe('PreparingClient (the pool every database uses)', () => {
  let database: TestDatabase;
  before(async () => {
    database = await createEmptyDatabase();
  });
  after(() => database.drop());

  /** The statements this connection has prepared, by text. */
  const preparedTexts = async (client: { query: (text: string) => Promise<{ rows: { statement: string }[] }> }) =>
    new Set((await client.query('SELECT statement FROM pg_prepared_statements')).rows.map((row) => row.statement));

  test('a query with parameters is prepared once on its connection and answers as before', async () => {
    const client = await database.pool.connect();
    try {
      const text = 'SELECT $1::int + $2::int AS sum';
      assert.equal((await client.query(text, [2, 3])).rows[0].sum, 5);
      assert.equal((await client.query({ text, values: [4, 5] })).rows[0].sum, 9);
      assert.ok((await preparedTexts(client)).has(text), 'the text is a prepared statement of this connection');
      const [row] = (await client.query<{ count: number }>('SELECT count(*)::int AS count FROM pg_prepared_statements WHERE statement = $1', [text])).rows;
      assert.equal(row?.count, 1, 'prepared once, reused by the second call');
    } finally {
      client.release();
    }
  });

  test('queries without parameters and queries given a name are sent as they are', async () => {
    const client = await database.pool.connect();
    try {
      await client.query('SELECT 41 + 1 AS answer');
      await client.query({ name: 'caller_named', text: 'SELECT $1::text AS echo', values: ['x'] });
      const texts = await preparedTexts(client);
      assert.ok(!texts.has('SELECT 41 + 1 AS answer'));
      const [named] = (await client.query<{ name: string }>("SELECT name FROM pg_prepared_statements WHERE statement = 'SELECT $1::text AS echo'")).rows;
      assert.equal(named?.name, 'caller_named');
    } finally {
      client.release();
    }
  });

  test(`a connection prepares at most ${PREPARED_PER_CONNECTION} texts; later ones still run`, async () => {
    const client = await database.pool.connect();
    try {
      for (let index = 0; index < PREPARED_PER_CONNECTION + 20; index++) {
        const { rows } = await client.query(`SELECT $1::int + ${index} AS value`, [1]);
        assert.equal(rows[0].value, index + 1);
      }
      // Statements a caller named itself (the test above) do not count against the cap.
      const [row] = (await client.query<{ count: number }>("SELECT count(*)::int AS count FROM pg_prepared_statements WHERE name <> 'caller_named'")).rows;
      assert.ok((row?.count ?? 0) <= PREPARED_PER_CONNECTION, `${row?.count} prepared`);
      assert.ok((row?.count ?? 0) >= PREPARED_PER_CONNECTION - 5, `the cap, not a smaller number, stops it (${row?.count} prepared)`);
    } finally {
      client.release();
    }
  });
});
