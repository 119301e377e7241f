export type { Database, Db, QueryResultHKT, Queryable, Tx } from './database.ts';
export { openDatabase, type OpenDatabaseOptions } from './open-database.ts';
export { migrate, type MigrationSource } from './migrate.ts';
