import { startTestApp, TestApp, databaseLabel } from './helpers/test-app';

describe(`migrations and entities agree (${databaseLabel})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t?.close());

  it('generating a migration from the entities yields nothing', async () => {
    const sql = await t.dataSource.driver.createSchemaBuilder().log();
    expect(sql.upQueries.map((q) => q.query)).toEqual([]);
  });

  it('every committed migration has run', async () => {
    expect(await t.dataSource.showMigrations()).toBe(false);
  });
});
