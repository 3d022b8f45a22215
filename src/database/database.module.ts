import { DynamicModule, Global, Injectable, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { dataSourceOptions, DataSourceTarget, isEmbedded, openDataSource } from './data-source';
import { DataDirInUseError, lockDataDir } from './data-dir-lock';

export const DATA_SOURCE_TARGET = Symbol('DATA_SOURCE_TARGET');

/** Releases the data-folder lock when the application stops (after TypeORM closed the database). */
@Injectable()
class DataDirLockHolder implements OnApplicationShutdown {
  release?: () => Promise<void>;
  async onApplicationShutdown() {
    await this.release?.().catch(() => undefined);
    this.release = undefined;
  }
}

/**
 * The database: PostgreSQL when DATABASE_URL is set, otherwise embedded PGlite under DATA_DIR (locked
 * to this process). Committed migrations run before the application accepts requests.
 */
@Global()
@Module({})
export class DatabaseModule {
  static forRoot(target: DataSourceTarget): DynamicModule {
    const lock = new DataDirLockHolder();
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          // A server may start before PostgreSQL does: retry then; never retry a locked embedded folder.
          useFactory: () => ({
            ...dataSourceOptions(target),
            retryAttempts: isEmbedded(target) ? 0 : 5,
            retryDelay: 2000,
            toRetry: (err: unknown) => !(err instanceof DataDirInUseError),
          }),
          dataSourceFactory: async () => {
            if (isEmbedded(target) && target.dataDir) lock.release = await lockDataDir(target.dataDir);
            const started = Date.now();
            const ds = await openDataSource(target);
            const ran = await ds.runMigrations({ transaction: 'each' });
            if (ran.length) new Logger('Database').log(`Ran ${ran.length} migration(s) in ${Date.now() - started} ms`);
            return ds;
          },
        }),
      ],
      providers: [{ provide: DATA_SOURCE_TARGET, useValue: target }, { provide: DataDirLockHolder, useValue: lock }],
      exports: [DATA_SOURCE_TARGET],
    };
  }
}

