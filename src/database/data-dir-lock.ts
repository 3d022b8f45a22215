import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import * as lockfile from 'proper-lockfile';

export class DataDirInUseError extends Error {}

/**
 * PGlite does not stop a second process from opening the same data folder (which corrupts it), so the
 * embedded database takes a lock file first. The lock is refreshed while the process runs; a lock not
 * refreshed for 10 s (a crashed process) is stale and taken over.
 */
export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  mkdirSync(dataDir, { recursive: true });
  try {
    return await lockfile.lock(dataDir, {
      lockfilePath: join(dataDir, 'catalogue.lock'),
      stale: 10_000,
      update: 2_000,
      retries: 0,
      realpath: false,
      onCompromised: (err) => {
        // Another process took the folder (we were suspended past the stale time): stop before corrupting it.
        console.error(`The lock on ${dataDir} was lost: ${err.message}. Stopping to protect the database.`);
        process.exit(70);
      },
    });
  } catch (err) {
    if ((err as { code?: string }).code === 'ELOCKED') {
      throw new DataDirInUseError(
        `The embedded database in ${dataDir} is in use by another process (a running server or CLI command). ` +
          'Stop it first, use the HTTP API instead, or set DATABASE_URL to use a PostgreSQL server.',
      );
    }
    throw err;
  }
}
