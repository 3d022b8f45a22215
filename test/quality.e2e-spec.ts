import { RECOMMENDED_FIELDS } from '../src/catalogue/quality';
import { QualityBackfillService } from '../src/catalogue/quality-backfill.service';
import { sqlRows } from '../src/database/sql';
import { startTestApp, TestApp, databaseLabel } from './helpers/test-app';
import { expectFieldError, expectProblem } from './problem-expect';

describe(`quality score (${databaseLabel})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ seed: true });
  });
  afterAll(async () => t?.close());

  it('scores a new entry by its kind\'s recommended fields and lists what is missing, and the score follows edits', async () => {
    const res = await t.http.post('/api/v1/datasets').set('authorization', t.admin).send({ name: 'Registre minimal', owner: 'MININT', themes: ['GOVE'] });
    expect(res.status).toBe(201);
    const total = RECOMMENDED_FIELDS.dataset.length;
    expect(res.body.quality).toEqual({ score: Math.round((100 * 2) / total), missing: RECOMMENDED_FIELDS.dataset.filter((f) => !['owner', 'themes'].includes(f)) });
    const patched = await t.http
      .patch(`/api/v1/datasets/${res.body.code}`)
      .set('authorization', t.admin)
      .set('if-match', '"1"')
      .send({ description: 'Tous les permis', licence: 'https://www.etalab.gouv.fr/licence-ouverte-open-licence', distributions: [{ title: 'API', accessUrl: 'https://api.example' }] });
    expect(patched.body.quality.score).toBe(Math.round((100 * 5) / total));
    expect(patched.body.quality.missing).not.toContain('distributions');
    expect(patched.body.quality.missing).toContain('dataElements');
  });

  it('shows the score to owners and coordinators, not to the public', async () => {
    const list = await t.http.get('/api/v1/eservices?limit=1');
    expect(list.body.items[0].quality).toBeUndefined();
    const code = list.body.items[0].code;
    expect((await t.http.get(`/api/v1/eservices/${code}`)).body.quality).toBeUndefined();
    const asCoordinator = await t.http.get(`/api/v1/eservices/${code}`).set('authorization', t.admin);
    expect(asCoordinator.body.quality).toEqual({ score: expect.any(Number), missing: expect.any(Array) });
  });

  it('filters lists by minQuality', async () => {
    const all = await t.http.get('/api/v1/systems?limit=100').set('authorization', t.admin);
    const good = await t.http.get('/api/v1/systems?limit=100&minQuality=80').set('authorization', t.admin);
    expect(good.body.total).toBeLessThan(all.body.total);
    expect(good.body.total).toBe(all.body.items.filter((s: any) => s.quality.score >= 80).length);
    expect(good.body.items.every((s: any) => s.quality.score >= 80)).toBe(true);
    expectFieldError(await t.http.get('/api/v1/systems?minQuality=101'), 'minQuality');
  });

  it('gives the review screen the score of entries in review, weakest first, with the documented recommended fields', async () => {
    const created = await t.http.post('/api/v1/systems').set('authorization', t.admin).send({ name: 'À relire', owner: 'MININT' });
    await t.http.post(`/api/v1/systems/${created.body.code}/lifecycle`).set('authorization', t.admin).set('if-match', '"1"').send({ status: 'in_review' });
    const res = await t.http.get('/api/v1/reports/quality?lifecycleStatus=in_review').set('authorization', t.admin);
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([expect.objectContaining({ code: created.body.code, kind: 'system', score: 10, missing: expect.arrayContaining(['description', 'interfaces']) })]);
    expect(res.body.total).toBe(1);
    expect(res.body.recommendedFields.system).toEqual([...RECOMMENDED_FIELDS.system]);
    const weakest = await t.http.get('/api/v1/reports/quality?limit=5').set('authorization', t.admin);
    const scores = weakest.body.items.map((i: any) => i.score);
    expect([...scores].sort((a, b) => a - b)).toEqual(scores);
    expectProblem(await t.http.get('/api/v1/reports/quality'), 401, 'UNAUTHENTICATED');
  });

  it('fills in the score of entries written before scores existed, without a new version', async () => {
    const before = (await t.http.get('/api/v1/datasets?limit=3').set('authorization', t.admin)).body.items;
    await sqlRows(t.dataSource, `UPDATE catalogue_entries SET quality_score = 0, quality_missing = '{}' WHERE kind = 'dataset'`);
    expect(await t.app.get(QualityBackfillService).backfill()).toBeGreaterThanOrEqual(before.length);
    const after = (await t.http.get('/api/v1/datasets?limit=3').set('authorization', t.admin)).body.items;
    expect(after.map((e: any) => [e.code, e.quality, e.version])).toEqual(before.map((e: any) => [e.code, e.quality, e.version]));
  });
});
