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
});
