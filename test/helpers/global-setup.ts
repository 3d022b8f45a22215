import { openDataSource } from '../../src/database/data-source';
import { adminQuery, serverUrl, templateName } from './db-template';

/**
 * With DATABASE_URL: migrate a template database once; every test file clones it (CREATE DATABASE ...
 * TEMPLATE), so files never share data. Without it, each file opens its own in-memory PGlite.
 */
export default async function globalSetup(): Promise<void> {
  if (!process.env.DATABASE_URL) return;
  const template = `${templateName()}_${process.pid}`;
  process.env.CATALOGUE_TEST_TEMPLATE = template;
  await adminQuery(`DROP DATABASE IF EXISTS "${template}"`);
  await adminQuery(`CREATE DATABASE "${template}"`);
  const ds = await openDataSource({ databaseUrl: serverUrl(template) });
  await ds.runMigrations({ transaction: 'each' });
  await ds.destroy();
}
