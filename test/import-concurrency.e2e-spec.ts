import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { toProblem } from '../src/common/problem.filter';
import { startTestApp, TestApp, databaseLabel } from './helpers/test-app';

/**
 * Two imports at the same time whose files share match keys (found by a new-user check: on the
 * PostgreSQL server the second answered 500, a unique violation on the match key). Now a row that
 * lost the race updates the entry the other import created; both answer 200.
 */
describe(`concurrent imports with shared match keys (${databaseLabel})`, () => {
  let app: TestApp;
  let http: TestAgent;
  beforeAll(async () => {
    app = await startTestApp();
    await app.app.listen({ port: 0, host: '127.0.0.1' });
    http = request(await app.app.getUrl());
    expect((await http.post('/api/v1/organisations').set('authorization', app.admin).send({ code: 'AG001', name: 'Agency' })).status).toBe(201);
  });
  afterAll(async () => app?.close());

  const mapping = JSON.stringify({
    name: 'conc',
    tables: [{ name: 'apis', target: 'system', detect: ['api_name', 'agency_id'], match: ['owner', 'name'], fields: { name: { column: 'api_name', required: true }, owner: 'agency_id' } }],
  });
  const csv = (tag: string) => ['agency_id,api_name', ...Array.from({ length: 1200 }, (_, i) => `AG001,${i < 600 ? `Shared API ${i}` : `Own ${tag} API ${i}`}`)].join('\n');
  const post = (tag: string) =>
    http.post('/api/v1/imports').set('authorization', app.admin).field('mapping', mapping).field('publish', 'true').attach('file', Buffer.from(csv(tag)), `${tag}.csv`);

  it('both answer 200; the shared rows are created once and the other import reports them as existing', async () => {
    const results = await Promise.all([post('a'), post('b')]);
    expect(results.map((r) => r.status)).toEqual([200, 200]);
    const totals = results.map((r) => r.body.totals);
    for (const t of totals) {
      expect(t.failed).toBe(0);
      expect(t.rows).toBe(1200);
      expect(t.created + t.updated + t.unchanged).toBe(1200);
    }
    // 600 own rows each, and the 600 shared ones once.
    expect(totals[0].created + totals[1].created).toBe(1800);
    const stored = await app.dataSource.query(`SELECT count(*)::int AS n, count(DISTINCT source_key)::int AS keys FROM catalogue_entries`);
    expect(stored[0]).toEqual({ n: 1800, keys: 1800 });
  });

  it('a write that still loses a race is a 409 problem, never a 500', () => {
    const unique = Object.assign(new Error('duplicate key'), { driverError: { code: '23505', constraint: 'uq_entries_code' } });
    expect(toProblem(unique)).toMatchObject({ status: 409, code: 'CONCURRENT_WRITE' });
    expect(toProblem(unique).detail).toContain('uq_entries_code');
    const deadlock = Object.assign(new Error('deadlock detected'), { driverError: { code: '40P01' } });
    expect(toProblem(deadlock)).toMatchObject({ status: 409, code: 'CONCURRENT_WRITE' });
  });
});
