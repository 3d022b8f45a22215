import { Client } from 'pg';

/** Name of the migrated template database that each test file clones on PostgreSQL. */
export function templateName(): string {
  return process.env.CATALOGUE_TEST_TEMPLATE ?? 'catalogue_test_template';
}

export function serverUrl(database: string): string {
  const url = new URL(process.env.DATABASE_URL!);
  url.pathname = `/${database}`;
  return url.toString();
}

export async function adminQuery(sql: string): Promise<void> {
  const client = new Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
