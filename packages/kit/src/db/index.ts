export type { Database, Db, QueryResultHKT, Queryable, Tx } from './database.ts';
export { openDatabase, openSharedPglite, type OpenDatabaseOptions, type SharedPglite } from './open-database.ts';
export { migrate, type MigrationSource } from './migrate.ts';
