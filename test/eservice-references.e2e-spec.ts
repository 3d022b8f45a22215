import { Actors, startOidc, TestOidc, TestUser } from './helpers/identity';
import { databaseLabel, startTestApp, TestApp } from './helpers/test-app';

/**
 * An e-service's evidence may name the dataset that holds it. When the caller may not see that dataset
 * (another organisation's draft), the name is absent too: in the entry, lists, search, history and the
 * exports (DESIGN §5: an entry the caller may not see is absent everywhere).
 */
describe(`e-service evidence naming datasets the caller may not see (${databaseLabel})`, () => {
  let oidc: TestOidc;
  let t: TestApp;
  let draft: { code: string; id: string };
  let published: string;
  let service: string;
  let serviceEditor: TestUser;
  let otherEditor: TestUser;
  let datasetMember: TestUser;

  const publish = async (path: string, code: string, etag: string) => {
    const res = await t.http.post(`/api/v1/${path}/${code}/lifecycle`).set('authorization', t.admin).set('if-match', etag).send({ status: 'published' });
    expect(res.status).toBe(200);
    return res;
  };
  const get = (path: string, auth?: string) => {
    const req = t.http.get(path);
    return auth ? req.set('authorization', auth) : req;
  };
  const evidenceOf = async (auth?: string) => (await get(`/api/v1/eservices/${service}`, auth)).body.evidence as { name: string; dataset?: string }[];

  beforeAll(async () => {
    oidc = await startOidc();
    t = await startTestApp({ env: oidc.env });
    const actors = new Actors(t, oidc);
    for (const code of ['DSO', 'SVC', 'OTHER']) await actors.org(code);
    serviceEditor = await actors.user('service-editor', { orgs: { SVC: 'editor' } });
    otherEditor = await actors.user('other-editor', { orgs: { OTHER: 'editor' } });
    datasetMember = await actors.user('dataset-member', { orgs: { DSO: 'viewer' } });

    const d = await t.http.post('/api/v1/datasets').set('authorization', t.admin).send({ name: 'Civil register (draft)', owner: 'DSO' });
    draft = { code: d.body.code, id: d.body.id };
    const p = await t.http.post('/api/v1/datasets').set('authorization', t.admin).send({ name: 'Tax register', owner: 'DSO' });
    published = p.body.code;
    await publish('datasets', published, p.headers.etag);

    const s = await t.http
      .post('/api/v1/eservices')
      .set('authorization', t.admin)
      .send({
        name: 'Birth allowance',
        owner: 'SVC',
        evidence: [
          { name: 'Birth certificate', dataset: draft.code },
          { name: 'Parent record', dataset: draft.id },
          { name: 'Tax statement', dataset: published },
        ],
      });
    expect(s.status).toBe(201);
    service = s.body.code;
    const moved = await publish('eservices', service, s.headers.etag);
    // An edit after publication puts evidence into the public history.
    const patched = await t.http
      .patch(`/api/v1/eservices/${service}`)
      .set('authorization', t.admin)
      .set('if-match', moved.headers.etag)
      .send({ evidence: [...moved.body.evidence, { name: 'Residence proof', dataset: draft.code.toLowerCase() }] });
    expect(patched.status).toBe(200);
  });
  afterAll(async () => {
    await t?.close();
    await oidc?.close();
  });

  it('anonymous callers and editors of other organisations get the evidence without the dataset they cannot see', async () => {
    for (const auth of [undefined, serviceEditor.auth, otherEditor.auth]) {
      expect((await get(`/api/v1/datasets/${draft.code}`, auth)).status).toBe(404);
      expect(await evidenceOf(auth)).toEqual([
        expect.not.objectContaining({ dataset: expect.anything() }),
        expect.not.objectContaining({ dataset: expect.anything() }),
        expect.objectContaining({ name: 'Tax statement', dataset: published }),
        expect.not.objectContaining({ dataset: expect.anything() }),
      ]);
      expect((await evidenceOf(auth)).map((e) => e.name)).toEqual(['Birth certificate', 'Parent record', 'Tax statement', 'Residence proof']);
    }
  });

  it('members of the dataset owner, who see the dataset, and coordinators get every reference', async () => {
    for (const auth of [datasetMember.auth, t.admin]) {
      expect((await get(`/api/v1/datasets/${draft.code}`, auth)).status).toBe(200);
      expect((await evidenceOf(auth)).map((e) => e.dataset)).toEqual([draft.code, draft.id, published, draft.code.toLowerCase()]);
    }
  });

  it('lists, search, history and the exports leave it out as well', async () => {
    const hidden = (text: string) => {
      expect(text).not.toContain(draft.code);
      expect(text).not.toContain(draft.code.toLowerCase());
      expect(text).not.toContain(draft.id);
    };
    for (const auth of [undefined, otherEditor.auth]) {
      const list = await get('/api/v1/eservices?limit=100', auth);
      expect(list.body.items.find((e: { code: string }) => e.code === service).evidence).toHaveLength(4);
      hidden(list.text);
      hidden((await get(`/api/v1/search?q=${encodeURIComponent('Birth allowance')}`, auth)).text);
      const history = await get(`/api/v1/eservices/${service}/history`, auth);
      expect(history.body.items.some((i: { changes: object }) => 'evidence' in i.changes)).toBe(true);
      hidden(history.text);
    }
    const csv = await get('/api/v1/exports/eservices.csv');
    expect(csv.text).toContain(published);
    hidden(csv.text);
    hidden((await get('/api/v1/exports/cpsv-ap').set('accept', 'text/turtle')).text);
    // Who sees the dataset sees it in the history too.
    expect((await get(`/api/v1/eservices/${service}/history`, datasetMember.auth)).text).toContain(draft.code.toLowerCase());
  });

  it('an editor who was shown the evidence without the reference keeps it when writing the evidence back', async () => {
    const shown = await get(`/api/v1/eservices/${service}`, serviceEditor.auth);
    const res = await t.http
      .patch(`/api/v1/eservices/${service}`)
      .set('authorization', serviceEditor.auth)
      .set('if-match', shown.headers.etag)
      .send({ evidence: [...shown.body.evidence.slice(1), { name: 'Photo' }] });
    expect(res.status).toBe(200);
    expect(res.body.evidence.map((e: { name: string }) => e.name)).toEqual(['Parent record', 'Tax statement', 'Residence proof', 'Photo']);
    expect((await evidenceOf(datasetMember.auth)).map((e) => e.dataset)).toEqual([draft.id, published, draft.code.toLowerCase(), undefined]);
  });
});
