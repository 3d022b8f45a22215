import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { openDataSource } from './data-source';
import { queryErrorLevel } from './query-logger';

describe('failed statements in the log', () => {
  it.each([
    ['a unique violation', { code: '23505', constraint: 'uq_entries_source_key' }],
    ['a deadlock', { code: '40P01' }],
    ['a serialization failure', { code: '40001' }],
    ['a unique violation wrapped by TypeORM', { driverError: { code: '23505' } }],
  ])('%s, which the callers handle, is debug', (_, error) => {
    expect(queryErrorLevel(error)).toBe('debug');
  });

  it.each([
    ['an undefined table', { code: '42P01' }],
    ['a check violation', { code: '23514' }],
    ['an error without a SQLSTATE', new Error('connection terminated')],
  ])('%s is an error', (_, error) => {
    expect(queryErrorLevel(error)).toBe('error');
  });

  describe(`on the ${process.env.DATABASE_URL ? 'PostgreSQL server' : 'embedded PGlite'}`, () => {
    let dataSource: DataSource;
    const error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const debug = jest.spyOn(Logger.prototype, 'debug').mockImplementation(() => undefined);
    const email = 'awa.diallo@example.org';
    beforeAll(async () => {
      dataSource = await openDataSource(process.env.DATABASE_URL ? { databaseUrl: process.env.DATABASE_URL } : {});
    });
    afterAll(async () => {
      await dataSource?.destroy();
      jest.restoreAllMocks();
    });
    beforeEach(() => jest.clearAllMocks());

    // One session: the probe table is temporary.
    const inOneSession = async (work: (query: (sql: string, params?: unknown[]) => Promise<unknown>) => Promise<void>) => {
      const runner = dataSource.createQueryRunner();
      try {
        await work((sql, params) => runner.query(sql, params));
      } finally {
        await runner.release();
      }
    };

    it('logs a lost race at debug level, without the parameter values', async () => {
      await inOneSession(async (query) => {
        await query('CREATE TEMP TABLE probe (email text UNIQUE)');
        await query('INSERT INTO probe (email) VALUES ($1)', [email]);
        await expect(query('INSERT INTO probe (email) VALUES ($1)', [email])).rejects.toThrow(/duplicate key/);
      });
      expect(error).not.toHaveBeenCalled();
      expect(debug).toHaveBeenCalledTimes(1);
      expect(debug.mock.calls[0][0]).toMatch(/^query failed \(SQLSTATE 23505\): duplicate key .* -- INSERT INTO probe \(email\) VALUES \(\$1\)$/);
      expect(JSON.stringify(debug.mock.calls)).not.toContain(email);
    });

    it('logs an unexpected failure at error level, with its SQL and without the parameter values', async () => {
      await inOneSession(async (query) => {
        await expect(query('SELECT * FROM no_such_table WHERE email = $1', [email])).rejects.toThrow(/no_such_table/);
      });
      expect(debug).not.toHaveBeenCalled();
      expect(error).toHaveBeenCalledTimes(1);
      expect(error.mock.calls[0][0]).toMatch(/^query failed \(SQLSTATE 42P01\): .*no_such_table.* -- SELECT \* FROM no_such_table WHERE email = \$1$/);
      expect(JSON.stringify(error.mock.calls)).not.toContain(email);
    });
  });
});
