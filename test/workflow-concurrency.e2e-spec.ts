import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { Actors, startOidc, TestOidc, TestUser } from './helpers/identity';
import { databaseLabel, startTestApp, TestApp } from './helpers/test-app';

describe(`concurrent state changes (${databaseLabel})`, () => {
  let oidc: TestOidc;
  let t: TestApp;
  let editor: TestUser;
  let receiver: TestUser;
  let coordinator: TestUser;
  beforeAll(async () => {
    oidc = await startOidc();
    t = await startTestApp({ env: oidc.env });
    // Listen once: supertest would otherwise start the server per request, which concurrent requests trip over.
    await t.app.listen(0, '127.0.0.1');
    t.http = request(`http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`);
    const actors = new Actors(t, oidc);
    await actors.org('CONA');
    await actors.org('CONB');
    editor = await actors.user('editor', { orgs: { CONA: 'editor' } });
    receiver = await actors.user('receiver', { orgs: { CONB: 'admin' } });
    coordinator = await actors.user('coordinator', { globalRole: 'coordinator' });
  });
  afterAll(async () => {
    await t?.close();
    await oidc?.close();
  });

  const draft = async (name: string) => {
    const res = await t.http.post('/api/v1/systems').set('authorization', editor.auth).send({ name, owner: 'CONA' });
    expect(res.status).toBe(201);
    return { code: res.body.code as string, etag: res.headers.etag as string };
  };
  const statuses = (rs: { status: number }[]) => rs.map((r) => r.status).sort();

  it('20 concurrent PATCHes with the same If-Match: exactly one succeeds, the others get 412, and the history shows one change', async () => {
    const e = await draft('Contended system');
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => t.http.patch(`/api/v1/systems/${e.code}`).set('authorization', editor.auth).set('if-match', e.etag).send({ description: `writer ${i}` })),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 412)).toHaveLength(19);
    for (const r of results.filter((x) => x.status === 412)) expect(r.body.code).toBe('VERSION_MISMATCH');
    const winner = results.find((r) => r.status === 200)!;
    const got = await t.http.get(`/api/v1/systems/${e.code}`).set('authorization', editor.auth);
    expect(got.body.version).toBe(2);
    expect(got.body.description).toBe(winner.body.description);
    const history = await t.http.get(`/api/v1/systems/${e.code}/history`).set('authorization', editor.auth);
    expect(history.body.items.map((i: { action: string }) => i.action)).toEqual(['update', 'create']);
  });

  it('10 concurrent submits with the same If-Match: one succeeds, the other 9 get 412 (not 409 for the state the winner made)', async () => {
    const e = await draft('Submitted ten times');
    const results = await Promise.all(
      Array.from({ length: 10 }, () => t.http.post(`/api/v1/systems/${e.code}/transitions/submit`).set('authorization', editor.auth).set('if-match', e.etag).send({})),
    );
    expect(statuses(results)).toEqual([200, ...Array(9).fill(412)]);
    for (const r of results.filter((x) => x.status === 412)) expect(r.body.code).toBe('VERSION_MISMATCH');
    const got = await t.http.get(`/api/v1/systems/${e.code}`).set('authorization', editor.auth);
    expect(got.body).toMatchObject({ lifecycleStatus: 'in_review', version: 2 });
    const reviews = await t.http.get('/api/v1/reviews').set('authorization', coordinator.auth);
    expect(reviews.body.items.filter((r: { entry: { code: string } }) => r.entry.code === e.code)).toHaveLength(1);
  });

  it('two concurrent acceptances of one transfer: one succeeds', async () => {
    const e = await draft('Handed over');
    const requested = await t.http.post(`/api/v1/systems/${e.code}/transfer`).set('authorization', editor.auth).set('if-match', e.etag).send({ to: 'CONB' });
    expect(requested.status).toBe(201);
    const tag = (await t.http.get(`/api/v1/systems/${e.code}`).set('authorization', receiver.auth)).headers.etag as string;
    const results = await Promise.all([
      t.http.post(`/api/v1/systems/${e.code}/transfer/accept`).set('authorization', receiver.auth).set('if-match', tag).send({}),
      t.http.post(`/api/v1/systems/${e.code}/transfer/accept`).set('authorization', coordinator.auth).set('if-match', tag).send({}),
    ]);
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 412 || r.status === 409)).toHaveLength(1);
    const history = await t.http.get(`/api/v1/systems/${e.code}/history`).set('authorization', coordinator.auth);
    expect(history.body.items.filter((i: { action: string }) => i.action === 'transfer_accepted')).toHaveLength(1);
  });

  it('a transition and a transfer racing on the same version: one succeeds', async () => {
    const e = await draft('Raced');
    const results = await Promise.all([
      t.http.post(`/api/v1/systems/${e.code}/transitions/submit`).set('authorization', editor.auth).set('if-match', e.etag).send({}),
      t.http.post(`/api/v1/systems/${e.code}/transfer`).set('authorization', editor.auth).set('if-match', e.etag).send({ to: 'CONB' }),
      t.http.post(`/api/v1/systems/${e.code}/transfer`).set('authorization', coordinator.auth).set('if-match', e.etag).send({ to: 'CONB' }),
    ]);
    expect(statuses(results).filter((s) => s < 300)).toHaveLength(1);
    expect(statuses(results).filter((s) => s === 412 || s === 409)).toHaveLength(2);
    expect((await t.http.get(`/api/v1/systems/${e.code}`).set('authorization', editor.auth)).body.version).toBe(2);
  });

  it('concurrent approvals of one review: one publishes, the other is refused', async () => {
    const e = await draft('Reviewed twice');
    const submitted = await t.http.post(`/api/v1/systems/${e.code}/transitions/submit`).set('authorization', editor.auth).set('if-match', e.etag).send({});
    const tag = submitted.headers.etag as string;
    const results = await Promise.all(
      Array.from({ length: 5 }, () => t.http.post(`/api/v1/systems/${e.code}/transitions/approve`).set('authorization', coordinator.auth).set('if-match', tag).send({ comment: 'ok' })),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    const reviews = await t.http.get('/api/v1/reviews').set('authorization', coordinator.auth);
    const mine = reviews.body.items.filter((r: { entry: { code: string } }) => r.entry.code === e.code);
    expect(mine).toHaveLength(1);
    expect(mine[0].decisions).toHaveLength(1);
  });
});
