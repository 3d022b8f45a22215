import { RelationEntity } from '../catalogue/relation.entity';
import { mkdirSync } from 'node:fs';
import { DataSource, DataSourceOptions } from 'typeorm';
import { PGliteDriver } from 'typeorm-pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { fuzzystrmatch } from '@electric-sql/pglite/contrib/fuzzystrmatch';
import type { AppConfig } from '../config/app-config';
import { ApiKeyEntity } from '../auth/api-key.entity';
import { CatalogueEntryEntity } from '../catalogue/entry.entity';
import { RevisionEntity } from '../catalogue/revision.entity';
import { ReviewDecisionEntity, ReviewEntity, TransferEntity } from '../catalogue/workflow.entity';
import { MembershipEntity, UserEntity } from '../auth/user.entity';
import { OrganisationEntity } from '../organisations/organisation.entity';
import { QueryLogger } from './query-logger';
import { serialiseQueryRunners } from './pglite-serial';
import { MIGRATIONS } from '../../migrations';

export const ENTITIES = [OrganisationEntity, CatalogueEntryEntity, RevisionEntity, RelationEntity, ApiKeyEntity, UserEntity, MembershipEntity, TransferEntity, ReviewEntity, ReviewDecisionEntity];

export interface DataSourceTarget {
  databaseUrl?: string;
  /** For the embedded database: a folder, or undefined for an in-memory database (tests). */
  dataDir?: string;
  /** For the embedded database: start from this dump of a data folder (test templates). */
  loadDataDir?: Blob;
}

/**
 * Settings of every database session. work_mem: a broad search keeps its matches (about 200 bytes
 * each) in memory for ranking and facets; at PostgreSQL's default of 4 MB, 16,000 matches spill to
 * a temporary file and the query is a fifth slower.
 */
export const SESSION_SETTINGS = { work_mem: '16MB' } as const;

/** SESSION_SETTINGS as a libpq `options` value (`-c work_mem=16MB`). */
export function sessionOptions(): string {
  return Object.entries(SESSION_SETTINGS).map(([k, v]) => `-c ${k}=${v}`).join(' ');
}

export function isEmbedded(target: DataSourceTarget): boolean {
  return !target.databaseUrl;
}

export function dataSourceOptions(target: DataSourceTarget): DataSourceOptions {
  const common = {
    type: 'postgres' as const,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each' as const,
    synchronize: false,
    uuidExtension: 'pgcrypto' as const,
    installExtensions: false,
    parseInt8: true,
    // Failed statements only, without their parameters; expected races at debug (query-logger.ts).
    logger: new QueryLogger(),
  };
  if (target.databaseUrl) {
    // Server sessions get SESSION_SETTINGS unless the URL sets its own `options`.
    const ownOptions = URL.canParse(target.databaseUrl) && new URL(target.databaseUrl).searchParams.has('options');
    const options = ownOptions ? {} : { options: sessionOptions() };
    return { ...common, url: target.databaseUrl, extra: { max: 10, application_name: 'interop-catalogue', ...options } };
  }
  if (target.dataDir) mkdirSync(target.dataDir, { recursive: true });
  const driver = new PGliteDriver({
    dataDir: target.dataDir,
    loadDataDir: target.loadDataDir,
    extensions: { unaccent, pg_trgm, fuzzystrmatch },
  }).driver;
  return { ...common, driver };
}

/** Creates and initialises a data source; on PGlite, queries and transactions are serialised. */
export async function openDataSource(target: DataSourceTarget): Promise<DataSource> {
  const dataSource = new DataSource(dataSourceOptions(target));
  if (isEmbedded(target)) serialiseQueryRunners(dataSource);
  await dataSource.initialize();
  if (isEmbedded(target)) for (const [k, v] of Object.entries(SESSION_SETTINGS)) await dataSource.query(`SET ${k} = '${v}'`);
  return dataSource;
}

export function targetFromConfig(config: AppConfig): DataSourceTarget {
  return config.databaseUrl ? { databaseUrl: config.databaseUrl } : { dataDir: config.dataDir };
}
