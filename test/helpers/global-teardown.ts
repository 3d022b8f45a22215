import { adminQuery } from './db-template';

export default async function globalTeardown(): Promise<void> {
  const template = process.env.CATALOGUE_TEST_TEMPLATE;
  if (!process.env.DATABASE_URL || !template) return;
  await adminQuery(`DROP DATABASE IF EXISTS "${template}" WITH (FORCE)`);
}
