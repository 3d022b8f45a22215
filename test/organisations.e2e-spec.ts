import { startTestApp, TestApp, databaseLabel } from './helpers/test-app';
import { expectFieldError, expectProblem } from './problem-expect';

describe(`organisations (${databaseLabel})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t?.close());

  const create = (body: unknown) => t.http.post('/api/v1/organisations').set('authorization', t.admin).send(body as object);
  const patch = (code: string, body: unknown, ifMatch?: string) => {
    const req = t.http.patch(`/api/v1/organisations/${code}`).set('authorization', t.admin);
    if (ifMatch !== undefined) req.set('if-match', ifMatch);
    return req.send(body as object);
  };

  describe('authentication', () => {
    it('refuses a create without credentials with 401 problem+json, and stores nothing', async () => {
      const res = await t.http.post('/api/v1/organisations').send({ code: 'ANON', name: 'Anonymous agency' });
      expectProblem(res, 401, 'UNAUTHENTICATED');
      expect((await t.http.get('/api/v1/organisations/ANON')).status).toBe(404);
    });

    it('refuses an unknown API key with 401', async () => {
      const res = await t.http.post('/api/v1/organisations').set('authorization', 'ApiKey icat_not-a-real-key').send({ code: 'BADKEY', name: 'Bad key agency' });
      expectProblem(res, 401, 'UNAUTHENTICATED');
      expect((await t.http.get('/api/v1/organisations/BADKEY')).status).toBe(404);
    });

    it('refuses a malformed Authorization header and Bearer tokens with 401', async () => {
      expectProblem(await t.http.post('/api/v1/organisations').set('authorization', 'Basic dXNlcjpwYXNz').send({ name: 'X' }), 401, 'UNAUTHENTICATED');
      expectProblem(await t.http.post('/api/v1/organisations').set('authorization', 'Bearer abc.def.ghi').send({ name: 'X' }), 401, 'UNAUTHENTICATED');
      expectProblem(await t.http.post('/api/v1/organisations').set('authorization', 'ApiKey').send({ name: 'X' }), 401, 'UNAUTHENTICATED');
    });

    it('refuses a PATCH without credentials with 401, and the organisation is unchanged', async () => {
      const org = await create({ code: 'NOAUTHPATCH', name: 'Before' });
      expect(org.status).toBe(201);
      const res = await t.http.patch('/api/v1/organisations/NOAUTHPATCH').set('if-match', '"1"').send({ name: 'After' });
      expectProblem(res, 401, 'UNAUTHENTICATED');
      const got = await t.http.get('/api/v1/organisations/NOAUTHPATCH');
      expect(got.body.name).toBe('Before');
      expect(got.body.version).toBe(1);
    });

    it('lets anyone read organisations without a key, but a wrong key on a read is still 401', async () => {
      expect((await t.http.get('/api/v1/organisations')).status).toBe(200);
      expectProblem(await t.http.get('/api/v1/organisations').set('authorization', 'ApiKey icat_wrong'), 401, 'UNAUTHENTICATED');
    });
  });

  describe('create and read', () => {
    it('generates an IN00001-style code when none is given, with Location and ETag', async () => {
      const res = await create({ name: 'Agence générée', acronym: 'AG', type: 'agency', website: 'https://ag.example.org', email: 'contact@ag.example.org' });
      expect(res.status).toBe(201);
      expect(res.body.code).toMatch(/^IN\d{5}$/);
      expect(res.headers.location).toBe(`/api/v1/organisations/${res.body.code}`);
      expect(res.headers.etag).toBe('"1"');
      expect(res.body).toMatchObject({
        name: 'Agence générée',
        acronym: 'AG',
        type: 'agency',
        parent: null,
        website: 'https://ag.example.org',
        email: 'contact@ag.example.org',
        xroadMember: null,
        version: 1,
      });
      expect(res.body.id).toMatch(/^[0-9a-f-]{36}$/);

      const second = await create({ name: 'Deuxième agence générée' });
      expect(second.status).toBe(201);
      expect(second.body.code).toMatch(/^IN\d{5}$/);
      expect(second.body.code).not.toBe(res.body.code);
      expect(second.body.type).toBe('other');
    });

    it('keeps a given code, and GET by code returns it with an ETag', async () => {
      const res = await create({ code: 'MINSANTE', name: 'Ministère de la Santé', type: 'ministry', xroadMember: { instance: 'BJ', memberClass: 'GOV', memberCode: '123' } });
      expect(res.status).toBe(201);
      expect(res.body.code).toBe('MINSANTE');
      expect(res.headers.location).toBe('/api/v1/organisations/MINSANTE');
      const got = await t.http.get('/api/v1/organisations/MINSANTE');
      expect(got.status).toBe(200);
      expect(got.headers.etag).toBe('"1"');
      expect(got.body).toMatchObject({ code: 'MINSANTE', name: 'Ministère de la Santé', type: 'ministry', xroadMember: { instance: 'BJ', memberClass: 'GOV', memberCode: '123' } });
    });

    it('gives an X-Road member id to one organisation only: 409 XROAD_MEMBER_TAKEN on create and on PATCH, (racing creates: concurrency spec)', async () => {
      // Found by a new-user check: three organisations held FI/GOV/1710128-9, so X-Road imports matched any one.
      const member = { instance: 'BJ', memberClass: 'GOV', memberCode: 'UNIQUE-1' };
      expect((await create({ code: 'XRHOLDER', name: 'Holder', xroadMember: member })).status).toBe(201);
      const second = expectProblem(await create({ code: 'XRSECOND', name: 'Second', xroadMember: member }), 409, 'XROAD_MEMBER_TAKEN');
      expect(second.detail).toContain('XRHOLDER');
      expect((await t.http.get('/api/v1/organisations/XRSECOND')).status).toBe(404);
      expect((await create({ code: 'XROTHER', name: 'Other' })).status).toBe(201);
      expectProblem(await t.http.patch('/api/v1/organisations/XROTHER').set('authorization', t.admin).set('if-match', '"1"').send({ xroadMember: member }), 409, 'XROAD_MEMBER_TAKEN');
      // Surrounding white space makes no other id (found by a new-user check: "1710128-9 " was a second holder).
      expectProblem(await create({ code: 'XRSPACE', name: 'Space', xroadMember: { ...member, memberCode: ` ${member.memberCode} ` } }), 409, 'XROAD_MEMBER_TAKEN');
      // The holder may keep (re-send) its own id.
      expect((await t.http.patch('/api/v1/organisations/XRHOLDER').set('authorization', t.admin).set('if-match', '"1"').send({ name: 'Holder renamed', xroadMember: member })).status).toBe(200);
    });

    it('refuses a duplicate code with 409 problem+json, leaving the first one as it was', async () => {
      expect((await create({ code: 'DUPCODE', name: 'First' })).status).toBe(201);
      const res = await create({ code: 'DUPCODE', name: 'Second' });
      const problem = expectProblem(res, 409, 'ORGANISATION_CODE_TAKEN');
      expect(problem.detail).toContain('DUPCODE');
      expect((await t.http.get('/api/v1/organisations/DUPCODE')).body.name).toBe('First');
    });

    it('still generates a free code when a given code took the next generated one', async () => {
      const probe = await create({ name: 'Probe for the next code' });
      expect(probe.status).toBe(201);
      const next = `IN${String(Number(probe.body.code.slice(2)) + 1).padStart(5, '0')}`;
      expect((await create({ code: next, name: 'Took the next generated code' })).status).toBe(201);
      const res = await create({ name: 'Needs a generated code' });
      expect(res.status).toBe(201);
      expect(res.body.code).toMatch(/^IN\d{5}$/);
      expect(res.body.code).not.toBe(next);
      expect((await t.http.get(`/api/v1/organisations/${next}`)).body.name).toBe('Took the next generated code');
    });

    it('treats codes without regard to case: found in any case, a duplicate in another case is 409', async () => {
      expect((await create({ code: 'Insolvency-Service', name: 'Insolvency Service' })).status).toBe(201);
      const got = await t.http.get('/api/v1/organisations/insolvency-service');
      expect(got.status).toBe(200);
      expect(got.body.code).toBe('Insolvency-Service');
      expectProblem(await create({ code: 'INSOLVENCY-SERVICE', name: 'Shouting duplicate' }), 409, 'ORGANISATION_CODE_TAKEN');
      const child = await create({ code: 'IS-CHILD', name: 'Child by lower-case parent', parent: 'insolvency-service' });
      expect(child.status).toBe(201);
      expect(child.body.parent).toBe('Insolvency-Service');
    });

    it('answers 404 problem+json for an unknown code', async () => {
      expectProblem(await t.http.get('/api/v1/organisations/NOSUCHORG'), 404, 'ORGANISATION_NOT_FOUND');
    });

    it('refuses bad input naming the field', async () => {
      expectFieldError(await create({ code: 'BADTYPE', name: 'X', type: 'cooperative' }), 'type');
      expectFieldError(await create({ code: 'bad code!', name: 'X' }), 'code');
      expectFieldError(await create({ name: '   ' }), 'name');
      expectFieldError(await create({ code: 'NONAME' }), 'name');
      expectFieldError(await create({ name: 'X', website: 'not a url' }), 'website');
      expectFieldError(await create({ name: 'X', email: 'nobody' }), 'email');
      expectFieldError(await create({ name: 'X', colour: 'blue' }), 'colour');
      expectFieldError(await create({ name: 'X', xroadMember: { instance: 'BJ' } }), 'xroadMember.memberClass');
    });

    it('refuses an unknown parent with 400 naming parent', async () => {
      const res = await create({ code: 'ORPHAN', name: 'Orphan', parent: 'NOPARENT' });
      expectFieldError(res, 'parent');
      expect((await t.http.get('/api/v1/organisations/ORPHAN')).status).toBe(404);
    });

    it('links a child to its parent by code', async () => {
      expect((await create({ code: 'MINFIN', name: "Ministère de l'Économie et des Finances", type: 'ministry' })).status).toBe(201);
      const child = await create({ code: 'DGI', name: 'Direction générale des Impôts', type: 'agency', parent: 'MINFIN' });
      expect(child.status).toBe(201);
      expect(child.body.parent).toBe('MINFIN');
    });
  });

  describe('PATCH (JSON merge patch with If-Match)', () => {
    it('merges the patch, removes fields set to null, bumps the version and the ETag', async () => {
      expect((await create({ code: 'PATCHME', name: 'Agence à modifier', acronym: 'AAM', website: 'https://aam.example.org', type: 'agency' })).status).toBe(201);
      const res = await patch('PATCHME', { name: 'Agence modifiée', acronym: null }, '"1"');
      expect(res.status).toBe(200);
      expect(res.headers.etag).toBe('"2"');
      expect(res.body).toMatchObject({ code: 'PATCHME', name: 'Agence modifiée', acronym: null, website: 'https://aam.example.org', type: 'agency', version: 2 });
      const got = await t.http.get('/api/v1/organisations/PATCHME');
      expect(got.headers.etag).toBe('"2"');
      expect(got.body).toMatchObject({ name: 'Agence modifiée', acronym: null, website: 'https://aam.example.org' });
      // A patch that changes nothing writes nothing: the version stays (found by a new-user check: {} bumped it).
      for (const body of [{}, { name: 'Agence modifiée' }]) {
        const same = await patch('PATCHME', body, '"2"');
        expect(same.status).toBe(200);
        expect(same.headers.etag).toBe('"2"');
      }
    });

    it('accepts application/merge-patch+json; refuses a weak ETag with 412 (strong comparison)', async () => {
      expect((await create({ code: 'MERGETYPE', name: 'Merge type' })).status).toBe(201);
      const weak = await t.http.patch('/api/v1/organisations/MERGETYPE').set('authorization', t.admin).set('if-match', 'W/"1"').send({ acronym: 'WEAK' });
      expectProblem(weak, 412, 'IF_MATCH_WEAK');
      const res = await t.http
        .patch('/api/v1/organisations/MERGETYPE')
        .set('authorization', t.admin)
        .set('if-match', '"1"')
        .set('content-type', 'application/merge-patch+json')
        .send(JSON.stringify({ acronym: 'MT' }));
      expect(res.status).toBe(200);
      expect(res.body.acronym).toBe('MT');
    });

    it('needs If-Match: 428 without it, 412 when stale; neither changes anything', async () => {
      expect((await create({ code: 'IFMATCH', name: 'Original' })).status).toBe(201);
      expectProblem(await patch('IFMATCH', { name: 'No precondition' }), 428, 'IF_MATCH_REQUIRED');
      expectProblem(await patch('IFMATCH', { name: 'Stale' }, '"7"'), 412, 'VERSION_MISMATCH');
      expect((await patch('IFMATCH', { name: 'Fresh' }, '"1"')).status).toBe(200);
      expectProblem(await patch('IFMATCH', { name: 'Stale again' }, '"1"'), 412, 'VERSION_MISMATCH');
      const got = await t.http.get('/api/v1/organisations/IFMATCH');
      expect(got.body).toMatchObject({ name: 'Fresh', version: 2 });
    });

    it('refuses If-Match values that are not one ETag or * with 400', async () => {
      expect((await create({ code: 'BADETAG', name: 'Bad etag' })).status).toBe(201);
      expectProblem(await patch('BADETAG', { name: 'x' }, '"1", "2"'), 400, 'IF_MATCH_INVALID');
      expectProblem(await patch('BADETAG', { name: 'x' }, 'garbage'), 400, 'IF_MATCH_INVALID');
      expect((await t.http.get('/api/v1/organisations/BADETAG')).body.name).toBe('Bad etag');
    });

    it('takes If-Match: * as any current version; an unknown organisation stays 404', async () => {
      expect((await create({ code: 'STAR', name: 'Star' })).status).toBe(201);
      const res = await patch('STAR', { name: 'Star patched' }, '*');
      expect(res.status).toBe(200);
      expect(res.headers.etag).toBe('"2"');
      expect(res.body).toMatchObject({ name: 'Star patched', version: 2 });
      expectProblem(await patch('NOSUCHORG', { name: 'x' }, '*'), 404);
    });

    it('never changes the code (400 naming code), but accepts the same code sent back', async () => {
      expect((await create({ code: 'STABLE', name: 'Stable' })).status).toBe(201);
      expectFieldError(await patch('STABLE', { code: 'MOVED' }, '"1"'), 'code');
      expectFieldError(await patch('STABLE', { code: null }, '"1"'), 'code');
      expect((await t.http.get('/api/v1/organisations/MOVED')).status).toBe(404);
      const same = await patch('STABLE', { code: 'STABLE', acronym: 'ST' }, '"1"');
      expect(same.status).toBe(200);
      expect(same.body).toMatchObject({ code: 'STABLE', acronym: 'ST' });
    });

    it('validates the merged document, naming the field', async () => {
      expect((await create({ code: 'VALPATCH', name: 'Valid' })).status).toBe(201);
      expectFieldError(await patch('VALPATCH', { type: 'club' }, '"1"'), 'type');
      expectFieldError(await patch('VALPATCH', { name: null }, '"1"'), 'name');
      expectFieldError(await patch('VALPATCH', { unknownField: 1 }, '"1"'), 'unknownField');
      expectProblem(await patch('VALPATCH', [{ name: 'array' }], '"1"'), 400, 'VALIDATION_FAILED');
      expect((await t.http.get('/api/v1/organisations/VALPATCH')).body).toMatchObject({ name: 'Valid', version: 1 });
    });

    it('answers 404 for a PATCH of an unknown organisation', async () => {
      expectProblem(await patch('NOSUCHORG', { name: 'x' }, '"1"'), 404, 'ORGANISATION_NOT_FOUND');
    });

    it('sets, changes and removes the parent', async () => {
      expect((await create({ code: 'P1', name: 'Parent one' })).status).toBe(201);
      expect((await create({ code: 'P2', name: 'Parent two' })).status).toBe(201);
      expect((await create({ code: 'KID', name: 'Kid' })).status).toBe(201);
      const set = await patch('KID', { parent: 'P1' }, '"1"');
      expect(set.status).toBe(200);
      expect(set.body.parent).toBe('P1');
      expect((await patch('KID', { parent: 'P2' }, '"2"')).body.parent).toBe('P2');
      const removed = await patch('KID', { parent: null }, '"3"');
      expect(removed.status).toBe(200);
      expect(removed.body.parent).toBeNull();
    });

    it('refuses an unknown parent with 400 naming parent', async () => {
      expect((await create({ code: 'LONELY', name: 'Lonely' })).status).toBe(201);
      expectFieldError(await patch('LONELY', { parent: 'NOPARENT' }, '"1"'), 'parent');
      expect((await t.http.get('/api/v1/organisations/LONELY')).body).toMatchObject({ parent: null, version: 1 });
    });

    it('refuses a parent loop (self, direct and indirect) with 400 naming parent', async () => {
      expect((await create({ code: 'LA', name: 'Loop A' })).status).toBe(201);
      expect((await create({ code: 'LB', name: 'Loop B', parent: 'LA' })).status).toBe(201);
      expect((await create({ code: 'LC', name: 'Loop C', parent: 'LB' })).status).toBe(201);
      expectFieldError(await patch('LA', { parent: 'LA' }, '"1"'), 'parent');
      expectFieldError(await patch('LA', { parent: 'LB' }, '"1"'), 'parent');
      expectFieldError(await patch('LA', { parent: 'LC' }, '"1"'), 'parent');
      const a = await t.http.get('/api/v1/organisations/LA');
      expect(a.body).toMatchObject({ parent: null, version: 1 });
      // A legal move is still fine: C becomes a child of A directly.
      const ok = await patch('LC', { parent: 'LA' }, '"1"');
      expect(ok.status).toBe(200);
      expect(ok.body.parent).toBe('LA');
    });
  });
});

// A separate app (run after the one above is closed: the embedded driver is one instance per process),
// so the list sees exactly these organisations.
describe(`organisations list (${databaseLabel})`, () => {
  let l: TestApp;
  beforeAll(async () => {
    l = await startTestApp();
    const orgs = [
      { code: 'MINJUS', name: 'Ministère de la Justice', acronym: 'MJ', type: 'ministry' },
      { code: 'MINECO', name: "Ministère de l'Économie", acronym: 'MEF', type: 'ministry' },
      { code: 'ANIP', name: "Agence nationale d'identification des personnes", acronym: 'ANIP', type: 'agency', parent: 'MINECO' },
      { code: 'CKV', name: 'Commune de Kanembé-Ville', type: 'local_government' },
      { code: 'ASIN', name: 'agence des services et systèmes', type: 'agency' },
      { code: 'ZETA', name: 'Zèta Énergie SA', type: 'public_company' },
      { code: 'PCT_1', name: 'Office 100% numérique', type: 'other' },
    ];
    for (const o of orgs) expect((await l.http.post('/api/v1/organisations').set('authorization', l.admin).send(o)).status).toBe(201);
  });
  afterAll(async () => l?.close());

  it('returns the envelope {items,total,limit,offset}, sorted by name (accent- and case-insensitive) by default', async () => {
    const res = await l.http.get('/api/v1/organisations');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ items: expect.any(Array), total: 7, limit: 20, offset: 0 });
    expect(res.body.items.map((o: { code: string }) => o.code)).toEqual(['ASIN', 'ANIP', 'CKV', 'MINECO', 'MINJUS', 'PCT_1', 'ZETA']);
    expect(res.body.items.find((o: { code: string }) => o.code === 'ANIP').parent).toBe('MINECO');
  });

  it('sorts by -name, code and -code', async () => {
    const codes = async (sort: string) => (await l.http.get(`/api/v1/organisations?sort=${sort}`)).body.items.map((o: { code: string }) => o.code);
    expect(await codes('-name')).toEqual(['ZETA', 'PCT_1', 'MINJUS', 'MINECO', 'CKV', 'ANIP', 'ASIN']);
    expect(await codes('code')).toEqual(['ANIP', 'ASIN', 'CKV', 'MINECO', 'MINJUS', 'PCT_1', 'ZETA']);
    expect(await codes('-code')).toEqual(['ZETA', 'PCT_1', 'MINJUS', 'MINECO', 'CKV', 'ASIN', 'ANIP']);
    expectFieldError(await l.http.get('/api/v1/organisations?sort=createdAt'), 'sort');
  });

  it('pages with limit and offset, keeping the total', async () => {
    const page1 = await l.http.get('/api/v1/organisations?sort=code&limit=3&offset=0');
    const page3 = await l.http.get('/api/v1/organisations?sort=code&limit=3&offset=6');
    expect(page1.body).toMatchObject({ total: 7, limit: 3, offset: 0 });
    expect(page1.body.items.map((o: { code: string }) => o.code)).toEqual(['ANIP', 'ASIN', 'CKV']);
    expect(page3.body).toMatchObject({ total: 7, limit: 3, offset: 6 });
    expect(page3.body.items.map((o: { code: string }) => o.code)).toEqual(['ZETA']);
    const beyond = await l.http.get('/api/v1/organisations?offset=50');
    expect(beyond.body).toMatchObject({ items: [], total: 7 });
  });

  it('filters by q on name (accent-insensitive), acronym and code', async () => {
    const codes = async (q: string) => {
      const res = await l.http.get('/api/v1/organisations').query({ q });
      expect(res.status).toBe(200);
      expect(res.body.total).toBe(res.body.items.length);
      return res.body.items.map((o: { code: string }) => o.code).sort();
    };
    expect(await codes('economie')).toEqual(['MINECO']);
    expect(await codes('ÉCONOMIE')).toEqual(['MINECO']);
    expect(await codes('ministère')).toEqual(['MINECO', 'MINJUS']);
    expect(await codes('mef')).toEqual(['MINECO']);
    expect(await codes('ckv')).toEqual(['CKV']);
    expect(await codes('zeta energie')).toEqual(['ZETA']);
    expect(await codes('nothing like this')).toEqual([]);
    // LIKE wildcards are taken literally.
    expect(await codes('100%')).toEqual(['PCT_1']);
    expect(await codes('%')).toEqual(['PCT_1']);
    expect(await codes('_')).toEqual(['PCT_1']); // in the code only
    expect(await codes('e_v')).toEqual([]);
  });

  it('filters by type, and combines type with q', async () => {
    const res = await l.http.get('/api/v1/organisations?type=agency');
    expect(res.body.total).toBe(2);
    expect(res.body.items.map((o: { code: string }) => o.code).sort()).toEqual(['ANIP', 'ASIN']);
    const both = await l.http.get('/api/v1/organisations?type=agency&q=identification');
    expect(both.body.items.map((o: { code: string }) => o.code)).toEqual(['ANIP']);
    expect(both.body.total).toBe(1);
    expectFieldError(await l.http.get('/api/v1/organisations?type=club'), 'type');
  });
});
