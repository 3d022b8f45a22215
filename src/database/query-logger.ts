import { Logger as NestLogger } from '@nestjs/common';
import type { Logger } from 'typeorm';
import { lostToConcurrency, uniqueViolation } from './sql';

/** At most this much of a failed statement's SQL is logged (a batch insert is one very long statement). */
const LOGGED_SQL_CHARS = 2000;

/**
 * How loudly a failed statement is logged. A unique violation (23505), deadlock (40P01) or
 * serialization failure (40001) is a race the callers expect and handle (an import is retried or
 * its row updates the winner's entry; anywhere else it is a 409 CONCURRENT_WRITE), so it is
 * debug; anything else is an error worth a look.
 */
export function queryErrorLevel(error: unknown): 'debug' | 'error' {
  return uniqueViolation(error) !== undefined || lostToConcurrency(error) ? 'debug' : 'error';
}

/**
 * TypeORM's log, through the application's logger (so LOG_LEVEL applies). Failed statements are
 * logged, as with `logging: ['error']` before, but never with their parameter values: they are what
 * people wrote (names, e-mail addresses) and may be personal data. The SQL holds placeholders.
 */
export class QueryLogger implements Logger {
  private readonly logger = new NestLogger('Database');

  logQueryError(error: string | Error, query: string): void {
    const e = error as { code?: unknown; message?: unknown };
    const code = typeof e === 'object' && typeof e.code === 'string' ? ` (SQLSTATE ${e.code})` : '';
    const message = typeof error === 'string' ? error : String(e.message);
    const sql = query.length > LOGGED_SQL_CHARS ? `${query.slice(0, LOGGED_SQL_CHARS)}…` : query;
    this.logger[queryErrorLevel(error)](`query failed${code}: ${message} -- ${sql}`);
  }

  /**
   * TypeORM's own messages, debug: they were not logged before, and its one warning here is noise
   * (on PGlite, that the driver ignores parseInt8, which only pg reads).
   */
  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    this.logger.debug(`${level}: ${String(message)}`);
  }

  // Not logged, as before: every query, slow ones (no maxQueryExecutionTime is set), schema builds
  // and migrations (the database module says how many ran).
  logQuery(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
}
