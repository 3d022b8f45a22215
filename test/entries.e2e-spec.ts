import { startTestApp, TestApp, databaseLabel } from './helpers/test-app';

describe(`entries (${databaseLabel})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t?.close());

  it('creates a system and reads it back by code and uuid', async () => {
    const org = await t.http.post('/api/v1/organisations').set('authorization', t.admin).send({ name: 'Agence des données' });
    expect(org.status).toBe(201);
    expect(org.body.code).toMatch(/^IN\d{5}$/);
    const res = await t.http
      .post('/api/v1/systems')
      .set('authorization', t.admin)
      .send({ name: 'Système de gestion', owner: org.body.code, interfaces: [{ name: 'API', type: 'REST', baseUrl: 'https://api.example.org/v1' }] });
    expect(res.status).toBe(201);
    expect(res.body.code).toBe('IS00001');
    expect(res.headers.location).toBe('/api/v1/systems/IS00001');
    expect(res.headers.etag).toBe('"1"');
    expect(res.body.interfaces[0].id).toMatch(/^[0-9a-f-]{36}$/);
    const byUuid = await t.http.get(`/api/v1/systems/${res.body.id}`).set('authorization', t.admin);
    expect(byUuid.status).toBe(200);
    expect(byUuid.body.code).toBe('IS00001');
  });

  it('keeps item ids unique in the catalogue: an id copied from another entry, or repeated, is replaced; an entry keeps its own', async () => {
    const org = (await t.http.post('/api/v1/organisations').set('authorization', t.admin).send({ code: 'IDS', name: 'Agence des identifiants' })).body.code;
    const first = await t.http
      .post('/api/v1/systems')
      .set('authorization', t.admin)
      .send({ name: 'Système source', owner: org, interfaces: [{ name: 'API A', type: 'REST' }, { name: 'API B', type: 'SOAP' }] });
    const [a, b] = first.body.interfaces.map((i: { id: string }) => i.id);
    // A second entry that copies the first one's interface ids gets ids of its own.
    const copy = await t.http
      .post('/api/v1/systems')
      .set('authorization', t.admin)
      .send({ name: 'Système copieur', owner: org, interfaces: [{ id: a, name: 'API A', type: 'REST' }, { id: a, name: 'API A bis', type: 'REST' }] });
    expect(copy.status).toBe(201);
    const copied = copy.body.interfaces.map((i: { id: string }) => i.id);
    expect(copied).not.toContain(a);
    expect(new Set(copied).size).toBe(2);
    // A PATCH that keeps the stored ids keeps them; a repeated or foreign id on a new item is replaced.
    const patched = await t.http
      .patch(`/api/v1/systems/${first.body.code}`)
      .set('authorization', t.admin)
      .set('if-match', first.headers.etag)
      .send({ interfaces: [...first.body.interfaces, { id: b, name: 'API C', type: 'REST' }, { id: copied[0], name: 'API D', type: 'REST' }] });
    expect(patched.status).toBe(200);
    const ids = patched.body.interfaces.map((i: { id: string }) => i.id);
    expect(ids.slice(0, 2)).toEqual([a, b]);
    expect(new Set(ids).size).toBe(4);
    expect(ids).not.toContain(copied[0]);
  });
});
