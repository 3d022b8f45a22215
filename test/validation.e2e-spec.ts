import { startTestApp, TestApp, databaseLabel } from './helpers/test-app';
import { errorFields, expectFieldError, expectProblem } from './problem-expect';

/** Bad input of any kind is a 4xx naming what is wrong, as application/problem+json; never a 5xx (DESIGN §6). */
describe(`validation (${databaseLabel})`, () => {
  let t: TestApp;
  const BODY_LIMIT = 4096;
  beforeAll(async () => {
    t = await startTestApp({ env: { BODY_LIMIT: String(BODY_LIMIT) } });
    const org = await t.http.post('/api/v1/organisations').set('authorization', t.admin).send({ code: 'OWNER', name: 'Owner agency' });
    expect(org.status).toBe(201);
  });
  afterAll(async () => t?.close());

  const post = (path: string, body: unknown) => t.http.post(`/api/v1/${path}`).set('authorization', t.admin).send(body as object);
  const count = async (path: string) => (await t.http.get(`/api/v1/${path}`).set('authorization', t.admin)).body.total as number;

  /** A valid body for each kind, plus a way to put a wrong type into a kind-specific list. */
  const KINDS = [
    {
      path: 'systems',
      valid: { name: 'Système valide', owner: 'OWNER', interfaces: [{ name: 'API', type: 'REST', baseUrl: 'https://api.example.org' }] },
      badItem: { interfaces: [{ name: 'Dépôt', type: 'FTP' }] },
      badItemField: 'interfaces.0.type',
      badStatus: 'available',
    },
    {
      path: 'datasets',
      valid: { name: 'Registre valide', owner: 'OWNER', distributions: [{ title: 'CSV', format: 'CSV', downloadUrl: 'https://data.example.org/a.csv' }] },
      badItem: { distributions: [{ title: 'CSV' }, { title: 'Bad', downloadUrl: 'ftp://nowhere' }] },
      badItemField: 'distributions.1.downloadUrl',
      badStatus: 'in_production',
    },
    {
      path: 'eservices',
      valid: { name: 'Service valide', owner: 'OWNER', channels: [{ type: 'online', url: 'https://service.example.org' }] },
      badItem: { channels: [{ type: 'fax' }] },
      badItemField: 'channels.0.type',
      badStatus: 'active',
    },
  ];

  describe.each(KINDS)('POST /api/v1/$path', ({ path, valid, badItem, badItemField, badStatus }) => {
    it('accepts the valid body (baseline)', async () => {
      const res = await post(path, valid);
      expect(res.status).toBe(201);
    });

    it('refuses an unknown property with VALIDATION_FAILED naming it, and creates nothing', async () => {
      const before = await count(path);
      const res = await post(path, { ...valid, colour: 'blue' });
      const problem = expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(problem.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'colour', message: expect.stringContaining('colour') })]));
      expect(await count(path)).toBe(before);
    });

    it('refuses an unknown property inside an item, with a dotted path', async () => {
      const res = await post(path, { ...valid, contacts: [{ role: 'functional', email: 'x@example.org', phone: '123' }] });
      expectFieldError(res, 'contacts.0.phone');
    });

    it('refuses catalogue-maintained fields in the body (code, version, lifecycleStatus)', async () => {
      expectFieldError(await post(path, { ...valid, code: 'IS99999' }), 'code');
      expectFieldError(await post(path, { ...valid, version: 7 }), 'version');
      expectFieldError(await post(path, { ...valid, lifecycleStatus: 'published' }), 'lifecycleStatus');
    });

    it('refuses wrong types naming the field', async () => {
      expectFieldError(await post(path, { ...valid, name: 123 }), 'name');
      expectFieldError(await post(path, { ...valid, name: '' }), 'name');
      expectFieldError(await post(path, { ...valid, name: '   ' }), 'name');
      expectFieldError(await post(path, { ...valid, name: 'x'.repeat(301) }), 'name');
      expectFieldError(await post(path, { ...valid, tags: 'x' }), 'tags');
      expectFieldError(await post(path, { ...valid, tags: [1, 2] }), 'tags');
      expectFieldError(await post(path, { ...valid, themes: ['SPACE'] }), 'themes');
      expectFieldError(await post(path, { ...valid, description: { text: 'x' } }), 'description');
      expectFieldError(await post(path, { ...valid, contacts: [{ role: 'functional', email: 'not-an-email' }] }), 'contacts.0.email');
      expectFieldError(await post(path, { ...valid, links: [{ type: 'doc', url: 'javascript:alert(1)' }] }), 'links.0.url');
      expectFieldError(await post(path, { ...valid, translations: { en: { name: 5 } } }), 'translations');
      expectFieldError(await post(path, { ...valid, operationalStatus: badStatus }), 'operationalStatus');
      expectFieldError(await post(path, { ...valid, ...badItem }), badItemField);
    });

    it('refuses a missing name', async () => {
      const { name: _name, ...rest } = valid;
      expectFieldError(await post(path, rest), 'name');
    });

    it('refuses an item list that is not a list of objects', async () => {
      for (const contacts of ['x', ['x'], [null], [1], {}]) {
        const res = await post(path, { ...valid, contacts });
        expectProblem(res, 400, 'VALIDATION_FAILED');
        expect(errorFields(res).some((f) => f === 'contacts' || f.startsWith('contacts.'))).toBe(true);
      }
      expectProblem(await post(path, { ...valid, source: 'somewhere' }), 400, 'VALIDATION_FAILED');
    });

    it('refuses an unknown owner code with 400 naming owner', async () => {
      const before = await count(path);
      const res = await post(path, { ...valid, owner: 'NOBODY' });
      expectFieldError(res, 'owner');
      expect(await count(path)).toBe(before);
    });

    it('refuses a body that is not a JSON object with 400 problem+json', async () => {
      const send = (raw: string) => t.http.post(`/api/v1/${path}`).set('authorization', t.admin).set('content-type', 'application/json').send(raw);
      for (const raw of ['[]', '[{"name":"x"}]', '"a string"', '42', 'null', 'true']) {
        expectProblem(await send(raw), 400);
      }
    });

    it('refuses malformed JSON with 400 problem+json', async () => {
      const send = (raw: string) => t.http.post(`/api/v1/${path}`).set('authorization', t.admin).set('content-type', 'application/json').send(raw);
      for (const raw of ['{"name": "x",', '{name: x}', "{'name': 'x'}", '{"name": "x"} trailing', '\u0000']) {
        expectProblem(await send(raw), 400);
      }
    });

    it('refuses an empty body with 400 problem+json', async () => {
      expectProblem(await t.http.post(`/api/v1/${path}`).set('authorization', t.admin).set('content-type', 'application/json').send(''), 400);
      expectProblem(await t.http.post(`/api/v1/${path}`).set('authorization', t.admin), 400);
    });

    it('refuses a body over the limit with 413 problem+json', async () => {
      const res = await post(path, { ...valid, description: 'x'.repeat(BODY_LIMIT * 2) });
      expectProblem(res, 413);
    });

    it('refuses an unsupported content type with 4xx problem+json', async () => {
      const res = await t.http.post(`/api/v1/${path}`).set('authorization', t.admin).set('content-type', 'text/plain').send('name=x');
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    });

    it('refuses JSON nested deeper than 32 levels with 400 JSON_TOO_DEEP, on POST and PATCH, and stores nothing', async () => {
      const before = await count(path);
      const nest = (n: number) => '['.repeat(n) + '"x"' + ']'.repeat(n);
      const raw = (tags: string) => JSON.stringify(valid).replace(/}$/, `,"tags":${tags}}`);
      const send = (json: string) => t.http.post(`/api/v1/${path}`).set('authorization', t.admin).set('content-type', 'application/json').send(json);
      expectProblem(await send(raw(nest(32))), 400, 'JSON_TOO_DEEP'); // 32 arrays inside the body's object
      expectProblem(await send(raw(nest(1500))), 400, 'JSON_TOO_DEEP');
      // Brackets inside strings are text, not nesting.
      expect((await send(JSON.stringify({ ...valid, description: '['.repeat(100) + '{'.repeat(100) }))).status).toBe(201);
      expectFieldError(await send(raw(nest(31))), 'tags'); // deep enough to parse, then simply not a list of strings
      const created = await post(path, valid);
      const patch = (contentType: string, json: string) => t.http.patch(`/api/v1/${path}/${created.body.code}`).set('authorization', t.admin).set('if-match', '"1"').set('content-type', contentType).send(json);
      expectProblem(await patch('application/merge-patch+json', `{"tags":${nest(1500)}}`), 400, 'JSON_TOO_DEEP');
      expectProblem(await patch('application/json', `{"tags":${nest(40)}}`), 400, 'JSON_TOO_DEEP');
      expect(await count(path)).toBe(before + 2);
      expect((await t.http.get(`/api/v1/${path}/${created.body.code}`).set('authorization', t.admin)).body.version).toBe(1);
    });

    it('refuses a JSON body that is not UTF-8 with 400 BODY_NOT_UTF8 (not stored with U+FFFD), for JSON and merge patch', async () => {
      const before = await count(path);
      const latin1 = (json: string) => Buffer.concat([Buffer.from(json.slice(0, 9)), Buffer.from([0xff, 0xfe]), Buffer.from(json.slice(9))]);
      const body = latin1(JSON.stringify(valid)); // {"name":"\xff\xfeSystème valide", ...
      const res = await t.http.post(`/api/v1/${path}`).set('authorization', t.admin).set('content-type', 'application/json').serialize((b) => b).send(body);
      expect(expectProblem(res, 400, 'BODY_NOT_UTF8').detail).toMatch(/application\/json/);
      const created = await post(path, valid);
      const patched = await t.http
        .patch(`/api/v1/${path}/${created.body.code}`)
        .set('authorization', t.admin)
        .set('if-match', '"1"')
        .set('content-type', 'application/merge-patch+json')
        .serialize((b) => b)
        .send(latin1('{"name":"x"}'));
      expect(expectProblem(patched, 400, 'BODY_NOT_UTF8').detail).toMatch(/application\/merge-patch\+json/);
      const got = await t.http.get(`/api/v1/${path}/${created.body.code}`).set('authorization', t.admin);
      expect(got.body).toMatchObject({ name: valid.name, version: 1 });
      expect(await count(path)).toBe(before + 1);
    });

    it('names the content type actually sent when a merge patch body is empty or malformed', async () => {
      const created = await post(path, valid);
      const patch = (json: string) => t.http.patch(`/api/v1/${path}/${created.body.code}`).set('authorization', t.admin).set('if-match', '"1"').set('content-type', 'application/merge-patch+json').send(json);
      const empty = expectProblem(await patch(''), 400, 'EMPTY_BODY');
      expect(empty.detail).toContain('application/merge-patch+json');
      expect(empty.detail).not.toContain("'application/json'");
      const malformed = expectProblem(await patch('{"name":'), 400, 'MALFORMED_JSON');
      expect(malformed.detail).toContain('application/merge-patch+json');
    });

    it('says a missing required field is required, once', async () => {
      const res = await post(path, { ...valid, contacts: [{ email: 'x@example.org' }] });
      const problem = expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(problem.errors!.filter((e) => e.field === 'contacts.0.role')).toEqual([{ field: 'contacts.0.role', message: 'role is required' }]);
    });

    it('refuses NUL characters (which PostgreSQL cannot store) with 400 naming the field, not a 5xx', async () => {
      const before = await count(path);
      expectFieldError(await post(path, { ...valid, name: 'nul \u0000 inside' }), 'name');
      expectFieldError(await post(path, { ...valid, tags: ['ok', 'bad\u0000'] }), 'tags.1');
      expectFieldError(await post(path, { ...valid, contacts: [{ role: 'functional', name: '\u0000' }] }), 'contacts.0.name');
      expectFieldError(await post(path, { ...valid, translations: { en: { description: 'x\u0000' } } }), 'translations.en.description');
      expect(await count(path)).toBe(before);
    });

    it('refuses lone surrogates (not Unicode text) with 400 naming the field, but keeps real astral characters', async () => {
      const raw = (json: string) => t.http.post(`/api/v1/${path}`).set('authorization', t.admin).set('content-type', 'application/json').send(json);
      expectFieldError(await raw('{"name": "lone \\ud800 surrogate", "owner": "OWNER"}'), 'name');
      expectFieldError(await raw('{"name": "ok", "description": "\\udc00 low half", "owner": "OWNER"}'), 'description');
      const ok = await raw('{"name": "emoji \\ud83d\\ude80 fusée", "owner": "OWNER"}');
      expect(ok.status).toBe(201);
      expect(ok.body.name).toBe('emoji 🚀 fusée');
    });

    it('answers a PATCH with a non-object or malformed body with 400, leaving the entry unchanged', async () => {
      const created = await post(path, valid);
      expect(created.status).toBe(201);
      const send = (raw: string) =>
        t.http.patch(`/api/v1/${path}/${created.body.code}`).set('authorization', t.admin).set('if-match', '"1"').set('content-type', 'application/json').send(raw);
      for (const raw of ['[]', '"x"', '42', 'null', '{"name":']) expectProblem(await send(raw), 400);
      expectFieldError(await send('{"name": 123}'), 'name');
      expectFieldError(await send('{"colour": "blue"}'), 'colour');
      const got = await t.http.get(`/api/v1/${path}/${created.body.code}`).set('authorization', t.admin);
      expect(got.body.name).toBe(valid.name);
      expect(got.body.version).toBe(1);
    });
  });

  describe('hostile query strings', () => {
    /** Never a 5xx; a 4xx is problem+json; a 200 is a well-formed page. */
    async function expectHandled(url: string): Promise<number> {
      const res = await t.http.get(url);
      if (res.status >= 500) throw new Error(`${url} answered ${res.status}: ${res.text.slice(0, 300)}`);
      if (res.status >= 400) {
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(res.body.status).toBe(res.status);
      } else {
        expect(res.status).toBe(200);
        expect(Array.isArray(res.body.items)).toBe(true);
        expect(typeof res.body.total).toBe('number');
      }
      return res.status;
    }

    const QS = [
      'limit=abc',
      'limit=1000',
      'limit=0',
      'limit=-5',
      'limit=1.5',
      'limit=1e2',
      'limit=',
      'limit=1&limit=2',
      'offset=-1',
      'offset=abc',
      'offset=99999999999999999999',
      'sort=drop%20table',
      'sort=name;DROP TABLE catalogue_entries',
      "sort=name'",
      'q=(',
      'q=%22',
      "q='",
      'q=%5C',
      'q=%25',
      'q=%25%25%25',
      'q=_',
      'q=urn:x:y',
      'q=a:*',
      'q=!a|b%26c',
      'q=a%20%26%20!b%20%3C-%3E%20c',
      `q=${'a'.repeat(500)}`,
      `q=${'a'.repeat(501)}`,
      `q=${'word '.repeat(100)}`,
      'q=%C3%28',
      'q=%FF%FE',
      'q=%00',
      'q=a%00b',
      'q=%E2%91%B4', // ⑴: unaccent turns it into "(1)"
      'q=a%CB%90b', // aːb: unaccent turns ː into ":"
      'q=%CA%BC', // ʼ: unaccent turns it into "'"
      'q=%C5%89', // ŉ: unaccent turns it into "'n"
      'q=%C2%BD', // ½: unaccent turns it into " 1/2"
      'q=%CA%BA', // ʺ: unaccent turns it into '"'
      'q=',
      'q=%20',
      'q=a&q=b',
      'q[]=a',
      'q[$ne]=1',
      'operationalStatus=bogus',
      'operationalStatus=',
      'lifecycleStatus=bogus',
      'theme=SPACE',
      'theme=gove',
      `tag=${'t'.repeat(101)}`,
      'tag=%00',
      'owner=%00',
      `owner=${'o'.repeat(65)}`,
      'owner=NOBODY',
      'unknown=1',
      '__proto__=1',
      'constructor[prototype][x]=1',
    ];

    it.each(QS)('GET /api/v1/systems?%s is handled (4xx problem+json or 200)', async (qs) => {
      await expectHandled(`/api/v1/systems?${qs}`);
    });

    it.each(QS)('GET /api/v1/search?%s is handled (4xx problem+json or 200)', async (qs) => {
      await expectHandled(`/api/v1/search?${qs}`);
    });

    it.each(['q=%C3%28', 'q=(', 'limit=abc', 'sort=drop%20table'])('GET /api/v1/organisations?%s is handled', async (qs) => {
      await expectHandled(`/api/v1/organisations?${qs}`);
    });

    it('names the offending parameter', async () => {
      expectFieldError(await t.http.get('/api/v1/systems?limit=abc'), 'limit');
      expectFieldError(await t.http.get('/api/v1/systems?limit=1000'), 'limit');
      expectFieldError(await t.http.get('/api/v1/systems?offset=-1'), 'offset');
      expectFieldError(await t.http.get('/api/v1/systems?sort=drop%20table'), 'sort');
      expectFieldError(await t.http.get('/api/v1/systems?operationalStatus=bogus'), 'operationalStatus');
      expectFieldError(await t.http.get('/api/v1/datasets?operationalStatus=in_production'), 'operationalStatus');
      expectFieldError(await t.http.get(`/api/v1/systems?q=${'a'.repeat(501)}`), 'q');
      expectFieldError(await t.http.get('/api/v1/systems?unknown=1'), 'unknown');
      expectFieldError(await t.http.get('/api/v1/search?kind=bogus'), 'kind');
      expectFieldError(await t.http.get('/api/v1/search?limit=101'), 'limit');
    });

    it.each(['0x10', '1e2', '%205', '5%20', '0b11', '0o7', '%2B5', '1.0', '-0', '%EF%BC%95'])('reads integer parameters as plain decimal digits only: %s is 400 naming the parameter', async (n) => {
      const urls: [string, string][] = [
        [`systems?limit=${n}`, 'limit'],
        [`systems?offset=${n}`, 'offset'],
        [`datasets?minQuality=${n}`, 'minQuality'],
        [`systems/IS99999/history?offset=${n}`, 'offset'],
        [`systems/IS99999/graph?depth=${n}`, 'depth'],
        [`search?limit=${n}`, 'limit'],
        [`search/suggest?q=a&limit=${n}`, 'limit'],
        [`organisations?offset=${n}`, 'offset'],
        [`reviews?limit=${n}`, 'limit'],
        [`transfers?offset=${n}`, 'offset'],
        [`reports/quality?maxQuality=${n}`, 'maxQuality'],
      ];
      for (const [url, field] of urls) expectFieldError(await t.http.get(`/api/v1/${url}`).set('authorization', t.admin), field);
      expect((await t.http.get('/api/v1/systems?limit=007&offset=0').set('authorization', t.admin)).body).toMatchObject({ limit: 7, offset: 0 });
    });

    it('takes an optional query parameter sent empty as not given (its default), and keeps a required one for its rule', async () => {
      const created = await post('systems', { name: 'Paramètres vides', owner: 'OWNER' });
      expect(created.status).toBe(201);
      const all = await t.http.get('/api/v1/systems').set('authorization', t.admin);
      const empty = await t.http.get('/api/v1/systems?limit=&offset=&q=&sort=&lifecycleStatus=&operationalStatus=&theme=&tag=&owner=&minQuality=').set('authorization', t.admin);
      expect(empty.status).toBe(200);
      expect(empty.body).toMatchObject({ total: all.body.total, limit: 20, offset: 0 });
      expect(empty.body.total).toBeGreaterThan(0);
      const graph = (qs: string) => t.http.get(`/api/v1/systems/${created.body.code}/graph${qs}`).set('authorization', t.admin);
      const emptyGraph = await graph('?depth=&direction=');
      expect(emptyGraph.status).toBe(200);
      expect(emptyGraph.body).toEqual((await graph('')).body);
      expect(emptyGraph.body.depth).toBe(5);
      expect((await t.http.get('/api/v1/search?kind=&limit=&theme=').set('authorization', t.admin)).body).toMatchObject({ limit: 20, offset: 0 });
      expect((await t.http.get('/api/v1/reviews?status=&assigned=').set('authorization', t.admin)).status).toBe(200);
      expect((await t.http.get('/api/v1/search/suggest?q=&limit=')).body).toEqual({ items: [] });
      expectFieldError(await t.http.get('/api/v1/systems?limit=&limit='), 'limit');
    });

    it('answers 404 problem+json for unknown refs, including hostile ones', async () => {
      for (const ref of ['IS99999', '00000000-0000-0000-0000-000000000000', 'not-a-code', "x'%20OR%20'1'='1", '%25', 'a'.repeat(400)]) {
        const res = await t.http.get(`/api/v1/systems/${ref}`);
        expectProblem(res, 404);
      }
      expectProblem(await t.http.get('/api/v1/no-such-route'), 404);
    });

    it('answers 400 problem+json for a ref with a NUL character or that is not valid UTF-8', async () => {
      expectFieldError(await t.http.get('/api/v1/systems/IS%00'), 'ref');
      expectFieldError(await t.http.get('/api/v1/organisations/%00'), 'code');
      expectProblem(await t.http.get('/api/v1/systems/%C3%28'), 400);
      expectProblem(await t.http.get('/api/v1/organisations/%FF'), 400);
    });

    it.each(['q=%ff%fe', 'q=%', 'q=%E0%A4%A', 'q=%C3%28', 'q=a%2', 'limit=10&q=%zz'])('answers a query string that is not percent-encoded UTF-8 (%s) with 400 QUERY_STRING_MALFORMED on every route', async (qs) => {
      for (const path of ['search', 'search/suggest', 'systems', 'organisations', 'reviews', 'systems/IS99999']) {
        expectProblem(await t.http.get(`/api/v1/${path}?${qs}`).set('authorization', t.admin), 400, 'QUERY_STRING_MALFORMED');
      }
      expectProblem(await t.http.post(`/api/v1/systems?${qs}`).set('authorization', t.admin).send({ name: 'Never stored', owner: 'OWNER' }), 400, 'QUERY_STRING_MALFORMED');
    });

    it('names a query parameter holding a NUL character', async () => {
      expectFieldError(await t.http.get('/api/v1/systems?tag=%00'), 'tag');
      expectFieldError(await t.http.get('/api/v1/search?q=a%00b'), 'q');
      expectFieldError(await t.http.get('/api/v1/organisations?q=%00'), 'q');
    });
  });

  describe('every route that takes a JSON body', () => {
    const UUID = '2fb31afa-2019-4ae7-96f1-a7df5829d2bd';
    let code: string;
    beforeAll(async () => {
      const created = await post('systems', { name: 'Routes target', owner: 'OWNER' });
      expect(created.status).toBe(201);
      code = created.body.code;
    });
    const routes = () => [
      ['post', `systems/${code}/transitions/submit`],
      ['post', `systems/${code}/transitions/deprecate`],
      ['post', `systems/${code}/lifecycle`],
      ['post', `systems/${code}/transfer`],
      ['post', `systems/${code}/transfer/cancel`],
      ['post', `systems/${code}/claim`],
      ['post', `systems/${code}/owner`],
      ['post', `systems/${code}/relations`],
      ['post', 'organisations'],
      ['patch', 'organisations/OWNER'],
      ['post', 'organisations/OWNER/members'],
      ['patch', `organisations/OWNER/members/${UUID}`],
      ['post', 'api-keys'],
      ['post', 'reassignments'],
      ['post', `reviews/${UUID}/decisions`],
      ['post', `reviews/${UUID}/reviewers`],
    ] as const;
    const send = (method: 'post' | 'patch', path: string, raw: string) =>
      t.http[method](`/api/v1/${path}`).set('authorization', t.admin).set('if-match', '"1"').set('content-type', 'application/json').send(raw);
    const unchanged = async () => {
      const entry = await t.http.get(`/api/v1/systems/${code}`).set('authorization', t.admin);
      expect(entry.body).toMatchObject({ lifecycleStatus: 'draft', version: 1, owner: { code: 'OWNER' } });
      expect((await t.http.get('/api/v1/organisations/OWNER')).body.version).toBe(1);
    };

    it('refuses a body that is not a JSON object (array, string, number, boolean, null) with 400, changing nothing', async () => {
      for (const [method, path] of routes()) {
        for (const raw of ['[]', '[{"comment":"x"}]', '"str"', '123', 'true', 'null']) {
          const res = await send(method, path, raw);
          if (res.status !== 400) throw new Error(`${method.toUpperCase()} ${path} with ${raw} answered ${res.status}`);
          expectFieldError(res, '');
        }
      }
      await unchanged();
    });

    it('refuses JSON nested deeper than 32 levels with 400 JSON_TOO_DEEP, changing nothing', async () => {
      const deep = `{"comment":${'['.repeat(1000)}${']'.repeat(1000)}}`;
      for (const [method, path] of routes()) expectProblem(await send(method, path, deep), 400, 'JSON_TOO_DEEP');
      await unchanged();
    });
  });

  describe('request headers', () => {
    it('refuses more than one Authorization header with 400 AUTHORIZATION_REPEATED before checking any, on reads and writes', async () => {
      const before = await count('systems');
      for (const pair of [[t.admin, 'ApiKey icat_unknown'], ['ApiKey icat_unknown', t.admin], [t.admin, t.admin]]) {
        // Node writes one header line per item of a list; superagent's types allow a list only for Cookie.
        const headers = pair as unknown as string;
        expectProblem(await t.http.get('/api/v1/me').set('authorization', headers), 400, 'AUTHORIZATION_REPEATED');
        expectProblem(await t.http.get('/api/v1/systems').set('authorization', headers), 400, 'AUTHORIZATION_REPEATED');
        expectProblem(await t.http.post('/api/v1/systems').set('authorization', headers).send({ name: 'Deux en-têtes', owner: 'OWNER' }), 400, 'AUTHORIZATION_REPEATED');
      }
      expect(await count('systems')).toBe(before);
      expect((await t.http.get('/api/v1/me').set('authorization', t.admin)).status).toBe(200);
    });
  });

  describe("Fastify's own errors", () => {
    it('are application/problem+json with a code: 431, 413, 415, 400 malformed JSON, 404 unknown route', async () => {
      expectProblem(await t.http.get('/api/v1/systems').set('x-padding', 'a'.repeat(20_000)), 431, 'HEADERS_TOO_LARGE');
      expectProblem(await post('organisations', { code: 'BIG', name: 'x'.repeat(BODY_LIMIT) }), 413, 'BODY_TOO_LARGE');
      expectProblem(await t.http.post('/api/v1/organisations').set('authorization', t.admin).set('content-type', 'application/xml').send('<a/>'), 415, 'UNSUPPORTED_MEDIA_TYPE');
      expectProblem(await t.http.post('/api/v1/organisations').set('authorization', t.admin).set('content-type', 'application/json').send('{"code":'), 400, 'MALFORMED_JSON');
      expectProblem(await t.http.get('/api/v1/no-such-route'), 404, 'NOT_FOUND');
    });

    it('name BODY_LIMIT for an uploaded file over it, and say what is wrong with a nameless or filename-less file part (found by a new-user check)', async () => {
      const big = await t.http.post('/api/v1/imports').set('authorization', t.admin).field('mapping', 'uk-api-catalogue').attach('file', Buffer.from('a,b\n'.repeat(BODY_LIMIT)), 'big.csv');
      expect(expectProblem(big, 413, 'BODY_TOO_LARGE').detail).toBe(`An uploaded file is larger than ${BODY_LIMIT} bytes (BODY_LIMIT); split it, or raise BODY_LIMIT`);
      const boundary = 'XyZ';
      const form = (part: string) =>
        t.http
          .post('/api/v1/imports')
          .set('authorization', t.admin)
          .set('content-type', `multipart/form-data; boundary=${boundary}`)
          .send(`--${boundary}\r\nContent-Disposition: form-data; name="mapping"\r\n\r\nuk-api-catalogue\r\n--${boundary}\r\n${part}\r\n\r\nid,name\r\n--${boundary}--\r\n`);
      expect(expectProblem(await form('Content-Disposition: form-data; name="file"'), 400, 'UNKNOWN_PART').detail).toMatch(/^The part "file" has no filename, so it came as a text field/);
      expect(expectProblem(await form('Content-Disposition: form-data; filename="x.csv"'), 400, 'UNKNOWN_PART').detail).toBe('A file part without a name; send files as "file"');
    });
  });

  describe('shapes that slipped past the checks (verification C)', () => {
    it('refuses item lists wrapped in another list (evidence, interfaces, contacts...) and single objects given as lists', async () => {
      const before = await count('eservices');
      const evidence = await post('eservices', { name: 'Liste dans une liste', owner: 'OWNER', evidence: [[{ name: 'Acte de naissance' }]] });
      expectFieldError(evidence, 'evidence');
      expect(evidence.body.errors.find((e: { field: string }) => e.field === 'evidence').message).toMatch(/each item of evidence must be an object/);
      expectFieldError(await post('systems', { name: 'Interfaces imbriquées', owner: 'OWNER', interfaces: [[{ name: 'API', type: 'REST' }]] }), 'interfaces');
      expectFieldError(await post('datasets', { name: 'Contacts imbriqués', owner: 'OWNER', contacts: [[{ role: 'owner', email: 'a@b.org' }]] }), 'contacts');
      expectFieldError(await post('systems', { name: 'Niveaux en liste', owner: 'OWNER', securityLevels: [{ confidentiality: 'high' }] }), 'securityLevels');
      expect(await count('eservices')).toBe(before);
    });

    it('says one thing about a value of the wrong type, and that a repeated query parameter is given twice', async () => {
      const wrongType = await post('systems', { name: 42, owner: 'OWNER' });
      expectFieldError(wrongType, 'name');
      expect(wrongType.body.errors.filter((e: { field: string }) => e.field === 'name').map((e: { message: string }) => e.message)).toEqual(['name must be a string']);
      const twice = await t.http.get('/api/v1/search?q=a&q=b');
      expectFieldError(twice, 'q');
      expect(twice.body.errors.map((e: { message: string }) => e.message)).toEqual(['q must be a single value, given once']);
      // Found by a new-user check: parameters with a list of allowed values said "must be one of…" instead.
      for (const name of ['kind', 'lifecycleStatus', 'theme']) {
        const res = await t.http.get(`/api/v1/search?${name}=x&${name}=y`);
        expectFieldError(res, name);
        expect(res.body.errors.map((e: { message: string }) => e.message)).toEqual([`${name} must be a single value, given once`]);
      }
      const nameless = await t.http.get('/api/v1/search?q=a&=b');
      expect(nameless.status).toBe(400);
      expect(nameless.body.errors).toEqual([{ field: '', message: 'a property or parameter must have a name' }]);
      // An array field with a value outside its list still says so.
      const audience = await post('eservices', { name: 'Public inconnu', owner: 'OWNER', audience: ['martians'] });
      expectFieldError(audience, 'audience');
      expect(audience.body.errors[0].message).not.toMatch(/given once/);
    });

    it('answers a form-encoded or plain-text body with 415: bodies are JSON', async () => {
      const before = await count('systems');
      const res = await t.http.post('/api/v1/systems').set('authorization', t.admin).set('content-type', 'application/x-www-form-urlencoded').send('name=formmade&owner=OWNER');
      expectProblem(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
      const text = await t.http.post('/api/v1/systems').set('authorization', t.admin).set('content-type', 'text/plain').send('{"name":"texte","owner":"OWNER"}');
      expectProblem(text, 415, 'UNSUPPORTED_MEDIA_TYPE');
      expect(await count('systems')).toBe(before);
    });

    it('refuses a malformed user filter on the key list (400, not 500) and unknown parameters', async () => {
      expectFieldError(await t.http.get('/api/v1/api-keys?user=bad').set('authorization', t.admin), 'user');
      expectFieldError(await t.http.get('/api/v1/api-keys?user=someone%40example.org').set('authorization', t.admin), 'user');
      expectFieldError(await t.http.get('/api/v1/api-keys?foo=1').set('authorization', t.admin), 'foo');
      expect((await t.http.get('/api/v1/api-keys').set('authorization', t.admin)).status).toBe(200);
    });
  });
  describe('keys named like members of every JavaScript object (found by a new-user check)', () => {
    /** Sent as text: an object literal with `__proto__` would set its prototype instead of holding the key. */
    const raw = (method: 'post' | 'patch', path: string, text: string) =>
      t.http[method](`/api/v1/${path}`).set('authorization', t.admin).set('content-type', 'application/json').set('if-match', '*').send(text);
    const expectReserved = (res: Parameters<typeof expectFieldError>[0], field: string) => {
      expectFieldError(res, field);
      expect(res.body.errors.find((e: { field: string }) => e.field === field).message).toMatch(/reserved name/);
    };
    let code: string;
    beforeAll(async () => {
      code = (await post('systems', KINDS[0].valid)).body.code;
    });

    it('refuses constructor, toString, hasOwnProperty and prototype as keys on PATCH with 400 naming the path (was a 500, or stored only fr), changing nothing', async () => {
      const before = await t.http.get(`/api/v1/systems/${code}`).set('authorization', t.admin);
      for (const [body, field] of [
        ['{"translations":{"constructor":{"name":"x"}}}', 'translations.constructor'],
        ['{"translations":{"en":{"constructor":"x"}}}', 'translations.en.constructor'],
        ['{"translations":{"toString":{"name":"x"},"fr":{"name":"y"}}}', 'translations.toString'],
        ['{"constructor":"x"}', 'constructor'],
        ['{"hasOwnProperty":1}', 'hasOwnProperty'],
        ['{"prototype":{}}', 'prototype'],
        ['{"interfaces":[{"name":"API","type":"REST","valueOf":"x"}]}', 'interfaces.0.valueOf'],
      ] as const) {
        expectReserved(await raw('patch', `systems/${code}`, body), field);
      }
      const after = await t.http.get(`/api/v1/systems/${code}`).set('authorization', t.admin);
      expect(after.body.version).toBe(before.body.version);
    });

    it('refuses them on POST of every kind and of organisations, in items too, creating nothing', async () => {
      const items = { systems: 'interfaces', datasets: 'distributions', eservices: 'evidence' } as Record<string, string>;
      for (const { path, valid } of KINDS) {
        const before = await count(path);
        expectReserved(await raw('post', path, JSON.stringify({ ...valid, translations: { constructor: { name: 'x' } } })), 'translations.constructor');
        expectReserved(await raw('post', path, JSON.stringify({ ...valid, translations: { en: { constructor: 'x' } } })), 'translations.en.constructor');
        expectReserved(await raw('post', path, JSON.stringify(valid).replace(/^\{/, '{"constructor":{},')), 'constructor');
        expectReserved(await raw('post', path, JSON.stringify({ ...valid, [items[path]]: [{ name: 'n', title: 't', toString: 'x' }] })), `${items[path]}.0.toString`);
        expect(await count(path)).toBe(before);
      }
      const orgs = await count('organisations');
      expectReserved(await raw('post', 'organisations', '{"code":"CTOR","name":"Agence","constructor":{}}'), 'constructor');
      expect(await count('organisations')).toBe(orgs);
    });

    it("keeps Fastify's own refusal of __proto__ keys, at any depth, as MALFORMED_JSON", async () => {
      expectProblem(await raw('post', 'systems', '{"name":"Proto","__proto__":{"owner":"OWNER"}}'), 400, 'MALFORMED_JSON');
      expectProblem(await raw('patch', `systems/${code}`, '{"translations":{"en":{"__proto__":{"name":"x"}}}}'), 400, 'MALFORMED_JSON');
    });
  });
});
