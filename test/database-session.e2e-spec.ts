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
});
