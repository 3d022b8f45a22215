import { DataSource, EntityManager } from 'typeorm';

/** Anything SQL can run on: the data source, or a transaction's manager. */
export type Db = DataSource | EntityManager;

/**
 * Runs SQL and returns its rows, the same way on pg and PGlite. (TypeORM's plain `query` returns
 * `[rows, count]` for UPDATE/DELETE on pg but bare rows on PGlite, whose results carry no command.)
 * Inside a transaction, pass the transaction's manager so the statement runs in it.
 */
export async function sqlRows<T = Record<string, unknown>>(db: Db, sql: string, params: unknown[] = []): Promise<T[]> {
  const existing = db instanceof EntityManager ? db.queryRunner : undefined;
  const runner = existing ?? (db instanceof EntityManager ? db.connection : db).createQueryRunner();
  try {
    const result = await runner.query(sql, params, true);
    return (result.records ?? []) as T[];
  } finally {
    if (!existing) await runner.release();
  }
}

export async function sqlOne<T = Record<string, unknown>>(db: Db, sql: string, params: unknown[] = []): Promise<T | undefined> {
  return (await sqlRows<T>(db, sql, params))[0];
}

/**
 * The constraint a statement broke as a unique violation (SQLSTATE 23505), or undefined. Two
 * transactions racing to create the same thing (two imports of overlapping files) end here: the
 * second waits for the first to commit, then fails on the unique index.
 */
export function uniqueViolation(err: unknown): string | undefined {
  const e = databaseError(err);
  return e?.code === '23505' ? (e.constraint ?? '') : undefined;
}

/** True when the database stopped a transaction because of a concurrent one (deadlock, serialization failure). */
export function lostToConcurrency(err: unknown): boolean {
  const code = databaseError(err)?.code;
  return code === '40P01' || code === '40001';
}

/** The database's error: the driver's (TypeORM wraps it as `driverError`) or the error itself. */
function databaseError(err: unknown): { code?: string; constraint?: string } | undefined {
  const e = err as { driverError?: { code?: string; constraint?: string }; code?: string; constraint?: string } | undefined;
  return e?.driverError ?? e;
}

/**
 * Runs `work` (a whole transaction that is safe to run again, such as an import) again, up to
 * `attempts` times in all after a growing random pause, when it lost to a concurrent transaction:
 * the database stopped it (two imports waiting on each other's new rows deadlock; one is stopped, the
 * other finishes), or it wrote a unique key that a concurrent one had just committed. The next run
 * finds the other's rows committed and matches them.
 */
export async function retryWhenLostToConcurrency<T>(work: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (err) {
      if (attempt >= attempts || !(lostToConcurrency(err) || uniqueViolation(err) !== undefined)) throw err;
      await new Promise((resolve) => setTimeout(resolve, 100 + Math.random() * 400 * attempt));
    }
  }
}
