import { startTestApp, TestApp, databaseLabel } from './helpers/test-app';
import { expectProblem } from './problem-expect';

/** Optimistic concurrency holds on both databases: two writers holding the same version cannot both win. */
describe(`concurrency (${databaseLabel})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ listen: true });
    expect((await t.http.post('/api/v1/organisations').set('authorization', t.admin).send({ code: 'OWNER', name: 'Owner' })).status).toBe(201);
  });
  afterAll(async () => t?.close());

  const N = 20;
  const create = async (path: string, body: Record<string, unknown>) => {
    const res = await t.http.post(`/api/v1/${path}`).set('authorization', t.admin).send(body);
    expect(res.status).toBe(201);
    return res.body as { id: string; code: string; version: number };
  };
  const revisions = async (entryId: string, action: string): Promise<number> =>
    (await t.dataSource.query(`SELECT count(*)::int AS n FROM revisions WHERE entry_id = $1 AND action = $2`, [entryId, action]))[0].n;

  it(`lets exactly one of ${N} concurrent PATCHes with the same If-Match win; the others get 412`, async () => {
    const entry = await create('systems', { name: 'Cible des écritures concurrentes', owner: 'OWNER', tags: ['start'] });
    const results = await Promise.all(
      Array.from({ length: N }, (_, i) =>
        t.http
          .patch(`/api/v1/systems/${entry.code}`)
          .set('authorization', t.admin)
          .set('if-match', '"1"')
          .send({ name: `Écrivain ${i}`, tags: [`writer-${i}`] }),
      ),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 412)).toHaveLength(N - 1);
    for (const r of results.filter((r) => r.status === 412)) expectProblem(r, 412, 'VERSION_MISMATCH');

    const winner = results.findIndex((r) => r.status === 200);
    expect(results[winner].headers.etag).toBe('"2"');
    const got = await t.http.get(`/api/v1/systems/${entry.code}`).set('authorization', t.admin);
    expect(got.body).toMatchObject({ version: 2, name: `Écrivain ${winner}`, tags: [`writer-${winner}`] });
    expect(await revisions(entry.id, 'update')).toBe(1);
  });

  it(`applies all of ${N} concurrent PATCHes with If-Match: * (each over the one before), beside writers of one version`, async () => {
    // Found by a new-user check on PostgreSQL: the * writers all read the same version and 7 of 10 lost with a 412.
    const entry = await create('systems', { name: 'Cible des écritures sans version', owner: 'OWNER' });
    const languages = Array.from({ length: N }, (_, i) => `x${String.fromCharCode(97 + i)}`);
    const [any, pinned] = await Promise.all([
      Promise.all(
        languages.map((lang) =>
          t.http.patch(`/api/v1/systems/${entry.code}`).set('authorization', t.admin).set('if-match', '*').send({ translations: { [lang]: { name: `Nom ${lang}` } } }),
        ),
      ),
      Promise.all(Array.from({ length: 5 }, (_, i) => t.http.patch(`/api/v1/systems/${entry.code}`).set('authorization', t.admin).set('if-match', '"1"').send({ tags: [`pinned-${i}`] }))),
    ]);
    expect(any.map((r) => r.status)).toEqual(languages.map(() => 200));
    // A writer who named version 1 wins only if it came first; all others get the 412 they asked for.
    expect(pinned.filter((r) => r.status === 200).length).toBeLessThanOrEqual(1);
    for (const r of pinned.filter((r) => r.status !== 200)) expectProblem(r, 412, 'VERSION_MISMATCH');
    const got = await t.http.get(`/api/v1/systems/${entry.code}`).set('authorization', t.admin);
    expect(Object.keys(got.body.translations).sort()).toEqual(languages);
    const wins = N + pinned.filter((r) => r.status === 200).length;
    expect(got.body.version).toBe(1 + wins);
    expect(await revisions(entry.id, 'update')).toBe(wins);
    // History is newest first by version (a writer that waited for the lock began its transaction, and
    // so stamped its revision, before the one it follows).
    const history = await t.http.get(`/api/v1/systems/${entry.code}/history`).query({ limit: 100 }).set('authorization', t.admin);
    const versions = history.body.items.map((i: { version: number }) => i.version);
    expect(versions).toEqual([...versions].sort((a, b) => b - a));
    expect(versions[0]).toBe(1 + wins);
  });

  it(`takes ${N} concurrent organisation PATCHes with If-Match: * in turn`, async () => {
    expect((await t.http.post('/api/v1/organisations').set('authorization', t.admin).send({ code: 'ANYVER', name: 'Any version' })).status).toBe(201);
    const results = await Promise.all(
      Array.from({ length: N }, (_, i) => t.http.patch('/api/v1/organisations/ANYVER').set('authorization', t.admin).set('if-match', '*').send({ name: `Any version ${i}` })),
    );
    expect(results.map((r) => r.status)).toEqual(results.map(() => 200));
    expect((await t.http.get('/api/v1/organisations/ANYVER')).body.version).toBe(1 + N);
  });

  it(`lets exactly one of ${N} concurrent lifecycle transitions with the same If-Match win`, async () => {
    const entry = await create('datasets', { name: 'Registre publié une seule fois', owner: 'OWNER' });
    const results = await Promise.all(
      Array.from({ length: N }, (_, i) =>
        t.http
          .post(`/api/v1/datasets/${entry.code}/lifecycle`)
          .set('authorization', t.admin)
          .set('if-match', '"1"')
          .send({ status: 'published', comment: `approbation ${i}` }),
      ),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 412)).toHaveLength(N - 1);
    const got = await t.http.get(`/api/v1/datasets/${entry.code}`);
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ version: 2, lifecycleStatus: 'published' });
    expect(await revisions(entry.id, 'lifecycle')).toBe(1);
  });

  it('gives a new X-Road member id to one of 8 concurrent organisation creates; the others get 409', async () => {
    const member = { instance: 'BJ', memberClass: 'GOV', memberCode: 'RACE-1' };
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => t.http.post('/api/v1/organisations').set('authorization', t.admin).send({ code: `XRRACE${i}`, name: `Race ${i}`, xroadMember: member })),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    for (const r of results.filter((r) => r.status !== 201)) expect(r.status).toBe(409);
    expect((await t.dataSource.query(`SELECT count(*)::int AS n FROM organisations WHERE xroad_member_code = 'RACE-1'`))[0].n).toBe(1);
  });

  it('mixes PATCH and transition on one version: one wins, the other is 412, version +1', async () => {
    const entry = await create('eservices', { name: 'Service disputé', owner: 'OWNER' });
    const [p, l] = await Promise.all([
      t.http.patch(`/api/v1/eservices/${entry.code}`).set('authorization', t.admin).set('if-match', '"1"').send({ fee: 'Gratuit' }),
      t.http.post(`/api/v1/eservices/${entry.code}/lifecycle`).set('authorization', t.admin).set('if-match', '"1"').send({ status: 'published' }),
    ]);
    expect([p.status, l.status].sort()).toEqual([200, 412]);
    const got = await t.http.get(`/api/v1/eservices/${entry.code}`).set('authorization', t.admin);
    expect(got.body.version).toBe(2);
    if (p.status === 200) expect(got.body).toMatchObject({ fee: 'Gratuit', lifecycleStatus: 'draft' });
    else expect(got.body.lifecycleStatus).toBe('published');
  });

  it('deletes a draft once when deletes race; the others are told it is gone or changed', async () => {
    const entry = await create('systems', { name: 'Brouillon supprimé en double' });
    const results = await Promise.all(
      Array.from({ length: 5 }, () => t.http.delete(`/api/v1/systems/${entry.code}`).set('authorization', t.admin).set('if-match', '"1"')),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 204)).toHaveLength(1);
    for (const r of results.filter((r) => r.status !== 204)) expectProblem(r, 404, 'SYSTEM_NOT_FOUND');
    expect((await t.http.get(`/api/v1/systems/${entry.code}`).set('authorization', t.admin)).status).toBe(404);
  });

  it(`gives ${N} concurrent creates of each kind distinct sequential codes`, async () => {
    const kinds = [
      { path: 'systems', prefix: 'IS' },
      { path: 'datasets', prefix: 'DS' },
      { path: 'eservices', prefix: 'PS' },
    ];
    const before = await Promise.all(kinds.map(async (k) => (await t.http.get(`/api/v1/${k.path}`).set('authorization', t.admin)).body.total as number));
    const results = await Promise.all(
      kinds.flatMap((k) =>
        Array.from({ length: N }, (_, i) => t.http.post(`/api/v1/${k.path}`).set('authorization', t.admin).send({ name: `Créé en parallèle ${k.prefix} ${i}`, owner: 'OWNER' })),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(N * kinds.length).fill(201));
    for (const [ki, k] of kinds.entries()) {
      const codes = results.slice(ki * N, (ki + 1) * N).map((r) => r.body.code as string);
      expect(new Set(codes).size).toBe(N);
      for (const c of codes) expect(c).toMatch(new RegExp(`^${k.prefix}\\d{5}$`));
      // Distinct and gap-free among themselves: N consecutive numbers.
      const nums = codes.map((c) => Number(c.slice(2))).sort((a, b) => a - b);
      expect(nums[nums.length - 1] - nums[0]).toBe(N - 1);
      const after = (await t.http.get(`/api/v1/${k.path}`).set('authorization', t.admin)).body.total;
      expect(after).toBe(before[ki] + N);
      // Each is readable under its own code with its own name.
      const one = results[ki * N + 7];
      expect((await t.http.get(`/api/v1/${k.path}/${one.body.code}`).set('authorization', t.admin)).body.name).toBe(`Créé en parallèle ${k.prefix} 7`);
    }
  });

  it(`gives ${N} concurrent organisation creates without a code distinct codes`, async () => {
    const results = await Promise.all(
      Array.from({ length: N }, (_, i) => t.http.post('/api/v1/organisations').set('authorization', t.admin).send({ name: `Organisation parallèle ${i}` })),
    );
    expect(results.map((r) => r.status)).toEqual(Array(N).fill(201));
    const codes = results.map((r) => r.body.code as string);
    expect(new Set(codes).size).toBe(N);
    for (const c of codes) expect(c).toMatch(/^IN\d{5}$/);
  });

  it('has one unique index on the organisation code, the one inserts name in ON CONFLICT', async () => {
    // A second unique index on the code would be met by a racing insert that passed ON CONFLICT's
    // check, and fail it with a unique violation (CONCURRENT_WRITE) instead of skipping the code.
    const rows: { indexname: string }[] = await t.dataSource.query(
      `SELECT indexname FROM pg_indexes WHERE tablename = 'organisations' AND indexdef LIKE 'CREATE UNIQUE INDEX%' AND indexdef LIKE '%code%' AND indexname NOT LIKE '%xroad%' ORDER BY 1`,
    );
    expect(rows.map((r) => r.indexname)).toEqual(['uq_organisations_code_lower']);
  });

  it('refuses all but one of concurrent creates with the same organisation code (409), in any letter case', async () => {
    // Several rounds: two inserts that both pass ON CONFLICT's check can only meet at a unique index,
    // and every unique index on the code must then answer ORGANISATION_CODE_TAKEN (a CI run once got
    // CONCURRENT_WRITE from a second, exact-case index on the code).
    for (let round = 0; round < 8; round++) {
      const code = `SAMECODE${round}`;
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          t.http
            .post('/api/v1/organisations')
            .set('authorization', t.admin)
            .send({ code: i % 3 === 2 ? code.toLowerCase() : code, name: `Candidat ${round}.${i}` }),
        ),
      );
      const statuses = results.map((r) => r.status);
      expect(statuses.filter((s) => s === 201)).toHaveLength(1);
      for (const r of results.filter((r) => r.status !== 201)) expectProblem(r, 409, 'ORGANISATION_CODE_TAKEN');
      const winner = results.find((r) => r.status === 201)!;
      expect((await t.http.get(`/api/v1/organisations/${code}`)).body.name).toBe(winner.body.name);
    }
  });

  it(`lets exactly one of ${N} concurrent organisation PATCHes with the same If-Match win`, async () => {
    expect((await t.http.post('/api/v1/organisations').set('authorization', t.admin).send({ code: 'ORGRACE', name: 'Avant' })).status).toBe(201);
    const results = await Promise.all(
      Array.from({ length: N }, (_, i) =>
        t.http.patch('/api/v1/organisations/ORGRACE').set('authorization', t.admin).set('if-match', '"1"').send({ name: `Après ${i}` }),
      ),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 412)).toHaveLength(N - 1);
    const winner = results.findIndex((r) => r.status === 200);
    expect((await t.http.get('/api/v1/organisations/ORGRACE')).body).toMatchObject({ version: 2, name: `Après ${winner}` });
  });
});
