import type pg from 'pg';

/**
 * The role the app's queries run as: not the tables' owner and not a superuser, so PostgreSQL's
 * row-level security applies to it. Connections log in as the owner (the one DATABASE_URL names)
 * and switch to this role at once; migrations keep the owner's rights.
 */
export const APP_ROLE = 'plinth_app';

/** The transaction-local setting that names the tenant a tenant-scoped transaction works for. */
export const TENANT_SETTING = 'app.tenant_id';

const tenantMatches = `tenant_id = nullif(current_setting('${TENANT_SETTING}', true), '')::uuid`;

/**
 * Run after every migration: creates the app role, grants it the tables, and puts every table
 * that has a tenant_id column under FORCE ROW LEVEL SECURITY with one policy: a row is visible
 * and writable only inside a transaction whose app.tenant_id names its tenant. Applying it to
 * whatever has the column means no module can forget it.
 */
export async function applyTenantIsolation(client: pg.ClientBase): Promise<void> {
  await client.query(`
    DO $$ BEGIN
      CREATE ROLE ${APP_ROLE} NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
    END $$;
    DO $$ BEGIN
      IF NOT pg_has_role(current_user, '${APP_ROLE}', 'MEMBER') THEN
        EXECUTE format('GRANT ${APP_ROLE} TO %I', current_user);
      END IF;
    END $$;
    GRANT USAGE ON SCHEMA public TO ${APP_ROLE};
    GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${APP_ROLE};
    GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${APP_ROLE};
    GRANT USAGE ON SCHEMA plinth_migrations TO ${APP_ROLE};
    GRANT SELECT ON ALL TABLES IN SCHEMA plinth_migrations TO ${APP_ROLE};
  `);
  const { rows } = await client.query<{ table_name: string }>(
    `SELECT c.table_name FROM information_schema.columns c
       JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
      WHERE c.table_schema = 'public' AND c.column_name = 'tenant_id' AND t.table_type = 'BASE TABLE'
      ORDER BY c.table_name`,
  );
  for (const { table_name: table } of rows) {
    const name = `"${table.replaceAll('"', '""')}"`;
    await client.query(`
      ALTER TABLE ${name} ENABLE ROW LEVEL SECURITY;
      ALTER TABLE ${name} FORCE ROW LEVEL SECURITY;
      DROP POLICY IF EXISTS tenant_isolation ON ${name};
      CREATE POLICY tenant_isolation ON ${name} USING (${tenantMatches}) WITH CHECK (${tenantMatches});
    `);
  }
}
