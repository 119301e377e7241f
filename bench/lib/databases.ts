/** The PostgreSQL databases a benchmark run creates (`<prefix>_<service>`), dropped when it ends. */
import pg from 'pg';

/** `DATABASE_URL` with its database replaced by `name`. */
export const databaseUrlFor = (url: string, name: string): string => url.replace(/\/[^/]*$/, `/${name}`);

export async function dropDatabases(prefix: string, url = process.env['DATABASE_URL']): Promise<void> {
  if (!url) return;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>('select datname from pg_database where datname like $1', [`${prefix}%`]);
    for (const { datname } of rows) await client.query(`drop database if exists "${datname}" with (force)`);
  } finally {
    await client.end();
  }
}
