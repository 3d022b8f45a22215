import { GIN_PENDING_LIST_KB, SEARCHED_GIN_INDEXES } from '../migrations/1796480000000-BoundedGinPendingLists';
import { SESSION_SETTINGS } from '../src/database/data-source';
import { sqlRows } from '../src/database/sql';
import { databaseLabel, startTestApp, TestApp } from './helpers/test-app';

describe(`database sessions (${databaseLabel})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t?.close());

  it('run with the session settings (work_mem for broad searches) on every pooled connection', async () => {
    expect(SESSION_SETTINGS.work_mem).toBe('16MB');
    // Several at once, so that more than one pooled connection answers on the server.
    const answers = await Promise.all(Array.from({ length: 4 }, () => sqlRows<{ work_mem: string }>(t.dataSource, `SELECT current_setting('work_mem') AS work_mem, pg_sleep(0.05)`)));
    for (const rows of answers) expect(rows[0].work_mem).toBe('16MB');
  });

  it('keep every GIN index (full text, trigrams, tags) to a pending list of 512 kB, which every scan reads', async () => {
    const indexes = await sqlRows<{ name: string; options: string[] | null }>(
      t.dataSource,
      `SELECT c.relname AS name, c.reloptions AS options
         FROM pg_class c JOIN pg_am a ON a.oid = c.relam JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE a.amname = 'gin' AND n.nspname = current_schema() ORDER BY c.relname`,
    );
    expect(indexes.map((i) => i.name)).toEqual([...SEARCHED_GIN_INDEXES].sort());
    for (const i of indexes) expect({ name: i.name, options: i.options }).toEqual({ name: i.name, options: [`gin_pending_list_limit=${GIN_PENDING_LIST_KB}`] });
  });
});
