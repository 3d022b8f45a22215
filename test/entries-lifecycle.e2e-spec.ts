import { startTestApp, TestApp, databaseLabel } from './helpers/test-app';
import { expectFieldError, expectProblem } from './problem-expect';

describe(`entry lifecycle, visibility and merge patch (${databaseLabel})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    for (const o of [
      { code: 'ANIP', name: "Agence nationale d'identification des personnes" },
      { code: 'ASIN', name: 'Agence des services et systèmes d’information' },
    ]) {
      expect((await t.http.post('/api/v1/organisations').set('authorization', t.admin).send(o)).status).toBe(201);
    }
  });
  afterAll(async () => t?.close());

  const admin = () => t.admin;
  const create = async (path: string, body: Record<string, unknown>) => {
    const res = await t.http.post(`/api/v1/${path}`).set('authorization', admin()).send(body);
    if (res.status !== 201) throw new Error(`create ${path} failed: ${res.status} ${res.text}`);
    return res;
  };
  const getAdmin = (path: string, ref: string) => t.http.get(`/api/v1/${path}/${ref}`).set('authorization', admin());
  const getAnon = (path: string, ref: string) => t.http.get(`/api/v1/${path}/${ref}`);
  const patch = (path: string, ref: string, body: unknown, ifMatch?: string) => {
    const req = t.http.patch(`/api/v1/${path}/${ref}`).set('authorization', admin());
    if (ifMatch !== undefined) req.set('if-match', ifMatch);
    return req.send(body as object);
  };
  const transition = (path: string, ref: string, body: unknown, ifMatch?: string) => {
    const req = t.http.post(`/api/v1/${path}/${ref}/lifecycle`).set('authorization', admin());
    if (ifMatch !== undefined) req.set('if-match', ifMatch);
    return req.send(body as object);
  };
  const remove = (path: string, ref: string, ifMatch?: string) => {
    const req = t.http.delete(`/api/v1/${path}/${ref}`).set('authorization', admin());
    if (ifMatch !== undefined) req.set('if-match', ifMatch);
    return req;
  };

  // First in the file on purpose: the database is fresh, so every kind starts at 00001.
  it('gives sequential codes per kind (IS, DS, PS), never reused after a delete', async () => {
    const s1 = await create('systems', { name: 'Premier système' });
    const d1 = await create('datasets', { name: 'Premier registre' });
    const p1 = await create('eservices', { name: 'Premier service' });
    const s2 = await create('systems', { name: 'Deuxième système' });
    expect([s1.body.code, s2.body.code, d1.body.code, p1.body.code]).toEqual(['IS00001', 'IS00002', 'DS00001', 'PS00001']);
    expect(s1.headers.location).toBe('/api/v1/systems/IS00001');
    expect(d1.headers.location).toBe('/api/v1/datasets/DS00001');
    expect(p1.headers.location).toBe('/api/v1/eservices/PS00001');
    expect([s1.body.kind, d1.body.kind, p1.body.kind]).toEqual(['system', 'dataset', 'eservice']);

    expect((await remove('systems', 'IS00002', '"1"')).status).toBe(204);
    expect((await remove('datasets', 'DS00001', '"1"')).status).toBe(204);
    const s3 = await create('systems', { name: 'Troisième système' });
    const d2 = await create('datasets', { name: 'Deuxième registre' });
    expect(s3.body.code).toBe('IS00003');
    expect(d2.body.code).toBe('DS00002');
    expect((await getAdmin('systems', 'IS00002')).status).toBe(404);
    // A code of one kind is not found under another kind.
    expect((await getAdmin('datasets', 'IS00001')).status).toBe(404);
    expect((await getAdmin('systems', 'PS00001')).status).toBe(404);
  });

  describe('drafts', () => {
    let draft: { id: string; code: string };
    beforeAll(async () => {
      const res = await create('systems', {
        name: 'Zyxwvut brouillon secret',
        owner: 'ANIP',
        description: 'Système pas encore publié',
        tags: ['zyxwvut-tag'],
      });
      draft = res.body;
    });

    it('is created as a draft, version 1, without publishedAt', async () => {
      const res = await getAdmin('systems', draft.code);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ lifecycleStatus: 'draft', version: 1, publishedAt: null, owner: { code: 'ANIP' }, operationalStatus: 'planned' });
      expect(res.headers.etag).toBe('"1"');
    });

    it('answers 404 (not 403) to anonymous callers, by code and by uuid', async () => {
      for (const ref of [draft.code, draft.id, draft.code.toLowerCase()]) {
        const res = await getAnon('systems', ref);
        expectProblem(res, 404, 'SYSTEM_NOT_FOUND');
      }
    });

    it('is missing from anonymous list totals, filters and search totals and facets; the admin sees it', async () => {
      const anonList = await t.http.get('/api/v1/systems');
      const adminList = await t.http.get('/api/v1/systems').set('authorization', admin());
      expect(anonList.body.items.map((e: { code: string }) => e.code)).not.toContain(draft.code);
      expect(adminList.body.items.map((e: { code: string }) => e.code)).toContain(draft.code);
      expect(adminList.body.total).toBeGreaterThan(anonList.body.total);
      expect(anonList.body.items.every((e: { lifecycleStatus: string }) => e.lifecycleStatus !== 'draft')).toBe(true);

      for (const qs of ['owner=ANIP', 'tag=zyxwvut-tag', 'q=zyxwvut', 'lifecycleStatus=draft']) {
        const anon = await t.http.get(`/api/v1/systems?${qs}`);
        const adm = await t.http.get(`/api/v1/systems?${qs}`).set('authorization', admin());
        expect(anon.status).toBe(200);
        expect(anon.body.total).toBe(0);
        expect(anon.body.items).toEqual([]);
        expect(adm.body.items.map((e: { code: string }) => e.code)).toContain(draft.code);
      }

      const anonSearch = await t.http.get('/api/v1/search?q=zyxwvut');
      expect(anonSearch.status).toBe(200);
      expect(anonSearch.body.total).toBe(0);
      expect(anonSearch.body.items).toEqual([]);
      expect(anonSearch.body.facets).toEqual({ kind: {}, owner: {}, lifecycleStatus: {}, operationalStatus: {}, tag: {}, theme: {} });
      const adminSearch = await t.http.get('/api/v1/search?q=zyxwvut').set('authorization', admin());
      expect(adminSearch.body.total).toBe(1);
      expect(adminSearch.body.items[0].code).toBe(draft.code);
      expect(adminSearch.body.facets).toMatchObject({ kind: { systems: 1 }, owner: { ANIP: 1 }, lifecycleStatus: { draft: 1 } });
    });

    it('cannot be changed, published or deleted anonymously (401), and stays as it was', async () => {
      expectProblem(await t.http.patch(`/api/v1/systems/${draft.code}`).set('if-match', '"1"').send({ name: 'x' }), 401);
      expectProblem(await t.http.post(`/api/v1/systems/${draft.code}/lifecycle`).set('if-match', '"1"').send({ status: 'published' }), 401);
      expectProblem(await t.http.delete(`/api/v1/systems/${draft.code}`).set('if-match', '"1"'), 401);
      const res = await getAdmin('systems', draft.code);
      expect(res.body).toMatchObject({ name: 'Zyxwvut brouillon secret', lifecycleStatus: 'draft', version: 1 });
    });
  });

  describe('publication', () => {
    it('publishes with If-Match and a comment: anonymous callers then see it, with publishedAt', async () => {
      const created = await create('datasets', { name: 'Registre qwertzu des personnes', owner: 'ANIP', tags: ['qwertzu'] });
      const code = created.body.code;
      const anonBefore = (await t.http.get('/api/v1/datasets')).body.total;
      const searchBefore = (await t.http.get('/api/v1/search?q=qwertzu')).body;
      expect(searchBefore.total).toBe(0);

      const res = await transition('datasets', code, { status: 'published', comment: 'Relu et approuvé' }, '"1"');
      expect(res.status).toBe(200);
      expect(res.headers.etag).toBe('"2"');
      expect(res.body).toMatchObject({ code, lifecycleStatus: 'published', version: 2 });
      expect(Date.parse(res.body.publishedAt)).not.toBeNaN();
      expect(Math.abs(Date.parse(res.body.publishedAt) - Date.now())).toBeLessThan(60_000);

      const anon = await getAnon('datasets', code);
      expect(anon.status).toBe(200);
      expect(anon.headers.etag).toBe('"2"');
      expect(anon.body).toMatchObject({ code, lifecycleStatus: 'published', publishedAt: res.body.publishedAt });
      expect((await getAnon('datasets', created.body.id)).status).toBe(200);
      expect((await t.http.get('/api/v1/datasets')).body.total).toBe(anonBefore + 1);
      const search = (await t.http.get('/api/v1/search?q=qwertzu')).body;
      expect(search.total).toBe(1);
      expect(search.items[0]).toMatchObject({ code, kind: 'dataset', lifecycleStatus: 'published', href: `/api/v1/datasets/${code}` });
      expect(search.facets).toMatchObject({ kind: { datasets: 1 }, owner: { ANIP: 1 }, lifecycleStatus: { published: 1 } });

      const rows = await t.dataSource.query(`SELECT action, comment, version FROM revisions WHERE entry_id = $1 AND action = 'lifecycle'`, [created.body.id]);
      expect(rows).toEqual([{ action: 'lifecycle', comment: 'Relu et approuvé', version: 2 }]);
    });

    it('keeps the first publishedAt through later transitions, and hides the entry again when sent back to draft', async () => {
      const created = await create('eservices', { name: 'Service à publier puis retirer', owner: 'ASIN' });
      const code = created.body.code;
      const published = await transition('eservices', code, { status: 'published' }, '"1"');
      expect(published.status).toBe(200);
      const deprecated = await transition('eservices', code, { status: 'deprecated', comment: 'Remplacé' }, '"2"');
      expect(deprecated.status).toBe(200);
      expect(deprecated.body.publishedAt).toBe(published.body.publishedAt);
      expect((await getAnon('eservices', code)).body.lifecycleStatus).toBe('deprecated');
      const retired = await transition('eservices', code, { status: 'retired' }, '"3"');
      expect(retired.status).toBe(200);
      expect((await getAnon('eservices', code)).body.lifecycleStatus).toBe('retired');
      const back = await transition('eservices', code, { status: 'draft', comment: 'À revoir' }, '"4"');
      expect(back.status).toBe(200);
      expectProblem(await getAnon('eservices', code), 404, 'ESERVICE_NOT_FOUND');
      const inReview = await transition('eservices', code, { status: 'in_review' }, '"5"');
      expect(inReview.status).toBe(200);
      expectProblem(await getAnon('eservices', code), 404);
    });

    it('needs If-Match (428), refuses a stale one (412) and changes nothing', async () => {
      const created = await create('systems', { name: 'Système à publier', owner: 'ASIN' });
      const code = created.body.code;
      expectProblem(await transition('systems', code, { status: 'published' }), 428, 'IF_MATCH_REQUIRED');
      expectProblem(await transition('systems', code, { status: 'published' }, '"2"'), 412, 'VERSION_MISMATCH');
      expectProblem(await getAnon('systems', code), 404);
      expect((await getAdmin('systems', code)).body).toMatchObject({ lifecycleStatus: 'draft', version: 1 });
    });

    it('refuses an unknown status (400 naming status) and a move to the current status (409)', async () => {
      const created = await create('systems', { name: 'Système au statut inchangé' });
      const code = created.body.code;
      expectFieldError(await transition('systems', code, { status: 'approved' }, '"1"'), 'status');
      expectFieldError(await transition('systems', code, {}, '"1"'), 'status');
      expectFieldError(await transition('systems', code, { status: 'published', extra: 1 }, '"1"'), 'extra');
      expectProblem(await transition('systems', code, { status: 'draft' }, '"1"'), 409, 'LIFECYCLE_UNCHANGED');
      expect((await getAdmin('systems', code)).body).toMatchObject({ lifecycleStatus: 'draft', version: 1 });
    });

    it('answers 404 to a transition of an unknown entry', async () => {
      expectProblem(await transition('systems', 'IS99999', { status: 'published' }, '"1"'), 404, 'SYSTEM_NOT_FOUND');
    });
  });

  describe('delete', () => {
    it('refuses to delete a published entry with 409 ENTRY_NOT_DRAFT; it stays visible', async () => {
      const created = await create('systems', { name: 'Système publié indélébile' });
      const code = created.body.code;
      expect((await transition('systems', code, { status: 'published' }, '"1"')).status).toBe(200);
      expectProblem(await remove('systems', code, '"2"'), 409, 'ENTRY_NOT_DRAFT');
      expect((await getAnon('systems', code)).status).toBe(200);
    });

    it('refuses to delete a draft that was once published (409 ENTRY_WAS_PUBLISHED): it was public, so it is retired instead', async () => {
      const { code } = (await create('datasets', { name: 'Registre publié puis renvoyé en brouillon' })).body;
      expect((await transition('datasets', code, { status: 'published' }, '"1"')).status).toBe(200);
      expect((await transition('datasets', code, { status: 'draft' }, '"2"')).body).toMatchObject({ lifecycleStatus: 'draft', version: 3 });
      expectProblem(await remove('datasets', code, '"3"'), 409, 'ENTRY_WAS_PUBLISHED');
      expect((await getAdmin('datasets', code)).body).toMatchObject({ lifecycleStatus: 'draft', version: 3 });
      expect((await transition('datasets', code, { status: 'retired' }, '"3"')).body.lifecycleStatus).toBe('retired');
    });

    it('deletes a draft with If-Match (204), after which it is 404 for everyone', async () => {
      const created = await create('datasets', { name: 'Registre à supprimer' });
      const { code, id } = created.body;
      expectProblem(await remove('datasets', code), 428, 'IF_MATCH_REQUIRED');
      expectProblem(await remove('datasets', code, '"5"'), 412, 'VERSION_MISMATCH');
      expect((await getAdmin('datasets', code)).status).toBe(200);
      const res = await remove('datasets', code, '"1"');
      expect(res.status).toBe(204);
      expect(res.text).toBe('');
      expectProblem(await getAdmin('datasets', code), 404, 'DATASET_NOT_FOUND');
      expectProblem(await getAdmin('datasets', id), 404);
      expectProblem(await remove('datasets', code, '"1"'), 404);
      const list = await t.http.get('/api/v1/datasets').set('authorization', admin());
      expect(list.body.items.map((e: { code: string }) => e.code)).not.toContain(code);
    });

    it('deletes by uuid too, and a draft edited since needs the new ETag', async () => {
      const created = await create('eservices', { name: 'Service à supprimer' });
      const { code, id } = created.body;
      expect((await patch('eservices', id, { fee: 'Gratuit' }, '"1"')).status).toBe(200);
      expectProblem(await remove('eservices', id, '"1"'), 412);
      expect((await remove('eservices', id, '"2"')).status).toBe(204);
      expect((await getAdmin('eservices', code)).status).toBe(404);
    });
  });

  describe('PATCH (JSON merge patch)', () => {
    const base = {
      name: 'Système de test du merge patch',
      owner: 'ASIN',
      description: 'Description initiale',
      homepage: 'https://pni.example.org',
      tags: ['interopérabilité', 'x-road'],
      themes: ['GOVE', 'TECH'],
      securityLevels: { confidentiality: 'high', integrity: 'medium', availability: 'high' },
      interfaces: [
        { name: 'API publique', type: 'REST', baseUrl: 'https://api.example.org/v1' },
        { name: 'Service SOAP', type: 'SOAP', specUrl: 'https://api.example.org/ws?wsdl' },
      ],
    };

    it('replaces given fields, removes fields set to null, merges nested objects, replaces arrays; ETag bumps', async () => {
      const created = await create('systems', base);
      const code = created.body.code;
      const res = await patch(
        'systems',
        code,
        { description: 'Nouvelle description', homepage: null, tags: ['pki'], securityLevels: { integrity: null, availability: 'low' } },
        '"1"',
      );
      expect(res.status).toBe(200);
      expect(res.headers.etag).toBe('"2"');
      expect(res.body.version).toBe(2);
      const got = await getAdmin('systems', code);
      expect(got.headers.etag).toBe('"2"');
      expect(got.body).toMatchObject({
        name: base.name,
        description: 'Nouvelle description',
        tags: ['pki'],
        themes: ['GOVE', 'TECH'],
        securityLevels: { confidentiality: 'high', availability: 'low' },
      });
      expect(got.body.homepage).toBeUndefined();
      expect(got.body.securityLevels.integrity).toBeUndefined();
      expect(got.body.interfaces).toHaveLength(2);
      expect(Date.parse(got.body.updatedAt)).toBeGreaterThanOrEqual(Date.parse(created.body.updatedAt));
    });

    it('keeps item ids that are sent back, gives new items new ids, and drops items left out', async () => {
      const created = await create('systems', base);
      const code = created.body.code;
      const [api, soap] = created.body.interfaces as { id: string; name: string }[];
      expect(api.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(soap.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(api.id).not.toBe(soap.id);

      const res = await patch('systems', code, { interfaces: [{ ...api, name: 'API publique v2' }, { name: 'Export fichier', type: 'file' }] }, '"1"');
      expect(res.status).toBe(200);
      const items = res.body.interfaces as { id: string; name: string; type: string; baseUrl?: string }[];
      expect(items).toHaveLength(2);
      expect(items[0]).toMatchObject({ id: api.id, name: 'API publique v2', type: 'REST', baseUrl: 'https://api.example.org/v1' });
      expect(items[1]).toMatchObject({ name: 'Export fichier', type: 'file' });
      expect(items[1].id).toMatch(/^[0-9a-f-]{36}$/);
      expect([api.id, soap.id]).not.toContain(items[1].id);
      expect(items.map((i) => i.id)).not.toContain(soap.id);

      // Sending the same items back again changes nothing, ids included.
      const again = await patch('systems', code, { interfaces: items }, '"2"');
      expect(again.status).toBe(200);
      expect(again.body.interfaces).toEqual(items);
      expect(again.body.version).toBe(2);
    });

    it('keeps the version when a patch changes nothing', async () => {
      const created = await create('systems', base);
      const code = created.body.code;
      for (const body of [{}, { name: base.name }, { tags: base.tags, themes: base.themes }, { securityLevels: { confidentiality: 'high' } }]) {
        const res = await patch('systems', code, body, '"1"');
        expect(res.status).toBe(200);
        expect(res.body.version).toBe(1);
        expect(res.headers.etag).toBe('"1"');
      }
      const rows = await t.dataSource.query(`SELECT count(*)::int AS n FROM revisions WHERE entry_id = $1 AND action = 'update'`, [created.body.id]);
      expect(rows[0].n).toBe(0);
      expect((await getAdmin('systems', code)).body.updatedAt).toBe(created.body.updatedAt);
    });

    it('refuses a stale If-Match with 412 and changes nothing', async () => {
      const created = await create('systems', base);
      const code = created.body.code;
      expect((await patch('systems', code, { name: 'Nom v2' }, '"1"')).status).toBe(200);
      const stale = await patch('systems', code, { name: 'Nom écrasé', tags: [], homepage: null }, '"1"');
      const problem = expectProblem(stale, 412, 'VERSION_MISMATCH');
      expect(problem.detail).toContain('2');
      const got = await getAdmin('systems', code);
      expect(got.body).toMatchObject({ name: 'Nom v2', tags: base.tags, homepage: base.homepage, version: 2 });
      expectProblem(await patch('systems', code, { name: 'Futur' }, '"3"'), 412, 'VERSION_MISMATCH');
    });

    it('needs If-Match: 428 without it, 400 for lists (even one holding the current ETag) or garbage; nothing changes', async () => {
      const created = await create('systems', base);
      const code = created.body.code;
      expectProblem(await patch('systems', code, { name: 'Sans précondition' }), 428, 'IF_MATCH_REQUIRED');
      expectProblem(await patch('systems', code, { name: 'Sans précondition' }, ''), 428, 'IF_MATCH_REQUIRED');
      for (const bad of ['garbage', '"1", "2"', '"0", "1"', '*, "1"', '**', '"abc"', 'W/', '"-1"']) {
        expectProblem(await patch('systems', code, { name: 'Mauvais ETag' }, bad), 400, 'IF_MATCH_INVALID');
      }
      expect((await getAdmin('systems', code)).body).toMatchObject({ name: base.name, version: 1 });
    });

    it('takes If-Match: * as any current version (RFC 9110 §13.1.1): PATCH, a transition and DELETE proceed; a missing entry stays 404', async () => {
      const created = await create('systems', base);
      const code = created.body.code;
      const first = await patch('systems', code, { name: 'Étoile' }, '*');
      expect(first.status).toBe(200);
      expect(first.headers.etag).toBe('"2"');
      expect((await patch('systems', code, { name: 'Étoile encore' }, ' * ')).body).toMatchObject({ name: 'Étoile encore', version: 3 });
      expect((await patch('systems', code, { name: 'Version nommée' }, '"3"')).body.version).toBe(4);
      expect((await transition('systems', code, { status: 'published' }, '*')).body).toMatchObject({ lifecycleStatus: 'published', version: 5 });
      expect((await transition('systems', code, { status: 'draft' }, '*')).body.version).toBe(6);
      expectProblem(await patch('systems', 'IS99999', { name: 'Absent' }, '*'), 404, 'SYSTEM_NOT_FOUND');
      const draft = await create('systems', { name: 'Brouillon étoilé' });
      expect((await remove('systems', draft.body.code, '*')).status).toBe(204);
      expectProblem(await remove('systems', draft.body.code, '*'), 404);
    });

    it('refuses a weak ETag (If-Match compares strongly, RFC 9110 §13.1.1) with 412; accepts an unquoted version and application/merge-patch+json', async () => {
      const created = await create('systems', base);
      const code = created.body.code;
      expectProblem(await patch('systems', code, { name: 'Faible' }, 'W/"1"'), 412, 'IF_MATCH_WEAK');
      expect((await getAdmin('systems', code)).body).toMatchObject({ name: base.name, version: 1 });
      expect((await patch('systems', code, { name: 'Premier' }, '"1"')).status).toBe(200);
      expect((await patch('systems', code, { name: 'Sans guillemets' }, '2')).status).toBe(200);
      const res = await t.http
        .patch(`/api/v1/systems/${code}`)
        .set('authorization', admin())
        .set('if-match', '"3"')
        .set('content-type', 'application/merge-patch+json')
        .send(JSON.stringify({ name: 'Merge patch' }));
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ name: 'Merge patch', version: 4 });
    });

    it('validates the merged document (400 naming the field) and changes nothing', async () => {
      const created = await create('systems', base);
      const code = created.body.code;
      expectFieldError(await patch('systems', code, { name: null }, '"1"'), 'name');
      expectFieldError(await patch('systems', code, { interfaces: [{ name: 'x', type: 'FTP' }] }, '"1"'), 'interfaces.0.type');
      expectFieldError(await patch('systems', code, { securityLevels: { integrity: 'extreme' } }, '"1"'), 'securityLevels.integrity');
      expectFieldError(await patch('systems', code, { owner: 'NOBODY' }, '"1"'), 'owner');
      expectFieldError(await patch('systems', code, { code: 'IS99999' }, '"1"'), 'code');
      expectFieldError(await patch('systems', code, { lifecycleStatus: 'published' }, '"1"'), 'lifecycleStatus');
      const got = await getAdmin('systems', code);
      expect(got.body).toMatchObject({ name: base.name, version: 1, lifecycleStatus: 'draft', owner: { code: 'ASIN' } });
    });

    it('moves an entry to another owner, visible in owner filters', async () => {
      const created = await create('systems', { name: 'Système qui change de main', owner: 'ASIN' });
      const code = created.body.code;
      const res = await patch('systems', code, { owner: 'ANIP' }, '"1"');
      expect(res.status).toBe(200);
      expect(res.body.owner).toEqual({ code: 'ANIP', name: "Agence nationale d'identification des personnes" });
      const anip = await t.http.get('/api/v1/systems?owner=ANIP').set('authorization', admin());
      const asin = await t.http.get('/api/v1/systems?owner=ASIN').set('authorization', admin());
      expect(anip.body.items.map((e: { code: string }) => e.code)).toContain(code);
      expect(asin.body.items.map((e: { code: string }) => e.code)).not.toContain(code);
    });

    it('answers 404 to a PATCH of an unknown entry', async () => {
      expectProblem(await patch('systems', 'IS99999', { name: 'x' }, '"1"'), 404, 'SYSTEM_NOT_FOUND');
      expectProblem(await patch('systems', '6f1c1f9e-0000-4000-8000-000000000000', { name: 'x' }, '"1"'), 404, 'SYSTEM_NOT_FOUND');
    });
  });

  describe('refs', () => {
    it('finds an entry by uuid, by code and by code in any case, for reads and writes', async () => {
      const created = await create('eservices', { name: 'Service aux références' });
      const { code, id } = created.body;
      for (const ref of [id, id.toUpperCase(), code, code.toLowerCase(), `${code.slice(0, 2).toLowerCase()}${code.slice(2)}`]) {
        const res = await getAdmin('eservices', ref);
        expect(res.status).toBe(200);
        expect(res.body.id).toBe(id);
      }
      expect((await patch('eservices', code.toLowerCase(), { fee: '1000 F CFA' }, '"1"')).status).toBe(200);
      expect((await patch('eservices', id, { fee: '2000 F CFA' }, '"2"')).status).toBe(200);
      const published = await transition('eservices', code.toLowerCase(), { status: 'published' }, '"3"');
      expect(published.status).toBe(200);
      expect((await getAnon('eservices', code.toLowerCase())).body).toMatchObject({ fee: '2000 F CFA', lifecycleStatus: 'published' });
    });
  });
});
