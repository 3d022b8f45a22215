import type TestAgent from 'supertest/lib/agent';
import { toProblem } from '../src/common/problem.filter';
import { startTestApp, TestApp, databaseLabel } from './helpers/test-app';

/**
 * Imports at the same time (found by new-user checks on the PostgreSQL server):
 * - files sharing match keys: the second answered 500 (a unique violation on the match key); now a row
 *   that lost the race updates the entry the other import created;
 * - rows in another order, or different rows bringing the same new vocabulary words in another order:
 *   one answered 409 (a deadlock on search_words); now a deadlocked import is rolled back and run again;
 * - the same new organisations: one row failed "code … is taken"; now the organisation is matched.
 */
describe(`concurrent imports with shared match keys (${databaseLabel})`, () => {
  let app: TestApp;
  let http: TestAgent;
  beforeAll(async () => {
    app = await startTestApp({ listen: true });
    http = app.http;
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

  // Rows in another order, shared new vocabulary words, shared new organisations.
  const namedMapping = (name: string) =>
    JSON.stringify({
      name,
      tables: [{ name: 'apis', target: 'system', detect: ['api_name', 'agency_id'], match: ['owner', 'name'], fields: { name: { column: 'api_name', required: true }, owner: 'agency_id', tags: { column: 'kw', transform: 'list' } } }],
    });
  const postLines = (name: string, lines: string[], file: string) =>
    http
      .post('/api/v1/imports')
      .set('authorization', app.admin)
      .field('mapping', namedMapping(name))
      .field('publish', 'true')
      .attach('file', Buffer.from(['agency_id,api_name,kw', ...lines].join('\n')), file);

  it('same 1200 rows (3 chunks), one file in reverse order: both 200, 1200 entries', async () => {
    const rows = Array.from({ length: 1200 }, (_, i) => `AG001,Reverse API ${i},zqword${i}x`);
    const results = await Promise.all([postLines('rev', rows, 'a.csv'), postLines('rev', [...rows].reverse(), 'b.csv')]);
    expect(results.map((r) => [r.status, r.body.code])).toEqual([
      [200, undefined],
      [200, undefined],
    ]);
    const stored = await app.dataSource.query(`SELECT count(*)::int AS n FROM catalogue_entries WHERE source_key LIKE 'rev:%'`);
    expect(stored[0].n).toBe(1200);
  });

  it('different rows sharing 300 new words in opposite order: both 200', async () => {
    const words = Array.from({ length: 300 }, (_, i) => `qvocab${i}y`);
    const results = await Promise.all([
      postLines('vocab', words.map((w) => `AG001,Left ${w},${w}`), 'l.csv'),
      postLines('vocab', [...words].reverse().map((w) => `AG001,Right ${w},${w}`), 'r.csv'),
    ]);
    expect(results.map((r) => [r.status, r.body.code])).toEqual([
      [200, undefined],
      [200, undefined],
    ]);
  });
  it('two imports creating the same new organisations: no row fails (the loser finds them existing)', async () => {
    const orgMapping = JSON.stringify({
      name: 'orgs',
      tables: [
        { name: 'agencies', target: 'organisation', detect: ['agency_id', 'agency_name'], match: ['code'], fields: { code: { column: 'agency_id', required: true }, name: 'agency_name' } },
        { name: 'apis', target: 'system', detect: ['api_name', 'agency_id'], match: ['owner', 'name'], fields: { name: { column: 'api_name', required: true }, owner: 'agency_id' } },
      ],
    });
    const orgs = ['agency_id,agency_name', ...Array.from({ length: 50 }, (_, i) => `NEW${i},Agency ${i}`)].join('\n');
    const apis = ['agency_id,api_name', ...Array.from({ length: 200 }, (_, i) => `NEW${i % 50},Org API ${i}`)].join('\n');
    const one = () =>
      http.post('/api/v1/imports').set('authorization', app.admin).field('mapping', orgMapping).field('publish', 'true')
        .attach('file', Buffer.from(orgs), 'orgs.csv').attach('file', Buffer.from(apis), 'apis.csv');
    const results = await Promise.all([one(), one()]);
    expect(results.map((r) => r.status)).toEqual([200, 200]);
    expect(results.map((r) => r.body.issues.filter((i: { status: string }) => i.status === 'failed'))).toEqual([[], []]);
  });

  it('two imports changing the same existing rows: one updates them, the other waits and finds them unchanged; no row fails', async () => {
    // Found by a new-user check: the second import's rows failed "The resource changed: you sent
    // version 34, it is now at version 35" (it had read the entries before the first committed).
    const described = JSON.stringify({
      name: 'same-rows',
      tables: [{ name: 'apis', target: 'system', detect: ['api_name', 'agency_id', 'about'], match: ['owner', 'name'], fields: { name: { column: 'api_name', required: true }, owner: 'agency_id', description: 'about' } }],
    });
    const file = (about: string) => ['agency_id,api_name,about', ...Array.from({ length: 700 }, (_, i) => `AG001,Same rows API ${i},${about} ${i}`)].join('\n');
    const post = (about: string) =>
      http.post('/api/v1/imports').set('authorization', app.admin).field('mapping', described).field('publish', 'true').attach('file', Buffer.from(file(about)), 'same.csv');
    expect((await post('First text')).body.totals).toMatchObject({ created: 700, failed: 0 });
    const results = await Promise.all([post('Second text'), post('Second text')]);
    expect(results.map((r) => r.status)).toEqual([200, 200]);
    const totals = results.map((r) => r.body.totals);
    expect(totals.map((t) => t.failed)).toEqual([0, 0]);
    expect(totals.map((t) => t.updated).sort()).toEqual([0, 700]);
    expect(totals.map((t) => t.unchanged).sort()).toEqual([0, 700]);
    const stored = await app.dataSource.query(`SELECT count(*)::int AS n, max(version)::int AS v FROM catalogue_entries WHERE source_key LIKE 'same-rows:%' AND description LIKE 'Second text %'`);
    expect(stored[0]).toEqual({ n: 700, v: 2 });
  });
});
