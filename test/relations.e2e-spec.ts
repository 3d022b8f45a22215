import { startTestApp, TestApp, databaseLabel } from './helpers/test-app';
import { demoCodes, pathOf } from './helpers/demo';
import { expectFieldError, expectProblem } from './problem-expect';

describe(`relations (${databaseLabel})`, () => {
  let t: TestApp;
  const { demo, code } = demoCodes();
  beforeAll(async () => {
    t = await startTestApp({ seed: true });
  });
  afterAll(async () => t?.close());

  const post = (ref: string, body: object, auth = true) => {
    const req = t.http.post(`${pathOf(ref)}/relations`);
    if (auth) req.set('authorization', t.admin);
    return req.send(body);
  };

  it('loads every demo relation and shows each on both entries, with the inverse name on the target', async () => {
    const rnppSystem = await t.http.get(`${pathOf(code('sys-rnpp'))}/relations`);
    expect(rnppSystem.status).toBe(200);
    const hosts = rnppSystem.body.items.find((r: { type: string }) => r.type === 'hosts');
    expect(hosts).toMatchObject({ direction: 'outgoing', entry: { code: code('ds-rnpp'), kind: 'dataset' } });
    const register = await t.http.get(`${pathOf(code('ds-rnpp'))}/relations`);
    expect(register.body.items).toEqual(
      expect.arrayContaining([expect.objectContaining({ type: 'hostedBy', direction: 'incoming', entry: expect.objectContaining({ code: code('sys-rnpp') }) })]),
    );
    // Every demo relation is there once.
    let total = 0;
    for (const list of [demo.systems, demo.datasets, demo.eservices]) {
      for (const e of list) {
        const res = await t.http.get(`${pathOf(code(e.key))}/relations`);
        total += res.body.items.filter((r: { direction: string }) => r.direction === 'outgoing').length;
      }
    }
    expect(total).toBe(demo.relations.length);
  });

  it('creates a relation from either side (inverse names flip it), refuses duplicates, and removes it', async () => {
    const sys = code('sys-etax');
    const ds = code('ds-rccm');
    const created = await post(ds, { type: 'usedBy', entry: sys, note: 'lookup of <b>companies</b>' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ type: 'usedBy', direction: 'incoming', relation: 'uses', source: { code: sys }, target: { code: ds }, note: 'lookup of <b>companies</b>' });
    const fromSystem = await t.http.get(`${pathOf(sys)}/relations`);
    expect(fromSystem.body.items).toEqual(expect.arrayContaining([expect.objectContaining({ id: created.body.id, type: 'uses', direction: 'outgoing' })]));
    expectProblem(await post(sys, { type: 'uses', entry: ds }), 409, 'RELATION_EXISTS');
    const del = await t.http.delete(`${pathOf(sys)}/relations/${created.body.id}`).set('authorization', t.admin);
    expect(del.status).toBe(204);
    const after = await t.http.get(`${pathOf(ds)}/relations`);
    expect(after.body.items.map((r: { id: string }) => r.id)).not.toContain(created.body.id);
    expectProblem(await t.http.delete(`${pathOf(sys)}/relations/${created.body.id}`).set('authorization', t.admin), 404, 'RELATION_NOT_FOUND');
  });

  it('refuses kind pairs the relation type does not link with 400', async () => {
    const res = await post(code('ps-acte-naissance'), { type: 'hosts', entry: code('ds-rnpp') });
    expectProblem(res, 400, 'RELATION_KINDS_INVALID');
    expect(res.body.detail).toMatch(/^A \S+ cannot be linked to a dataset by hosts: hosts links /); // was "cannot hosts a dataset"
    expectProblem(await post(code('ds-rnpp'), { type: 'dependsOn', entry: code('ds-etat-civil') }), 400, 'RELATION_KINDS_INVALID');
    expectProblem(await post(code('sys-rnpp'), { type: 'partOf', entry: code('sys-rnpp') }), 400, 'RELATION_TO_ITSELF');
    expectFieldError(await post(code('sys-rnpp'), { type: 'likes', entry: code('sys-cip') }), 'type');
    // realises points at a reusable solution only.
    expectProblem(await post(code('sys-rnpp'), { type: 'realises', entry: code('sys-cip') }), 400, 'RELATION_TARGET_NOT_REUSABLE');
    expect((await post(code('sys-rnpp'), { type: 'realises', entry: code('sys-esign') })).status).toBe(201);
    expectFieldError(await post(code('sys-rnpp'), { type: 'dependsOn', entry: 'IS99999' }), 'entry');
  });

  it('checks that the interface used belongs to one of the two entries', async () => {
    const sys = await t.http.get(pathOf(code('sys-rnpp')));
    const iface = sys.body.interfaces?.[0];
    expect(iface?.id).toBeDefined();
    const ok = await post(code('sys-rnpp'), { type: 'uses', entry: code('ds-rccm'), interfaceId: iface.id });
    expect(ok.status).toBe(201);
    expect(ok.body.interface).toEqual({ id: iface.id, name: iface.name });
    expectFieldError(await post(code('sys-rnpp'), { type: 'uses', entry: code('ds-cip'), interfaceId: '00000000-0000-4000-8000-000000000000' }), 'interfaceId');
  });

  it('publishes the relation vocabulary', async () => {
    const res = await t.http.get('/api/v1/relation-types');
    expect(res.status).toBe(200);
    expect(res.body.map((r: { type: string; inverse: string }) => `${r.type}/${r.inverse}`)).toEqual([
      'provides/providedBy', 'uses/usedBy', 'hosts/hostedBy', 'dependsOn/dependencyOf', 'partOf/hasPart', 'realises/realisedBy',
    ]);
  });

  it('needs credentials to write', async () => {
    expectProblem(await post(code('sys-rnpp'), { type: 'uses', entry: code('ds-cip') }, false), 401, 'UNAUTHENTICATED');
  });

  it('never lists nor counts a relation to a draft for anonymous callers; the draft itself answers 404', async () => {
    const draft = await t.http.post('/api/v1/systems').set('authorization', t.admin).send({ name: 'Brouillon secret', owner: 'MININT' });
    expect(draft.status).toBe(201);
    expect((await post(draft.body.code, { type: 'dependsOn', entry: code('sys-rnpp') })).status).toBe(201);
    const anon = await t.http.get(`${pathOf(code('sys-rnpp'))}/relations`);
    const admin = await t.http.get(`${pathOf(code('sys-rnpp'))}/relations`).set('authorization', t.admin);
    expect(admin.body.items.map((r: { entry: { code: string } }) => r.entry.code)).toContain(draft.body.code);
    expect(anon.body.items.map((r: { entry: { code: string } }) => r.entry.code)).not.toContain(draft.body.code);
    expect(anon.body.total).toBe(admin.body.total - 1);
    expectProblem(await t.http.get(`${pathOf(draft.body.code)}/relations`), 404, 'SYSTEM_NOT_FOUND');
  });

  it('removes the relations of a deleted draft', async () => {
    const draft = await t.http.post('/api/v1/datasets').set('authorization', t.admin).send({ name: 'Registre temporaire' });
    expect((await post(code('sys-rnpp'), { type: 'hosts', entry: draft.body.code })).status).toBe(201);
    expect((await t.http.delete(pathOf(draft.body.code)).set('authorization', t.admin).set('if-match', '"1"')).status).toBe(204);
    const list = await t.http.get(`${pathOf(code('sys-rnpp'))}/relations`).set('authorization', t.admin);
    expect(list.body.items.map((r: { entry: { code: string } }) => r.entry.code)).not.toContain(draft.body.code);
  });
});
