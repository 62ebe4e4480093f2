export { createDatabase, type Database, type DatabaseOptions, type Db } from './client.ts';
export { withTx, type Tx } from './tx.ts';
export { prepared, statement, type PreparedQuery, type Statement } from './statement.ts';
export { recordsetOf, type Recordset } from './recordset.ts';
export { applyMigrations, pendingMigrationUnits, type MigrationUnit } from './migrate.ts';
export { startEmbeddedPostgres, type EmbeddedDatabase } from './embedded.ts';
export { DataFolderLockedError } from './cluster-lock.ts';
export { isUniqueViolation } from './errors.ts';
export { APP_ROLE, TENANT_SETTING } from './rls.ts';
